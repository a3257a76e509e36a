"""Take a consistent copy of the registry while it serves: the database (SQLite's online backup
API, or pg_dump of one snapshot), the stored copies of the sources, and a manifest counting what
it holds. `manage.py restore` brings it back (docs/deployment.md, "Backups")."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registry.backups import BackupError, backup


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="The archive to write (.tar.gz); by default var/backups/registry-<time>.tar.gz.",
        )

    def handle(self, *args, output=None, **options):
        if output is None:
            folder = Path(settings.BASE_DIR) / "var" / "backups"
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if folder.stat().st_uid != os.getuid():  # another local user's folder: never write there
                raise CommandError(f"{folder} belongs to another user: give --output.")
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
