"""A source speaks only for what it states: each role's list complete or partial, departures it
states, a participant listed again, and the aspects it gives (Participation.objects.as_of and
account_stating, through the account recorder)."""

from datetime import date

import pytest

from registry import models as m

from ..helpers import make_later_source

pytestmark = pytest.mark.django_db

SCPF_DAY, NEWS_DAY = date(2009, 4, 30), date(2024, 3, 14)


@pytest.fixture
def budapest(process):
    return process("budapest-process")


def held(process, day, role="member"):
    rows = m.Participation.objects.as_of(day).filter(process=process, role=role)
    return sorted(rows.values_list("participant__name", flat=True))


def record(process, source, lists, **fields):
    draft = m.AccountDraft(process=process, source=source, locator="para. 2", lists=lists, **fields)
    assert draft.preview().valid, draft.preview().errors
    account = draft.apply()
    return draft, account


def test_a_partial_list_adds_and_confirms_and_infers_no_departure(budapest):
    members, observers = held(budapest, SCPF_DAY), held(budapest, SCPF_DAY, "observer_or_partner")
    news = make_later_source("Members present at a meeting (test)", NEWS_DAY)
    draft, account = record(
        budapest, news, {"member": ["Albania", "Austria", "Laos PDR"]}, partial_roles=frozenset({"member"})
    )
    assert draft.preview().left == []
    assert held(budapest, NEWS_DAY) == sorted([*members, "Lao People's Democratic Republic"])
    assert held(budapest, NEWS_DAY, "observer_or_partner") == observers  # not stated: as it was
    assert held(budapest, SCPF_DAY) == members  # the past holds
    # Albania listed again: one row in force, the newer statement, citing the news item.
    albania = m.Participation.objects.as_of(NEWS_DAY).get(
        process=budapest, role="member", participant__name="Albania"
    )
    assert albania.account == account
    assert m.StatedList.objects.get(account=account).complete is False


def test_a_complete_list_ends_whom_it_omits_from_its_date_and_only_for_its_role(budapest):
    observers = held(budapest, SCPF_DAY, "observer_or_partner")
    news = make_later_source("The members are (test)", NEWS_DAY)
    draft, _account = record(budapest, news, {"member": ["Albania", "Austria"]})
    assert held(budapest, NEWS_DAY) == ["Albania", "Austria"]
    assert held(budapest, NEWS_DAY, "observer_or_partner") == observers
    assert "Ukraine" in held(budapest, date(2024, 3, 13))
    ukraine = next(row for row in draft.preview().left if row.participant.name == "Ukraine")
    assert ukraine.departure == ""  # inferred from the complete list


def test_a_departure_ends_earlier_listings_from_its_date(budapest):
    news = make_later_source("Hungary withdrew (test)", NEWS_DAY)
    draft, account = record(budapest, news, {}, leavings=[m.Leaving("member", "Hungary", "withdrew")])
    preview = draft.preview()  # Hungary keeps its other role in the process: a role changed
    hungary = next(row for row in preview.changed if row.participant.name == "Hungary")
    assert (hungary.departure, "member" in hungary.previous_roles, "member" in hungary.roles) == (
        "withdrew",
        True,
        False,
    )
    assert "Hungary" not in held(budapest, NEWS_DAY)
    assert "Hungary" in held(budapest, date(2024, 3, 13))
    assert len(held(budapest, NEWS_DAY)) == len(held(budapest, SCPF_DAY)) - 1
    assert not m.StatedList.objects.filter(account=account).exists()  # it states no list
    departure = m.Departure.objects.get(account=account)
    assert (departure.kind, departure.name_as_cited) == ("withdrew", "Hungary")
    assert departure.citations.get().source == news


def test_a_suspension_keeps_the_member_listed_and_marked(budapest):
    news = make_later_source("Mali suspended (test)", NEWS_DAY)
    process = m.Process.objects.get(slug="budapest-process")
    member = m.Participation.objects.as_of(SCPF_DAY).filter(process=process, role="member").first()
    record(budapest, news, {}, leavings=[m.Leaving("member", member.participant.name, "suspended")])
    row = m.Participation.objects.as_of(NEWS_DAY).get(
        process=budapest, role="member", participant=member.participant
    )
    assert row.suspended and row.account.source == news
    assert len(held(budapest, NEWS_DAY)) == len(held(budapest, SCPF_DAY))


def test_aspects_a_source_gives_and_those_it_does_not(budapest):
    accounts = lambda: list(budapest.accounts.order_by("source__as_of", "pk"))  # noqa: E731
    secretariat_before = m.account_stating(accounts(), "secretariat")
    news = make_later_source("A web page giving the region (test)", NEWS_DAY)
    _draft, account = record(
        budapest, news, {}, aspects=m.AccountAspects(region="Europe", year_established=1993)
    )
    assert m.account_stating(accounts(), "region") == account
    assert account.region.name == "Europe" and account.region.source == news
    assert m.account_stating(accounts(), "secretariat") == secretariat_before  # not stated: as it was
    assert m.account_stating(accounts(), "region", SCPF_DAY).source.symbol == "SCPF/30"
    assert held(budapest, NEWS_DAY) == held(budapest, SCPF_DAY)  # no list stated: the lists hold


def test_recording_the_same_partial_account_again_writes_nothing(budapest):
    news = make_later_source("Members present (test)", NEWS_DAY)
    fields = {
        "partial_roles": frozenset({"member"}),
        "leavings": [m.Leaving("member", "Hungary", "left")],
        "aspects": m.AccountAspects(secretariat_kind="permanent"),
    }
    _draft, account = record(budapest, news, {"member": ["Albania"]}, **fields)
    changes = m.Change.objects.count()
    again = m.AccountDraft(
        process=budapest,
        source=news,
        locator="para. 2",
        lists={"member": ["Albania"]},
        replacing=account,
        **fields,
    )
    assert again.unchanged()
    again.apply()
    assert not again.written and m.Change.objects.count() == changes
    # Now complete: the list's statement changes, and only it.
    complete = m.AccountDraft(
        process=budapest,
        source=news,
        locator="para. 2",
        lists={"member": ["Albania"]},
        replacing=account,
        **{**fields, "partial_roles": frozenset()},
    )
    assert not complete.unchanged()
    complete.apply()
    assert held(budapest, NEWS_DAY) == ["Albania"]
