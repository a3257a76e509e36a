"""Take a consistent copy of the registry while it serves: the database (SQLite's online backup
API, or pg_dump of one snapshot), the stored copies of the sources, and a manifest counting what
it holds. `manage.py restore` brings it back (docs/deployment.md, "Backups")."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.backups import BackupError, backup
from registry.serving.folders import private_folder


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help=(
                "The archive to write (.tar.gz); by default <RUNTIME_DIR>/backups/registry-<time>.tar.gz "
                "(RUNTIME_DIR: var/ unless set)."
            ),
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            try:
                folder = private_folder(Path(settings.RUNTIME_DIR) / "backups")
            except ImproperlyConfigured as error:  # another local user's folder: never write there
                raise CommandError(f"{error} Or give --output.") from error
            output = folder / f"registry-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            contents = backup(Path(output))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(contents["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {output}: {rows:,} rows in {len(contents['tables'])} tables, "
                f"the change feed up to #{contents['last_sequence']}."
            )
        )
