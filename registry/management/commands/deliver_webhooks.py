"""Deliver the webhooks: follow every active subscription's changes into its outbox and POST them,
in order, signed, retrying for 24 hours (registry/webhooks.py).

    manage.py deliver_webhooks [--interval 2] [--once]

`make run` and `make serve-prod` start it next to the web server. Several can run at once: a
subscription's queue is read under a row lock, so a change is queued once.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import connection

from ... import webhooks


class Command(BaseCommand):
    help = "Deliver the webhooks (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args, interval, once, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            counts = webhooks.deliver_due()
            if any(counts.values()):
                delivered, retried, failed = counts["delivered"], counts["retried"], counts["failed"]
                self.stdout.write(f"delivered {delivered}, to retry {retried}, failed {failed}")
            if once or stopping:
                return
            connection.close_if_unusable_or_obsolete()
            time.sleep(interval)
