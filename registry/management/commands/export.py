"""Export the whole registry (see registry/exports/): JSON, CSV tables in a zip, or Popolo JSON.

    manage.py export [--format json|csv|popolo] [--as-of 2009-04-30] [--output FILE]

Without --output it writes to the standard output; the export is streamed, never held whole.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.dates import parse_partial_date
from registry.exports.formats import csv_zip, json_document
from registry.exports.popolo import popolo_document


class Command(BaseCommand):
    help = "Export the whole registry as JSON, a zip of CSV tables, or Popolo JSON, complete or as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv", "popolo"], default="json")
        parser.add_argument("--as-of", help="a date (2009, 2009-04, 2009-04-30): the facts valid then")
        parser.add_argument("--output", help="a file (default: the standard output)")
        parser.add_argument("--base-url", default="", help="for the source links of the Popolo export")

    def handle(self, *args, format, as_of, output, base_url, **options):
        day = None
        if as_of:
            try:
                day, _precision = parse_partial_date(as_of, end=True)
            except ValueError as error:
                raise CommandError(f"--as-of: {error}") from error
        if format == "csv":
            chunks = csv_zip(day)
        elif format == "popolo":
            chunks = (c.encode() for c in popolo_document(day, base_url=base_url))
        else:
            chunks = (c.encode() for c in json_document(day))
        if output:
            with Path(output).open("wb") as target:
                for chunk in chunks:
                    target.write(chunk)
        else:
            if format == "csv" and sys.stdout.isatty():
                raise CommandError("A zip is not for a terminal: give --output or redirect the output.")
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
