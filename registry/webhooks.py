"""Delivering webhooks (models/webhooks.py): follow each subscription's changes into its outbox,
then POST them in order, signed, retrying with exponential backoff for 24 hours.

Each delivery is a JSON body {"change": <the change feed's entry>, "object": <the record's fields
after the change, null once deleted>} with the headers

    X-Registry-Delivery: <delivery id>
    X-Registry-Timestamp: <seconds since the epoch>
    X-Registry-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

A receiver recomputes the signature over the raw body and refuses a timestamp older than a few
minutes (replay protection); docs/api.md has a short example."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from . import models as m
from .feed import change_entries

TIMEOUT = 5  # seconds, to connect and to read
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY, LONGEST_RETRY = 10, 3600  # seconds: 10, 20, 40, ... up to an hour
BATCH = 100  # deliveries tried per subscription and pass
# How long a worker's claim on a subscription's queue lasts; renewed before each delivery, so
# longer than one delivery can take (TIMEOUT to connect, TIMEOUT to read). A worker that died
# holding it leaves the queue to the others after this.
CLAIM = timedelta(seconds=60)

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    """An address on the registry's public site (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def follow(subscription, now=None) -> int:
    """The changes after the subscription's cursor that it wants, queued as deliveries; the
    cursor moves past them in the same transaction (nothing queued twice, nothing skipped)."""
    with transaction.atomic():
        subscription = m.Subscription.objects.select_for_update().get(pk=subscription.pk)
        changes = m.Change.objects.filter(sequence__gt=subscription.after).order_by("sequence")[:1000]
        changes = list(changes.values_list("sequence", "resource", "process_id"))
        if not changes:
            return 0
        resources = set(subscription.resources or [])
        processes = set(subscription.processes.values_list("pk", flat=True))
        now = now or timezone.now()
        wanted = [
            m.Delivery(subscription=subscription, change_id=sequence, next_attempt=now)
            for sequence, resource, process_id in changes
            if (not resources or resource in resources) and (not processes or process_id in processes)
        ]
        m.Delivery.objects.bulk_create(wanted, ignore_conflicts=True)
        subscription.after = changes[-1][0]
        subscription.save(update_fields=["after"])
        return len(wanted)


def payload(entry: dict) -> bytes:
    """The body of a delivery: the change feed's entry (registry/feed.py), and the record after the
    change (null once deleted)."""
    record = entry["record"] if entry["action"] != m.ChangeAction.DELETED else None
    entry = {**entry, "user": None}  # the feed's shape; who made a change is told to signed-in staff only
    return json.dumps({"change": entry, "object": record}, cls=DjangoJSONEncoder, sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class _PublicPeer:
    """Checks the address a connection actually reached: the name is resolved again to connect,
    after check_webhook_address resolved it, and could then point inside (DNS rebinding)."""

    def _new_conn(self):
        sock = super()._new_conn()
        address = sock.getpeername()[0]
        if not m.webhook_address_allowed(address):
            sock.close()
            raise NewConnectionError(self, f"{self.host} reached {address}: a private or reserved address")
        return sock


class _PublicHTTPConnection(_PublicPeer, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicPeer, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicAddressesAdapter(HTTPAdapter):
    """requests' adapter whose direct connections (not those through a configured proxy, which
    decides where it connects) only reach the addresses webhook_address_allowed accepts."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}


def delivery_session() -> requests.Session:
    session = requests.Session()
    adapter = PublicAddressesAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def deliver_due(session=None, now=None) -> dict:
    """One pass over the active subscriptions: each one's queue in order, stopping at the first
    delivery that must wait (its retry is not due): at least once, in order per subscription.
    Whatever goes wrong with one subscription is logged and the pass goes on to the next."""
    session = session or delivery_session()
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    for subscription in m.Subscription.objects.filter(active=True):
        try:
            _deliver_queue(subscription, session, now, counts)
        except Exception:
            logger.exception("Webhooks: the queue of subscription %s stopped this pass", subscription.pk)
    return counts


class Claim:
    """One worker's hold on a subscription's queue, until `until`: while it holds, no other worker
    (on this host or another) delivers that queue, so each change is sent once and in order.
    Taken and renewed by one conditional UPDATE each, atomic on SQLite and PostgreSQL alike."""

    def __init__(self, subscription):
        self.subscription, self.until = subscription, None

    def _move(self, free: Q) -> bool:
        until = timezone.now() + CLAIM
        moved = m.Subscription.objects.filter(free, pk=self.subscription.pk).update(claimed_until=until)
        self.until = until if moved else None
        return bool(moved)

    def take(self) -> bool:
        """False when another worker holds the queue."""
        return self._move(Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now()))

    def renew(self) -> bool:
        """False when the claim ran out and another worker took the queue over."""
        return self._move(Q(claimed_until=self.until))

    def release(self):
        if self.until is not None:
            m.Subscription.objects.filter(pk=self.subscription.pk, claimed_until=self.until).update(
                claimed_until=None
            )


def _deliver_queue(subscription, session, now, counts):
    claim = Claim(subscription)
    if not claim.take():
        return  # another worker is delivering this queue
    try:
        _deliver_claimed(subscription, session, now, counts, claim)
    finally:
        claim.release()


def _deliver_claimed(subscription, session, now, counts, claim):
    follow(subscription, now)
    queue = list(
        m.Delivery.objects.filter(subscription=subscription, status=m.DeliveryStatus.PENDING)
        .select_related("change__user")
        .order_by("change_id")[:BATCH]
    )
    bodies = _bodies(queue)
    for delivery in queue:
        current = now or timezone.now()
        if delivery.next_attempt > current:
            break  # in order: the later ones wait for this one
        if not claim.renew():
            break  # the claim ran out and another worker took the queue over
        outcome = attempt(delivery, subscription, session, current, bodies[delivery.pk])
        counts[outcome] += 1
        if outcome == "retried":
            break


def _bodies(queue) -> dict:
    """{delivery id: the body to send, or the error that kept it from being built}: the queue's
    entries read together; should that fail, each alone, so that one change that cannot be told
    holds up only its own delivery."""
    try:
        entries = change_entries([delivery.change for delivery in queue], absolute)
        return {delivery.pk: _body(entry) for delivery, entry in zip(queue, entries, strict=True)}
    except Exception:
        pass
    bodies = {}
    for delivery in queue:
        try:
            bodies[delivery.pk] = _body(change_entries([delivery.change], absolute)[0])
        except Exception as error:
            logger.exception("Webhooks: change %s could not be told", delivery.change_id)
            bodies[delivery.pk] = error
    return bodies


def _body(entry):
    try:
        return payload(entry)
    except Exception as error:
        return error


def attempt(delivery, subscription, session, now, body) -> str:
    """Send one delivery (or record why its body could not be built), then mark it delivered,
    due again after the backoff, or failed after GIVE_UP_AFTER."""
    delivery.attempts += 1
    started = time.monotonic()
    delivery.response_code = None
    if isinstance(body, Exception):
        error = f"The registry could not build this delivery: {type(body).__name__}: {body}"
    else:
        error = _post(delivery, subscription, session, body)
    delivery.response_ms = round((time.monotonic() - started) * 1000)
    delivery.last_error = error[:1000]
    if not error:
        delivery.status, delivery.delivered = m.DeliveryStatus.DELIVERED, now
        outcome = "delivered"
    elif now - delivery.created >= GIVE_UP_AFTER:
        delivery.status = m.DeliveryStatus.FAILED
        outcome = "failed"
    else:
        wait = min(FIRST_RETRY * 2 ** (delivery.attempts - 1), LONGEST_RETRY)
        delivery.next_attempt = now + timedelta(seconds=wait)
        outcome = "retried"
    delivery.save()
    return outcome


def _post(delivery, subscription, session, body) -> str:
    """POST the body, signed; the error, or "" when the subscriber answered 2xx."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "rcp-registry-webhooks/1",
        "X-Registry-Delivery": str(delivery.pk),
        "X-Registry-Timestamp": str(timestamp),
        "X-Registry-Signature": signature(subscription.secret, timestamp, body),
    }
    try:
        m.check_webhook_address(subscription.url)
        response = session.post(
            subscription.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
    except ValidationError as refused:
        return " ".join(refused.messages)
    except requests.RequestException as failure:
        return m.mask_credentials(f"{type(failure).__name__}: {failure}")
    except Exception as failure:  # a bug of ours or of a library: recorded, never the worker's end
        logger.exception("Webhooks: delivery %s", delivery.pk)
        return f"{type(failure).__name__}: {failure}"
    delivery.response_code = response.status_code
    return "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"


def deliver_again(deliveries):
    """The admin's "deliver again": queued anew, with another 24 hours of retries."""
    now = timezone.now()
    return deliveries.update(status=m.DeliveryStatus.PENDING, next_attempt=now, created=now, last_error="")
