"""Measure each page and endpoint alone, uncached, as the first request after a write meets it:

    manage.py bench_pages [--runs 5]

Through Django's test client with the response cache off and DEBUG off, one request at a time,
each address --runs times (the fastest counts: the others add noise from the machine); on the
database of DATABASE_URL (the real data, or `manage.py synthesize --factor 100`'s). Prints a
Markdown table: fastest and median time, the answer's size and its queries. The sizes are those
the pages' bound (150 KB of HTML) is checked against.
"""

import json
import statistics
import time
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .bench import RECONCILE_BATCH

ADDRESSES = [
    "/en/reports/changes/?from=2003&to=2009-04-30",
    "/en/reports/overview/",
    "/en/reports/iom-roles/",
    "/en/overlap/",
    "/en/overlap/processes/",
    "/en/processes/",
    "/en/timeline/",
    "/en/processes/budapest-process/",
    "/en/states/australia/",
    "/en/",
    "/api/processes/",
    "/api/participations/",
    "/api/changes/?after=0",
    "/en/changes.atom",
    "/api/reconcile/?queries=" + quote(json.dumps(RECONCILE_BATCH)),
]


class Command(BaseCommand):
    help = "Time each page and endpoint alone and uncached (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, runs, **options):
        client = Client()
        rows = []
        with override_settings(RESPONSE_CACHE_SECONDS=0, DEBUG=False):
            for number, address in enumerate(ADDRESSES):
                times = []
                for run in range(runs):
                    # An address of its own for each request: the API throttle is not measured.
                    remote = f"198.51.100.{(number * runs + run) % 250 + 1}"
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(address, REMOTE_ADDR=remote)
                        times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{address} answered {response.status_code}")
                size = len(b"".join(response.streaming_content) if response.streaming else response.content)
                rows.append((address, min(times), statistics.median(times), size, len(captured)))
        self.stdout.write(f"{runs} runs each, uncached, one request at a time")
        self.stdout.write("| address | fastest ms | median ms | size KB | queries |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for address, fastest, median, size, queries in rows:
            shown = address if len(address) <= 60 else address[:45] + "…"
            self.stdout.write(f"| `{shown}` | {fastest:.0f} | {median:.0f} | {size / 1024:.0f} | {queries} |")
