"""Deliver the webhooks: follow every active subscription's changes into its outbox and POST them,
in order, signed, retrying for 24 hours (registry/webhooks.py).

    manage.py deliver_webhooks [--interval 2] [--once]

`make run` and `make serve-prod` start it next to the web server. Several can run at once: a
subscription's queue is read under a row lock, so a change is queued once. It never stops on an
error: a delivery that cannot be built or sent records why and is retried; an error of a whole
pass (the database away, say) is logged and the next pass tries again. Each pass renews the
worker's heartbeat, which /healthz and the admin's delivery list read.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from ... import models as m
from ... import webhooks

logger = logging.getLogger("registry.webhooks")


class Command(BaseCommand):
    help = "Deliver the webhooks (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument("--once", action="store_true", help="one pass, then exit")

    def handle(self, *args, interval, once, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        worker = None
        while True:
            try:
                worker = worker or m.WorkerHeartbeat.start()
                worker.renew()
                self.report(webhooks.deliver_due())
            except Exception as error:
                if once:
                    raise CommandError(f"The pass failed: {type(error).__name__}: {error}") from error
                logger.exception("Webhooks: a pass failed; the next one tries again")
                self.stderr.write(f"A pass failed ({type(error).__name__}: {error}); trying again.")
                if isinstance(error, DatabaseError):
                    connection.close()
                    worker = None
            if once or stopping:
                return
            connection.close_if_unusable_or_obsolete()
            time.sleep(interval)

    def report(self, counts):
        if any(counts.values()):
            delivered, retried, failed = counts["delivered"], counts["retried"], counts["failed"]
            self.stdout.write(f"delivered {delivered}, to retry {retried}, failed {failed}")
