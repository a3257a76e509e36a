"""Read a JSON export (manage.py export) back into an empty database; into one that holds
registry data it writes nothing and reports the differences (conflicts: same id, other values).

    manage.py import registry.json
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.exports.importer import ImportError_, import_document
from registry.exports.validation import InvalidExport


class Command(BaseCommand):
    help = "Load a JSON export into an empty database, or report how it differs from the stored registry."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON export (manage.py export --format json)")

    def handle(self, *args, file, **options):
        try:
            with Path(file).open("rb") as stream:
                report = import_document(stream)
        except OSError as error:
            raise CommandError(str(error)) from error
        except ImportError_ as error:
            raise CommandError(f"{file}: {error} Nothing was written.") from error
        except InvalidExport as error:
            raise CommandError(
                f"{file}: {len(error.problems)} problems; nothing was written.\n{error}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        if not report.written and report.conflicts:
            raise CommandError(f"{len(report.conflicts)} conflicts: nothing was written.")
