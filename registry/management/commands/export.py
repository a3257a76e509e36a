"""Export the whole registry (see registry/exports/): JSON, CSV tables in a zip, Popolo JSON, or the
country-year table (COW IGO shape).

    manage.py export [--format json|csv|popolo|country-year] [--as-of 2009-04-30] [--output FILE]

Without --output it writes to the standard output; the export is streamed, never held whole.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.dates import PartialDateError, parse_as_of
from registry.exports.downloads import DOWNLOADS_BY_FORMAT


class Command(BaseCommand):
    help = (
        "Export the whole registry as JSON, a zip of CSV tables, Popolo JSON or the country-year table, "
        "complete or as of a date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(DOWNLOADS_BY_FORMAT), default="json")
        parser.add_argument("--as-of", help="a date (2009, 2009-04, 2009-04-30): the facts valid then")
        parser.add_argument("--output", help="a file (default: the standard output)")
        parser.add_argument("--base-url", default="", help="for the source links of the Popolo export")

    def handle(self, *args, format, as_of, output, base_url, **options):
        try:
            day = parse_as_of(as_of)
        except PartialDateError as error:
            raise CommandError(f"--as-of {as_of!r}: {error}") from error
        download = DOWNLOADS_BY_FORMAT[format]
        chunks = download.stream(day, base_url=base_url)
        if output:
            with Path(output).open("wb") as target:
                for chunk in chunks:
                    target.write(chunk)
        else:
            if not download.content_type.startswith("application/json") and sys.stdout.isatty():
                raise CommandError("A zip is not for a terminal: give --output or redirect the output.")
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
