"""Measure the speed of the pages and the API under gunicorn with wrk, against the floor of a bare
JsonResponse view (/ping) on the same server, and the queries each request runs.

    manage.py bench [--label "real data"] [--seconds 5] [--connections 8] [--workers 2] [--no-cache]
                    [--writes 10]

It serves the database of DATABASE_URL (as the command sees it) with production settings on
loopback, installs Debian's wrk when missing (needs root), and prints a Markdown table: p50 and
p95 latency, requests per second, the ratio to the floor, and the queries a request runs when
its answer is not cached. With the response cache on (the default, as in production) wrk's
repeated requests are cache hits after the first; --no-cache measures every request built afresh,
as the first request after a write is.

--writes N is the reads-under-writes mode: while wrk reads each address, a curator's client sends N
API writes a second (PATCHes of participations, spread over the processes) to the same server,
each one bumping the registry's version; the table then adds the writes' own latency. On SQLite
it serves a copy of the database, so the data measured stays as it was; on PostgreSQL it writes
into DATABASE_URL's database (`make bench-postgres` runs on a throwaway server).
"""

import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.authtoken.models import Token

from ...models import Participation
from ...permissions import CURATOR, setup_groups

# Names as spreadsheets write them: exact, in other languages, misspelt.
RECONCILE_BATCH = {
    f"q{i}": {"query": name}
    for i, name in enumerate(
        [
            "Laos PDR",
            "Swaziland",
            "Alemania",
            "Proceso de Puebla",
            "MDSA",
            "Germny",
            "Autria",
            "Bali Proces",
            "UNHCR",
            "Cote d'Ivoire",
        ]
    )
}
ENDPOINTS = [
    ("floor: bare JsonResponse", "/ping"),
    ("home", "/en/"),
    ("process list, filtered", "/en/processes/?kind=geographic&ordering=-size"),
    ("process detail", "/en/processes/budapest-process/"),
    ("state detail", "/en/states/australia/"),
    ("overlap matrix", "/en/overlap/"),
    # The languages: names from the name book, lists sorted by collation in Spanish.
    ("process detail, Spanish", "/es/processes/budapest-process/"),
    ("state list, Spanish", "/es/states/"),
    ("API list", "/api/participations/"),
    ("API detail", "/api/processes/budapest-process/"),
    ("API filtered as of", "/api/participations/?process=budapest-process&role=member&as_of=2009-04-30"),
    ("API list, names in Spanish", "/api/participations/?lang=es"),
    # Following the changes and matching names (issue 19's services).
    ("change feed, 100 entries", "/api/changes/?after=0"),
    ("Atom feed of the registry", "/en/changes.atom"),
    ("reconciliation, 10 names", "/api/reconcile/?queries=" + quote(json.dumps(RECONCILE_BATCH))),
    ("reconciliation suggest", "/api/reconcile/suggest/entity/?prefix=bu"),
    ("change report", "/en/reports/changes/?from=2003&to=2009-04-30"),
    ("shared members matrix", "/en/overlap/processes/"),
]


def shown(path: str) -> str:
    """The address as the table shows it: a long query (a reconciliation batch) cut short."""
    return path if len(path) <= 80 else path[:60] + "…"


def set_floors(rows: list[tuple], floors: list[dict]) -> None:
    """Give each row's result the floor its ratio is to: the mean of the floor's runs just before
    and after it (`floors`: the first row's run, then one after each other row), or the first
    row's run when the floor was measured once (no `floors`). The floor's own row then shows the
    median of its runs."""
    first = rows[0][2]
    for index, (_name, _path, result) in enumerate(rows):
        around = floors[max(index - 1, 0) : index + 1] if floors else [first]
        result["floor"] = statistics.mean(floor["rps"] for floor in around)
    if floors:
        first["rps"] = first["floor"] = statistics.median(floor["rps"] for floor in floors)


LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.requests, summary.duration, errors))
end
"""


class Command(BaseCommand):
    help = "Benchmark the pages and the API under gunicorn with wrk (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--label", default="")
        parser.add_argument("--seconds", type=int, default=5)
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--no-cache", action="store_true", help="turn the response cache off")
        parser.add_argument(
            "--writes", type=float, default=0, help="API writes a second while wrk reads (reads under writes)"
        )

    def handle(self, *args, label, seconds, connections, workers, port, no_cache, writes, **options):
        if writes < 0 or writes > 1000:
            raise CommandError("--writes is a number of writes a second, from 0 to 1000.")
        wrk = self.find_wrk()
        copy = self.serve_a_copy() if writes and connection.vendor == "sqlite" else None
        try:
            writer = Writer(port, *self.writer_setup(), writes) if writes else None
            queries = self.count_queries()
            rows = self.measure(wrk, port, workers, no_cache, seconds, connections, writer)
        finally:
            if copy:
                connection.close()
                os.unlink(copy)
        cache = "response cache off" if no_cache else "response cache on"
        setup = f"gunicorn {workers} workers, wrk {connections} connections, {seconds} s each, {cache}"
        if writes:
            setup += f", {writes:g} API writes a second meanwhile"
        self.stdout.write(f"\n{label or connection.vendor}: {setup}\n")
        head = "| endpoint | p50 ms | p95 ms | p99 ms | req/s | × floor | queries (uncached) | errors |"
        self.stdout.write(head + (" writes: done, p50 / p99 ms, errors |" if writes else ""))
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if writes else ""))
        for name, path, result in rows:
            line = (
                f"| {name} `{shown(path)}` | {result['p50']:.1f} | {result['p95']:.1f} | "
                f"{result['p99']:.1f} | {result['rps']:.0f} | {result['rps'] / result['floor']:.2f} | "
                f"{queries[path]} | {result['errors']} |"
            )
            if writes:
                w = result["writes"]
                line += f" {w['done']}, {w['p50']:.0f} / {w['p99']:.0f}, {w['errors']} |"
            self.stdout.write(line)

    def measure(self, wrk, port, workers, no_cache, seconds, connections, writer):
        """Each endpoint in turn. With the cache on and no writes, the floor is measured again
        between endpoints, and each endpoint's ratio is to the floor just before and after it:
        on a shared machine the floor itself drifts by ±6% over a run, more than the differences
        measured."""
        server = self.start_gunicorn(port, workers, no_cache)
        interleaved = not no_cache and writer is None
        floor_path = ENDPOINTS[0][1]
        try:
            rows, floors = [], []
            for name, path in ENDPOINTS:
                # Requests still queued from the previous endpoint (slow ones, uncached) finish
                # first: a request to the floor returns once they are done.
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=600).read()
                if writer:
                    writer.begin()
                result = self.run_wrk(wrk, port, path, seconds, connections)
                if writer:
                    result["writes"] = writer.end()
                rows.append((name, path, result))
                if interleaved:
                    floors.append(
                        result
                        if path == floor_path
                        else self.run_wrk(wrk, port, floor_path, seconds, connections)
                    )
        finally:
            server.terminate()
            server.wait(timeout=20)
        set_floors(rows, floors)
        return rows

    def serve_a_copy(self) -> str:
        """A copy of the SQLite database, served and written instead of it (the writes of the
        reads-under-writes mode leave the data measured as it was)."""
        import sqlite3

        handle, copy = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-writes-")
        os.close(handle)
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(copy)
        with target:
            source.backup(target)
        source.close()
        target.close()
        connection.close()
        connection.settings_dict["NAME"] = copy
        return copy

    def writer_setup(self) -> tuple[str, list[int]]:
        """A curator's API token, and participations spread over the processes to write to."""
        setup_groups()
        user, _created = get_user_model().objects.get_or_create(
            username="bench-writer", defaults={"is_staff": True}
        )
        user.groups.add(Group.objects.get(name=CURATOR))
        token, _created = Token.objects.get_or_create(user=user)
        pks = list(Participation.objects.order_by("pk").values_list("pk", flat=True))
        if not pks:
            raise CommandError("The reads-under-writes mode needs participations to write to.")
        return token.key, pks[:: max(1, len(pks) // 100)]

    def find_wrk(self):
        wrk = shutil.which("wrk")
        if wrk is None:
            self.stderr.write("Installing Debian's wrk...")
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
            wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed and could not be installed.")
        return wrk

    def count_queries(self):
        client = Client()
        counts = {}
        for number, (_name, path) in enumerate(ENDPOINTS):
            # Each from an address of its own: the API's per-client throttle (its counters shared
            # with anything else this machine served) is not what is counted.
            address = f"198.51.100.{number + 1}"
            # The version read from the database, as without the host's stamp: counts that do not
            # depend on whether the stamp was published less than a second before.
            uncached = override_settings(RESPONSE_CACHE_SECONDS=0)
            with uncached, CaptureQueriesContext(connection) as captured:
                response = client.get(path, REMOTE_ADDR=address)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            counts[path] = len(captured.captured_queries)
        return counts

    def start_gunicorn(self, port, workers, no_cache):
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            # Off: the load comes from one client, and the throttle's own bookkeeping is not measured.
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
            "RESPONSE_CACHE_SECONDS": "0" if no_cache else "600",
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"
            if connection.vendor == "sqlite"  # the copy, in the reads-under-writes mode
            else os.environ["DATABASE_URL"],
        }
        # Production settings serve the static files by their manifest: make it current, with the
        # same settings (a new icon or stylesheet would otherwise fail every page).
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
        subprocess.run(collect, cwd=settings.BASE_DIR, env=env, check=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "config.wsgi", "-c", "config/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--access-logfile", "/dev/null"]
        # No recycling of workers mid-run (config/gunicorn.py recycles every ~5,000 requests): a
        # recycled worker's second of start-up would land in one endpoint's numbers at random.
        command += ["--max-requests", "0"]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            server.terminate()
            raise CommandError("gunicorn did not start")
        try:
            for _name, path in ENDPOINTS:
                self.warm(f"http://127.0.0.1:{port}{path}", workers, no_cache)
        except Exception:
            server.terminate()  # never left holding the port
            server.wait(timeout=20)
            raise
        return server

    def warm(self, url, workers, no_cache):
        """Until every worker has the answer in its own cache (as many hits in a row as workers,
        twice over), or a few requests when the cache is off."""
        hits, tries = 0, 0
        while tries < (workers * 2 if no_cache else 100) and (no_cache or hits < workers * 2):
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
                hits = hits + 1 if response.headers.get("X-Registry-Cache") == "hit" else 0
            tries += 1

    def run_wrk(self, wrk, port, path, seconds, connections):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        try:
            output = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--timeout",
                    "60s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}{path}",
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=seconds + 120,
            ).stdout
        finally:
            os.unlink(script.name)
        match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
        if not match:
            raise CommandError(f"Unexpected wrk output:\n{output}")
        p50, p95, p99, requests, duration, errors = (int(value) for value in match.groups())
        return {
            "p50": p50 / 1000,
            "p95": p95 / 1000,
            "p99": p99 / 1000,
            "rps": requests / (duration / 1e6),
            "errors": errors,
        }


class Writer:
    """A curator's client sending `per_second` API writes a second, on a schedule (a slow write
    delays the next ones, never adds to them), in a thread of its own."""

    def __init__(self, port: int, token: str, participations: list[int], per_second: float):
        self.url = f"http://127.0.0.1:{port}/api/participations/"
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.participations, self.per_second = participations, per_second
        self.sent = 0

    def begin(self):
        self.latencies, self.errors = [], 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def end(self) -> dict:
        self.stopping.set()
        self.thread.join(timeout=60)
        times = sorted(self.latencies) or [0.0]
        return {
            "done": len(self.latencies),
            "p50": statistics.median(times),
            "p99": times[round(0.99 * (len(times) - 1))],
            "errors": self.errors,
        }

    def run(self):
        started = time.perf_counter()
        for n in range(10**9):
            due = started + n / self.per_second
            if self.stopping.wait(max(0.0, due - time.perf_counter())):
                return
            pk = self.participations[self.sent % len(self.participations)]
            body = json.dumps({"status_note": f"Benchmark write {self.sent}"}).encode()
            request = urllib.request.Request(f"{self.url}{pk}/", body, self.headers, method="PATCH")
            self.sent += 1
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
            except OSError:  # an HTTP error status too
                self.errors += 1
            self.latencies.append((time.perf_counter() - began) * 1000)
