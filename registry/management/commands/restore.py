"""Restore a backup taken by `manage.py backup` into the configured database (a fresh one) and
MEDIA_ROOT: every record, its history, the change feed with its sequence (consumers' cursors stay
valid), and the stored copies of the sources; then check every table holds what the backup
counted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from registry import models as m
from registry.backups import BackupError, restore


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz that `manage.py backup` wrote.")
        parser.add_argument(
            "--replace", action="store_true", help="Replace a database that already holds a registry."
        )

    def handle(self, *args, archive, replace, **options):
        try:
            holds_data = m.Process.objects.exists()
        except DatabaseError:  # not migrated: a fresh database
            holds_data = False
        if holds_data and not replace:
            raise CommandError(
                "The database already holds a registry: restore into a fresh one, or pass --replace."
            )
        try:
            contents = restore(Path(archive))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(contents["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {contents['taken']}: {rows:,} rows, the change feed up to "
                f"#{contents['last_sequence']}."
            )
        )
