"""Chairs hand over: a chair a later source names from a start ends the earlier one on that start;
two holders on one day only when a source says so."""

from datetime import date

import pytest

from registry import models as m
from registry.choices import Role

from ..helpers import make_later_source

pytestmark = pytest.mark.django_db


def source(title, day):
    return make_later_source(title, day)


def record(process, src, chair, start, members):
    draft = m.AccountDraft(
        process=process,
        source=src,
        locator="para. 1",
        lists={"member": members},
        leaders=[m.Leader(Role.CHAIR, chair, start)],
    )
    draft.apply()


def chairs(process, day):
    rows = m.Participation.objects.as_of(day).filter(process=process, role=Role.CHAIR)
    return sorted(rows.values_list("participant__slug", flat=True))


def test_a_later_chair_ends_the_earlier_one_on_its_start(client):
    bali = m.Process.objects.get(slug="bali-process")
    members = ["Australia", "Indonesia"]
    record(
        bali,
        source("Bali Process Ministerial Conference 2014 (test)", date(2014, 3, 1)),
        "Fiji",
        "2014",
        members,
    )
    record(
        bali,
        source("Bali Process co-chairs' statement 2024 (test)", date(2024, 6, 12)),
        "Samoa",
        "2024-05",
        members,
    )
    assert chairs(bali, date(2020, 1, 1)) == ["fiji"]
    assert chairs(bali, date(2024, 5, 31)) == ["samoa"]  # was two chairs: Fiji and Samoa
    assert chairs(bali, date(2024, 4, 30)) == ["fiji"]  # the past holds
    report = client.get(
        "/en/reports/changes/?from=2024-04-30&to=2024-05-31&process=bali-process"
    ).content.decode()
    assert report.count("Fiji") == 1 and report.count("Samoa") == 1  # one handover


def test_holders_a_source_gives_both_periods_or_no_start_for_stay_together():
    igc = m.Process.objects.get(slug="igc")  # SCPF/30 gives each chair's years: they overlap
    assert len(chairs(igc, date(2007, 6, 30))) == 2
    dialogue = m.Process.objects.get(slug="5-plus-5-dialogue")  # two chairs, no start
    assert chairs(dialogue, date(2009, 4, 30)) == ["libya", "portugal"]
