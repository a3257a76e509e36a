"""Every kind of record the registry keeps reaches a subscriber when it is created, updated and
deleted — files, dates and deleted records included — named by keys and absolute addresses; a
change the registry cannot tell never stops the worker."""

import json
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models

from registry import models as m
from registry import webhooks

from ..helpers import make_later_source
from .test_webhooks import receiver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

SITE = "https://rcp.example.org"


def kinds():
    """Every model of the registry whose changes the feed records (those with a history)."""
    return [
        model
        for model in apps.get_app_config("registry").get_models()
        if hasattr(model, "history") and not model._meta.model_name.startswith("historical")
    ]


def _copy_of(record, later_source, later_account):
    """A new record like an existing one, what makes it unique made new."""
    model = type(record)
    copy = model._base_manager.get(pk=record.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    unique = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            unique.update(constraint.fields)
    for name in unique:
        field = model._meta.get_field(name)
        if isinstance(field, models.CharField) and not field.choices and getattr(copy, name):
            setattr(copy, name, (getattr(copy, name) + "-webhook-copy")[-field.max_length :])
    if isinstance(copy, m.SourceDocument):
        copy.copy = ContentFile(b"<!doctype html><html><body>A stored copy</body></html>", name="copy.html")
        copy.symbol = ""
    elif isinstance(copy, m.ProcessAccount):
        copy.source = later_source
    elif isinstance(
        copy, m.StatedTotal | m.Priority | m.IomRole | m.Participation | m.StatedList | m.Departure
    ):
        copy.account, copy.process_id = later_account, later_account.process_id
    elif isinstance(copy, m.Participant):
        copy.iso_code = None
    elif isinstance(copy, m.StatusPeriod):
        copy.start = date(1990, 1, 1)
    elif isinstance(copy, m.Succession):
        copy.predecessor = m.Process.objects.exclude(pk__in=[copy.predecessor_id, copy.successor_id]).first()
    return copy


def test_a_change_of_every_kind_of_record_is_delivered_with_keys(receiver, settings):  # noqa: F811
    settings.SITE_URL = SITE
    later_source = make_later_source()
    first_account = m.ProcessAccount.objects.order_by("pk").first()
    later_account = m.ProcessAccount.objects.create(
        process=first_account.process, source=make_later_source(title="Another later source (test)")
    )
    settings.MEDIA_ROOT = settings.MEDIA_ROOT.parent / "test-media-webhooks"
    # The kinds the papers give no example of, stated by the test source.
    soderkoping, prague = m.Process.objects.order_by("slug")[:2]
    m.StatusPeriod.objects.create(
        process=soderkoping, status="dormant", start=date(2012, 1, 1), start_precision="year"
    )
    m.Succession.objects.create(
        predecessor=soderkoping, successor=prague, date=date(2011, 5, 1), date_precision="month"
    )
    m.Departure.objects.create(
        account=m.ProcessAccount.objects.create(process=prague, source=later_source),
        participant=m.Participant.objects.order_by("pk").first(),
        role="member",
        kind="withdrew",
    )
    m.Subscription.objects.create(name="everything", url=receiver.url)
    expected = Counter()
    for model in kinds():
        record = model._base_manager.order_by("pk").first()
        assert record is not None, f"the fixtures hold no {model.__name__}"
        record._change_reason = "touched by the test"
        record.save()
        copy = _copy_of(record, later_source, later_account)
        copy.save()
        copy.delete()
        expected.update(
            {
                (model._meta.concrete_model._meta.model_name, action)
                for action in ("created", "updated", "deleted")
            }
        )
    for _ in range(20):
        if not webhooks.deliver_due()["delivered"]:
            break
    bodies = [json.loads(body) for _headers, body in receiver.received]
    assert not m.Delivery.objects.exclude(status="delivered").exists()
    delivered = Counter()
    for body in bodies:
        change, record = body["change"], body["object"]
        model = m.Change.objects.get(sequence=change["sequence"]).model.split(".")[1]
        delivered[(model, change["action"])] += 1
        assert change["key"] and change["label"]
        assert set(change) == {
            "sequence",
            "time",
            "action",
            "resource",
            "key",
            "url",
            "process",
            "label",
            "record",
            "changes",
            "reason",
            "user",
        }  # what an entry of /api/changes/ holds
        if change["action"] == "deleted":
            assert record is None and change["url"] is None and change["record"] is not None
        else:
            assert record == change["record"]
        if change["url"]:
            assert change["url"].startswith(f"{SITE}/api/")
        assert not any(name.endswith("_id") for name in change["record"]), change["record"]
        if model == "citation":
            fact = change["record"]["fact"]
            assert fact["resource"] and fact["key"] and change["record"]["source"]
    for kind, action in expected:
        assert delivered[(kind, action)] >= 1, (kind, action)
    sequences = [body["change"]["sequence"] for body in bodies]
    assert sequences == sorted(sequences)
    stored = [
        b for b in bodies if b["change"]["resource"] == "sources" and b["change"]["action"] == "created"
    ]
    assert stored and stored[0]["object"]["copy"].endswith(".html")
    print(f"delivered per kind: {dict(sorted(delivered.items()))}")


def test_an_account_and_a_participation_are_named_by_their_keys(receiver, settings):  # noqa: F811
    settings.SITE_URL = SITE
    m.Subscription.objects.create(name="keys", url=receiver.url)
    participation = m.Participation.objects.filter(
        process__slug="colombo-process", account__isnull=False
    ).first()
    participation.status_note = "named by keys"
    participation.save()
    account = participation.account
    account.save()
    webhooks.deliver_due()
    bodies = {json.loads(b)["change"]["resource"]: json.loads(b) for _h, b in receiver.received}
    told = bodies["participations"]["change"]
    assert told["process"] == "colombo-process"
    assert told["url"] == f"{SITE}/api/participations/{participation.pk}/"
    assert told["record"]["participant"] == participation.participant.slug
    assert (
        told["record"]["account"] == account.source.key == "SCPF/30"
        or told["record"]["account"] == account.source.key
    )
    assert bodies["accounts"]["change"]["key"] == account.source.key
    assert bodies["accounts"]["change"]["url"] == (
        f"{SITE}/api/processes/colombo-process/accounts/{account.source.key}/"
    )


def test_a_change_that_cannot_be_told_is_retried_then_failed_and_the_worker_goes_on(
    receiver,  # noqa: F811
    monkeypatch,
):
    m.Subscription.objects.create(name="portal", url=receiver.url, resources=["processes"])
    for note in ("broken", "fine"):
        process = m.Process.objects.get(slug="midsa" if note == "broken" else "rcm")
        process.status_note = note
        process.save()
    real = webhooks.payload

    def refuse_midsa(entry):
        if entry["key"] == "midsa":
            raise TypeError("Object of type FieldFile is not JSON serializable")
        return real(entry)

    monkeypatch.setattr(webhooks, "payload", refuse_midsa)
    call_command("deliver_webhooks", once=True)  # no traceback, no exit
    head = m.Delivery.objects.get(change__key="midsa")
    assert head.status == "pending" and head.attempts == 1
    assert "could not build this delivery: TypeError: Object of type FieldFile" in head.last_error
    m.Delivery.objects.filter(pk=head.pk).update(
        created=head.created - webhooks.GIVE_UP_AFTER, next_attempt=head.created
    )
    counts = webhooks.deliver_due()
    assert counts == {"delivered": 1, "retried": 0, "failed": 1}
    assert [json.loads(b)["change"]["key"] for _h, b in receiver.received] == ["rcm"]
