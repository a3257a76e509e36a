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
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from . import models as m
from .history import feed_entries

TIMEOUT = 5  # seconds, to connect and to read
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY, LONGEST_RETRY = 10, 3600  # seconds: 10, 20, 40, ... up to an hour
BATCH = 100  # deliveries tried per subscription and pass


def api_url(change) -> str | None:
    """The object's API address, absolute with WEBHOOKS_BASE_URL; None once deleted."""
    path = change.api_path()
    return settings.WEBHOOKS_BASE_URL.rstrip("/") + path if path else None


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


def payload(change) -> bytes:
    """The change feed's entry and the record after the change (feed_entries() read first)."""
    record = change.record if change.action != m.ChangeAction.DELETED else None
    fields = None
    if record is not None:
        fields = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    entry = {
        "sequence": change.sequence,
        "time": change.time,
        "action": change.action,
        "resource": change.resource,
        "key": change.key,
        "url": api_url(change),
        "changes": [{"field": name, "old": old, "new": new} for name, old, new in change.delta],
        "reason": change.reason,
    }
    return json.dumps({"change": entry, "object": fields}, cls=DjangoJSONEncoder, sort_keys=True).encode()


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
    delivery that must wait (its retry is not due): at least once, in order per subscription."""
    session = session or delivery_session()
    counts = {"delivered": 0, "retried": 0, "failed": 0}
    for subscription in m.Subscription.objects.filter(active=True):
        follow(subscription, now)
        queue = list(
            m.Delivery.objects.filter(subscription=subscription, status=m.DeliveryStatus.PENDING)
            .select_related("change__user")
            .order_by("change_id")[:BATCH]
        )
        feed_entries([delivery.change for delivery in queue])
        for delivery in queue:
            current = now or timezone.now()
            if delivery.next_attempt > current:
                break  # in order: the later ones wait for this one
            outcome = attempt(delivery, subscription, session, current)
            counts[outcome] += 1
            if outcome == "retried":
                break
    return counts


def attempt(delivery, subscription, session, now) -> str:
    body = payload(delivery.change)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "rcp-registry-webhooks/1",
        "X-Registry-Delivery": str(delivery.pk),
        "X-Registry-Timestamp": str(timestamp),
        "X-Registry-Signature": signature(subscription.secret, timestamp, body),
    }
    delivery.attempts += 1
    started = time.monotonic()
    try:
        m.check_webhook_address(subscription.url)
        response = session.post(
            subscription.url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
        delivery.response_code = response.status_code
        error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    except ValidationError as refused:
        delivery.response_code, error = None, " ".join(refused.messages)
    except requests.RequestException as failure:
        delivery.response_code, error = None, f"{type(failure).__name__}: {failure}"[:1000]
    delivery.response_ms = round((time.monotonic() - started) * 1000)
    delivery.last_error = error
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


def deliver_again(deliveries):
    """The admin's "deliver again": queued anew, with another 24 hours of retries."""
    now = timezone.now()
    return deliveries.update(status=m.DeliveryStatus.PENDING, next_attempt=now, created=now, last_error="")
