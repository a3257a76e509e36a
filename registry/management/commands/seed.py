"""Load the curated data of the two IOM papers from fixtures/ (idempotent; keeps curated edits)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry.seeding import FixtureError, seed


class Command(BaseCommand):
    help = (
        "Load the curated fixtures. Missing records are created with their citations; existing "
        "records are never changed (differences are reported as conflicts); records a curator "
        "deleted are not created again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(settings.REGISTRY_FIXTURES_DIR), help="Folder of the curated fixtures."
        )

    def handle(self, *args, fixtures, **options):
        try:
            report = seed(Path(fixtures))
        except FixtureError as error:
            raise CommandError(f"The fixtures are inconsistent; nothing was loaded. {error}") from error
        for line in report.lines():
            self.stdout.write(line)
