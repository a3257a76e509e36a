"""Measure the webhooks: 1,000 changes delivered to local receivers, and the API's write latency
without subscriptions and with three (one of which never answers).

    manage.py bench_webhooks [--changes 1000] [--writes 200]

Runs in-process with DEBUG off on the database of DATABASE_URL, inside a transaction rolled back
at the end (the database is left as it was); the receivers are HTTP servers on loopback threads.
"""

import socket
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from ... import models as m
from ... import webhooks
from ...permissions import CURATOR, setup_groups


class Quiet(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the stdlib's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.count += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    server.count = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def silent_listener():
    """Accepts connections and never answers: the worker's 5 s timeout is what it costs."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(100)
    return sock


class Command(BaseCommand):
    help = "Benchmark the webhooks (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--changes", type=int, default=1000)
        parser.add_argument("--writes", type=int, default=200)

    def handle(self, *args, changes, writes, **options):
        with override_settings(DEBUG=False, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=True), transaction.atomic():
            client = self._curator()
            rows = list(m.Participation.objects.order_by("pk").values_list("pk", flat=True)[:50])
            without = self._write_latency(client, rows, writes, "without")
            good = [receiver(), receiver()]
            silent = silent_listener()
            for index, server in enumerate(good):
                m.Subscription.objects.create(
                    name=f"bench {index}", url=f"http://127.0.0.1:{server.server_port}/"
                )
            m.Subscription.objects.create(
                name="never answers", url=f"http://127.0.0.1:{silent.getsockname()[1]}/"
            )
            with_three = self._write_latency(client, rows, writes, "with")
            # Again without (the subscriptions off), to tell their cost from the tables' growth.
            m.Subscription.objects.update(active=False)
            again = self._write_latency(client, rows, writes, "again")
            m.Subscription.objects.update(active=True)
            process = m.Process.objects.get(slug="midsa")
            for n in range(changes):
                process.status_note = f"bench {n}"
                process.save()
            start = time.perf_counter()
            while min(server.count for server in good) < changes + writes + writes:
                webhooks.deliver_due()
                if time.perf_counter() - start > 600:
                    break
            elapsed = time.perf_counter() - start
            delivered = [server.count for server in good]
            transaction.set_rollback(True)
            silent.close()
        self.stdout.write(
            f"\n| measure | value |\n|---|---:|\n"
            f"| changes delivered to each of 2 receivers (1 more never answers) | {delivered} |\n"
            f"| time to deliver them all | {elapsed:.1f} s |\n"
            f"| API PATCH median, no subscription | {without[0]:.1f} ms (p95 {without[1]:.1f}) |\n"
            f"| API PATCH median, 3 subscriptions | {with_three[0]:.1f} ms (p95 {with_three[1]:.1f}) |\n"
            f"| API PATCH median, subscriptions off again | {again[0]:.1f} ms (p95 {again[1]:.1f}) |\n"
        )

    def _curator(self) -> Client:
        setup_groups()
        user = get_user_model().objects.create_user("bench-webhooks", password=None, is_staff=True)
        user.groups.add(Group.objects.get(name=CURATOR))
        client = Client()
        client.force_login(user)
        return client

    @staticmethod
    def _write_latency(client, rows, writes, label):
        times = []
        for n in range(writes):
            pk = rows[n % len(rows)]
            start = time.perf_counter()
            response = client.patch(
                f"/api/participations/{pk}/", {"status_note": f"{label} {n}"}, content_type="application/json"
            )
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise CommandError(f"PATCH answered {response.status_code}: {response.content[:300]!r}")
        times.sort()
        return statistics.median(times), times[round(0.95 * (len(times) - 1))]
