"""Measure each page and endpoint alone, uncached, as the first request after a write meets it:

    manage.py bench_pages [--runs 5] [--only TEXT] [--profile] [--after-rename]

Through Django's test client with the response cache off and DEBUG off, one request at a time,
each after a bump of the registry's counters as a write to a participation makes it (--after-rename:
as a write to a name or to any record shared by the processes, which also rebuilds the names'
order and the reconciliation index),
each address --runs times (the fastest counts: the others add noise from the machine); on the
database of DATABASE_URL (the real data, or `manage.py synthesize --factor 100`'s). Prints a
Markdown table: fastest and median time, the answer's size and its queries. The sizes are those
the pages' bound (150 KB of HTML) is checked against. --only keeps the addresses containing TEXT;
--profile then prints where one more request to each spends its time (pyinstrument).
"""

import json
import statistics
import time
from urllib.parse import quote

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from pyinstrument import Profiler

from ...models import Participation, RegistryVersion
from .bench import RECONCILE_BATCH

ADDRESSES = [
    "/en/reports/changes/?from=2003&to=2009-04-30",
    "/en/reports/overview/",
    "/en/reports/iom-roles/",
    "/en/overlap/",
    "/en/overlap/processes/",
    "/en/processes/",
    "/en/processes/?kind=geographic&ordering=-size",
    "/es/states/",
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
        parser.add_argument("--only", default="", help="Only the addresses containing this text.")
        parser.add_argument("--profile", action="store_true", help="Print a profile of each address.")
        parser.add_argument(
            "--after-rename",
            action="store_true",
            help="Each request after a write to a name or a shared record (the names' order and "
            "the reconciliation index rebuilt), not after a write to a participation.",
        )

    def handle(self, *args, runs, only, profile, after_rename, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        addresses = [address for address in ADDRESSES if only in address]
        if not addresses:
            raise CommandError(f"No address contains {only!r}.")
        client = Client()
        rows = []
        # The process of the first participation: the one "written" before each request.
        written = Participation.objects.order_by("pk").values_list("process_id", flat=True).first()
        with override_settings(RESPONSE_CACHE_SECONDS=0, DEBUG=False):
            for number, address in enumerate(addresses):
                times = []
                for run in range(runs):
                    # An address of its own for each request: the API throttle is not measured.
                    remote = f"198.51.100.{(number * runs + run) % 250 + 1}"
                    # As the first request after a write: what is kept per registry version is
                    # rebuilt; after a rename, also what is kept per version of the names.
                    RegistryVersion.bump(names=after_rename, process_id=None if after_rename else written)
                    with CaptureQueriesContext(connection) as captured:
                        started = time.perf_counter()
                        response = client.get(address, REMOTE_ADDR=remote)
                        times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{address} answered {response.status_code}")
                size = len(b"".join(response.streaming_content) if response.streaming else response.content)
                rows.append((address, min(times), statistics.median(times), size, len(captured)))
                if profile:
                    self._profile(client, address)
        after = "a write to a name" if after_rename else "a write to a participation"
        self.stdout.write(f"{runs} runs each, uncached, one request at a time, each after {after}")
        self.stdout.write("| address | fastest ms | median ms | size KB | queries |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for address, fastest, median, size, queries in rows:
            shown = address if len(address) <= 60 else address[:45] + "…"
            self.stdout.write(f"| `{shown}` | {fastest:.0f} | {median:.0f} | {size / 1024:.0f} | {queries} |")

    def _profile(self, client, address):
        profiler = Profiler(interval=0.0005)
        with profiler:
            client.get(address, REMOTE_ADDR="198.51.100.254")
        self.stdout.write(profiler.output_text(unicode=True, color=False))
