"""Measure the speed of the pages and the API under gunicorn with wrk, against the floor of a bare
JsonResponse view (/ping) on the same server, and the queries each request runs.

    manage.py bench [--label "real data"] [--seconds 5] [--connections 8] [--workers 2] [--no-cache]

It serves the database of DATABASE_URL (as the command sees it) with production settings on
loopback, installs Debian's wrk when missing (needs root), and prints a Markdown table: p50 and
p95 latency, requests per second, the ratio to the floor, and the queries a request runs when
its answer is not cached. With the response cache on (the default, as in production) wrk's
repeated requests are cache hits after the first; --no-cache measures every request built afresh,
as the first request after a write is.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

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


LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
    summary.requests, summary.duration, errors))
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

    def handle(self, *args, label, seconds, connections, workers, port, no_cache, **options):
        wrk = self.find_wrk()
        queries = self.count_queries()
        server = self.start_gunicorn(port, workers, no_cache)
        try:
            rows = []
            for name, path in ENDPOINTS:
                # Requests still queued from the previous endpoint (slow ones, uncached) finish
                # first: a request to the floor returns once they are done.
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=600).read()
                rows.append((name, path, self.run_wrk(wrk, port, path, seconds, connections)))
        finally:
            server.terminate()
            server.wait(timeout=20)
        floor = rows[0][2]["rps"]
        vendor = connection.vendor
        cache = "response cache off" if no_cache else "response cache on"
        setup = f"gunicorn {workers} workers, wrk {connections} connections, {seconds} s each, {cache}"
        self.stdout.write(f"\n{label or vendor}: {setup}\n")
        self.stdout.write("| endpoint | p50 ms | p95 ms | req/s | × floor | queries (uncached) | errors |")
        self.stdout.write("|---|---:|---:|---:|---:|---:|---:|")
        for name, path, result in rows:
            self.stdout.write(
                f"| {name} `{shown(path)}` | {result['p50']:.1f} | {result['p95']:.1f} | "
                f"{result['rps']:.0f} | "
                f"{result['rps'] / floor:.2f} | {queries[path]} | {result['errors']} |"
            )

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
            with override_settings(RESPONSE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as captured:
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
            "API_THROTTLE_USER": "off",  # DRF's user throttle counts anonymous clients too
            "RESPONSE_CACHE_SECONDS": "0" if no_cache else "600",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", f"sqlite:///{settings.DATABASES['default']['NAME']}"
            ),
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
        match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", output)
        if not match:
            raise CommandError(f"Unexpected wrk output:\n{output}")
        p50, p95, requests, duration, errors = (int(value) for value in match.groups())
        return {"p50": p50 / 1000, "p95": p95 / 1000, "rps": requests / (duration / 1e6), "errors": errors}
