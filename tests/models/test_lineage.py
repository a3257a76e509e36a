"""How processes change shape: status over time, a dated rename, and succession, each cited; the
pages and the API show them, and earlier dates keep what was true then. The facts here come from
a test source (the fixtures hold only what the papers say)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def soderkoping(process, later_source):
    """The Söderköping Process, continued by a (test) Eastern Partnership panel from 2011."""
    old = process("soderkoping-process")
    panel = m.Process.objects.create(
        slug="eap-panel-test",
        name="Eastern Partnership Panel on Migration and Asylum (test)",
        short_name="EaP Panel (test)",
        kind="geographic",
        status="active",
    )
    succession = m.Succession.objects.create(
        predecessor=old, successor=panel, date=date(2011, 1, 1), date_precision="year"
    )
    succession.cite(later_source, "para. 9")
    concluded = m.StatusPeriod.objects.create(
        process=old, status="concluded", start=date(2011, 1, 1), start_precision="year"
    )
    concluded.cite(later_source, "para. 9")
    return old, panel


def test_status_over_time_and_succession_on_the_process_page(client, soderkoping):
    old, panel = soderkoping
    now = client.get(f"/en/processes/{old.slug}/").content.decode()
    assert 'id="continued-by"' in now and "EaP Panel (test)" in now and "concluded" in now
    then = client.get(f"/en/processes/{old.slug}/?as_of=2009-04-30").content.decode()
    assert 'id="continued-by"' not in then  # in 2009 nobody had continued it yet
    successor = client.get(f"/en/processes/{panel.slug}/").content.decode()
    assert "Continues" in successor and old.short_name in successor


def test_the_api_shows_the_lineage_both_ways(client, soderkoping):
    old, panel = soderkoping
    earlier = client.get(f"/api/processes/{old.slug}/").json()
    assert [(s["process"], s["date"]) for s in earlier["continued_by"]] == [(panel.slug, "2011")]
    assert earlier["continued_by"][0]["citations"][0]["locator"] == "para. 9"
    assert [(s["status"], s["start"]) for s in earlier["statuses"]] == [("concluded", "2011")]
    later = client.get(f"/api/processes/{panel.slug}/").json()
    assert [s["process"] for s in later["continues"]] == [old.slug]


def test_a_dated_rename_keeps_the_earlier_name_for_earlier_dates(client, process, later_source):
    budapest = process("budapest-process")
    former = m.ProcessAlias.objects.create(
        process=budapest,
        name="Budapest Forum (test)",
        language="en",
        kind="former",
        end=date(2003, 12, 31),
        end_precision="year",
    )
    former.cite(later_source, "para. 2")
    assert budapest.alias_on(date(2003, 6, 1)) == former
    assert budapest.alias_on(date(2009, 4, 30)) is None
    then = client.get("/en/processes/budapest-process/?as_of=2003").content.decode()
    assert 'id="former-name"' in then and "Budapest Forum (test)" in then
    assert 'id="former-name"' not in client.get("/en/processes/budapest-process/").content.decode()
    api = client.get("/api/processes/budapest-process/").json()
    assert {"name": "Budapest Forum (test)", "end": "2003"}.items() <= next(
        a for a in api["aliases"] if a["name"] == "Budapest Forum (test)"
    ).items()


def test_succession_rules_live_in_the_database(soderkoping):
    old, panel = soderkoping
    with pytest.raises(ValidationError):
        m.Succession(predecessor=panel, successor=old).full_clean()  # the other way round
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Succession.objects.create(predecessor=old, successor=old)
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.Succession.objects.create(predecessor=old, successor=panel)  # twice
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.StatusPeriod.objects.create(process=old, status="emperor")


def test_curators_record_lineage_on_the_process_page(client, curator, soderkoping):
    old, _panel = soderkoping
    from django.urls import reverse

    page = client.get(reverse("admin:registry_process_change", args=[old.pk])).content.decode()
    assert "status over time" in page.lower() and "continued by (succession)" in page.lower()
    successor = client.get(reverse("admin:registry_process_change", args=[_panel.pk])).content.decode()
    assert reverse("admin:registry_process_change", args=[old.pk]) in successor  # "continues"
