"""Webhooks (registry/webhooks.py): each subscriber gets the changes it asked for, in order,
signed, with retries and exponential backoff for 24 hours; no private address; the admin's log."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registry import models as m
from registry import webhooks
from registry.permissions import VIEWER

from ..helpers import make_staff_user

pytestmark = pytest.mark.django_db


class Receiver(ThreadingHTTPServer):
    """A subscriber on 127.0.0.1 that records what it receives and answers `status`."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.received, self.status = [], 200

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the stdlib's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        self.send_response(self.server.status)
        if self.server.status in (301, 302):
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the test's subscriber is on loopback
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def touch(slug, note):
    process = m.Process.objects.get(slug=slug)
    process.status_note = note
    process.save()


def test_changes_are_delivered_in_order_signed_with_the_record(receiver):
    subscription = m.Subscription.objects.create(name="portal", url=receiver.url)
    for note in ("one", "two", "three"):
        touch("midsa", note)
    assert webhooks.deliver_due()["delivered"] >= 3
    bodies = [json.loads(body) for _headers, body in receiver.received]
    notes = [b["object"]["status_note"] for b in bodies if b["change"]["resource"] == "processes"]
    assert notes == ["one", "two", "three"]
    sequences = [b["change"]["sequence"] for b in bodies]
    assert sequences == sorted(sequences)
    headers, body = receiver.received[0]
    expected = hmac.new(
        subscription.secret.encode(), f"{headers['X-Registry-Timestamp']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Registry-Signature"] == f"sha256={expected}"
    assert {"field": "status_note", "old": "", "new": "one"} in bodies[0]["change"]["changes"]
    assert webhooks.deliver_due() == {"delivered": 0, "retried": 0, "failed": 0}  # at most once each
    assert m.Delivery.objects.filter(status="delivered").count() == len(receiver.received)


def test_a_subscription_gets_only_what_it_asked_for(receiver):
    subscription = m.Subscription.objects.create(name="midsa only", url=receiver.url, resources=["processes"])
    subscription.processes.add(m.Process.objects.get(slug="midsa"))
    touch("midsa", "wanted")
    touch("rcm", "not wanted")
    participation = m.Participation.objects.filter(process__slug="midsa").first()
    participation.status_note = "not wanted either"
    participation.save()
    webhooks.deliver_due()
    assert [json.loads(body)["change"]["key"] for _h, body in receiver.received] == ["midsa"]


def test_a_failing_subscriber_is_retried_with_backoff_in_order_then_given_up(receiver):
    m.Subscription.objects.create(name="flaky", url=receiver.url, resources=["processes"])
    receiver.status = 500
    touch("midsa", "first")
    touch("rcm", "second")
    now = timezone.now()
    assert webhooks.deliver_due(now=now) == {"delivered": 0, "retried": 1, "failed": 0}
    head = m.Delivery.objects.order_by("change_id").first()
    assert (head.attempts, head.response_code, head.last_error) == (1, 500, "HTTP 500")
    assert head.next_attempt == now + timedelta(seconds=10)
    assert webhooks.deliver_due(now=now + timedelta(seconds=5))["retried"] == 0  # not due yet
    assert len(receiver.received) == 1  # and "second" waits behind "first": in order
    webhooks.deliver_due(now=now + timedelta(seconds=11))
    head.refresh_from_db()
    assert head.attempts == 2 and head.next_attempt == now + timedelta(seconds=11 + 20)
    m.Delivery.objects.filter(pk=head.pk).update(created=now - timedelta(hours=25))
    receiver.status = 200
    counts = webhooks.deliver_due(now=now + timedelta(seconds=40))
    # The head succeeds now; a head that kept failing past 24 hours would be marked failed.
    assert counts["delivered"] == 2
    assert [json.loads(b)["change"]["key"] for _h, b in receiver.received][-2:] == ["midsa", "rcm"]


def test_after_24_hours_a_delivery_is_failed_and_the_queue_moves_on(receiver):
    m.Subscription.objects.create(name="gone", url=receiver.url, resources=["processes"])
    receiver.status = 503
    touch("midsa", "lost")
    touch("rcm", "next")
    webhooks.deliver_due()
    m.Delivery.objects.update(created=timezone.now() - timedelta(hours=25), next_attempt=timezone.now())
    counts = webhooks.deliver_due()
    assert counts["failed"] >= 1
    failed = m.Delivery.objects.get(status="failed", change__key="midsa")
    assert failed.attempts == 2 and failed.response_code == 503


def test_redirects_are_not_followed(receiver):
    m.Subscription.objects.create(name="moved", url=receiver.url, resources=["processes"])
    receiver.status = 302
    touch("midsa", "somewhere")
    assert webhooks.deliver_due()["retried"] == 1
    assert len(receiver.received) == 1 and m.Delivery.objects.get().response_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://[::1]/hook",
        "ftp://example.org/hook",
        "http://no-such-host.invalid/hook",
    ],
)
def test_no_subscription_to_a_private_address_or_another_scheme(url):
    with pytest.raises(ValidationError) as refused:
        m.Subscription(name="internal", url=url).full_clean()
    assert "url" in refused.value.message_dict


def test_a_public_address_is_accepted():
    m.Subscription(name="public", url="https://93.184.216.34/hook").full_clean()


def test_a_new_subscription_starts_from_now_and_writes_never_wait(receiver):
    touch("midsa", "before")
    subscription = m.Subscription.objects.create(name="late", url=receiver.url)
    assert subscription.after == m.Change.objects.order_by("-sequence").first().sequence
    touch("midsa", "after")  # the write queues nothing itself: the worker follows the feed
    assert not m.Delivery.objects.exists()
    call_command("deliver_webhooks", once=True)
    assert {json.loads(b)["object"]["status_note"] for _h, b in receiver.received} == {"after"}


def test_the_delivery_log_and_deliver_again_in_the_admin(client, curator, receiver):
    m.Subscription.objects.create(name="portal", url=receiver.url, resources=["processes"])
    receiver.status = 500
    touch("midsa", "x")
    webhooks.deliver_due()
    delivery = m.Delivery.objects.get()
    log = client.get(reverse("admin:registry_delivery_changelist")).content.decode()
    assert "HTTP 500" in log
    response = client.post(
        reverse("admin:registry_delivery_changelist"),
        {"action": "deliver_again", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    receiver.status = 200
    assert webhooks.deliver_due()["delivered"] == 1


def test_the_webhook_benchmark_runs_and_leaves_the_database_as_it_was(capsys):
    before = (m.Change.objects.count(), m.Subscription.objects.count(), m.Delivery.objects.count())
    call_command("bench_webhooks", changes=5, writes=3)
    table = capsys.readouterr().out
    assert "| changes delivered to each of 2 receivers (1 more never answers) | [11, 11] |" in table
    assert (m.Change.objects.count(), m.Subscription.objects.count(), m.Delivery.objects.count()) == before


def test_a_name_that_resolves_inside_once_checked_is_refused_at_connection(receiver, settings, monkeypatch):
    """DNS rebinding: the address check passes (the name resolved to a public address then) but
    the connection reaches a loopback one: nothing is sent, the delivery waits and says why."""
    m.Subscription.objects.create(name="rebinding", url=receiver.url, resources=["processes"])
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(m, "check_webhook_address", lambda url: None)
    touch("midsa", "rebound")
    assert webhooks.deliver_due()["retried"] == 1
    assert receiver.received == []
    delivery = m.Delivery.objects.get()
    assert (
        "127.0.0.1: a private or reserved address" in delivery.last_error and delivery.response_code is None
    )
    # Allowed again (a subscriber on the local network, by choice): delivered.
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    webhooks.deliver_again(m.Delivery.objects.all())
    assert webhooks.deliver_due()["delivered"] == 1 and len(receiver.received) == 1


def test_the_secret_is_shown_once_to_its_curator_and_never_to_a_viewer(client, curator):
    add = reverse("admin:registry_subscription_add")
    answer = client.post(
        add, {"name": "portal", "url": "https://alice:s3cret@93.184.216.34/hook", "active": "on"}, follow=True
    )
    subscription = m.Subscription.objects.get(name="portal")
    assert subscription.secret in answer.content.decode()  # once, to the curator who made it
    page = reverse("admin:registry_subscription_change", args=[subscription.pk])
    assert subscription.secret not in client.get(page).content.decode()
    listing = client.get(reverse("admin:registry_subscription_changelist")).content.decode()
    assert "https://***@93.184.216.34/hook" in listing and "s3cret" not in listing
    old = subscription.secret
    answer = client.post(
        reverse("admin:registry_subscription_changelist"),
        {"action": "rotate_secret", "_selected_action": [subscription.pk]},
        follow=True,
    )
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in answer.content.decode()
    client.force_login(make_staff_user("viewer", VIEWER))
    for address in (page, reverse("admin:registry_subscription_changelist")):
        html = client.get(address).content.decode()
        assert subscription.secret not in html and "s3cret" not in html and "alice" not in html


def test_a_delivery_error_never_shows_the_address_credentials(receiver, client, curator):
    m.Subscription.objects.create(
        name="portal", url="http://bob:hunter2@127.0.0.1:9/hook", resources=["processes"]
    )
    touch("midsa", "x")
    webhooks.deliver_due()
    delivery = m.Delivery.objects.get()
    assert delivery.last_error and "hunter2" not in delivery.last_error
    for address in (
        reverse("admin:registry_delivery_changelist"),
        reverse("admin:registry_delivery_change", args=[delivery.pk]),
    ):
        assert "hunter2" not in client.get(address).content.decode()


def test_one_worker_at_a_time_holds_a_subscriptions_queue(receiver, monkeypatch):
    """Two delivery workers (on one host or two) never both send a queue: each change once."""
    from registry.webhooks import CLAIM, Claim

    subscription = m.Subscription.objects.create(name="portal", url=receiver.url, resources=["processes"])
    first, second = Claim(subscription), Claim(subscription)
    assert first.take() and not second.take()
    touch("midsa", "claimed")
    assert webhooks.deliver_due() == {"delivered": 0, "retried": 0, "failed": 0}  # held by `first`
    assert first.renew() and not second.take()
    first.release()
    assert second.take()
    later = timezone.now() + CLAIM * 2  # `second` died holding it: the claim runs out
    monkeypatch.setattr(webhooks.timezone, "now", lambda: later)
    assert webhooks.deliver_due()["delivered"] == 1 and len(receiver.received) == 1
    assert not second.renew()  # taken over: the dead worker's claim cannot come back
