"""The registry's rule of evidence for "as of" a date (ParticipationQuerySet.as_of)."""

from datetime import date

import pytest

from registry import models as m
from registry.choices import DatePrecision, Role

pytestmark = pytest.mark.django_db

END_2003 = date(2003, 12, 31)
APRIL_2009 = date(2009, 4, 30)


def members(slug, day):
    rows = m.Participation.objects.as_of(day).filter(process__slug=slug, role=Role.MEMBER)
    return set(rows.values_list("participant__iso_code", flat=True))


def test_as_of_2003_shows_the_2003_lists():
    budapest = members("budapest-process", END_2003)
    assert {"IS", "AU", "CA", "US", "AL"} <= budapest
    assert "AM" not in budapest  # Armenia appears only in 2009


def test_as_of_april_2009_shows_the_2009_lists():
    budapest = m.Participation.objects.as_of(APRIL_2009).filter(
        process__slug="budapest-process", role=Role.MEMBER
    )
    assert budapest.count() == 49
    assert {"AM", "ME", "RS"} <= set(budapest.values_list("participant__iso_code", flat=True))
    assert "IS" not in set(budapest.values_list("participant__iso_code", flat=True))
    australia = m.Participation.objects.as_of(APRIL_2009).get(
        process__slug="budapest-process", participant__iso_code="AU"
    )
    assert australia.role == Role.OBSERVER_OR_PARTNER


def test_explicit_end_closes_a_membership():
    assert "NZ" in members("apc", END_2003)
    assert "NZ" not in members("apc", APRIL_2009)


def test_explicit_start_counts_before_the_source_that_states_it():
    """Afghanistan: Colombo observer in 2004, member from 2005 (both stated by SCPF/30)."""
    in_2004 = m.Participation.objects.as_of(date(2004, 6, 1)).filter(
        process__slug="colombo-process", participant__iso_code="AF"
    )
    assert list(in_2004.values_list("role", flat=True)) == [Role.OBSERVER]
    assert "AF" in members("colombo-process", date(2006, 1, 1))
    assert "AF" not in members("colombo-process", END_2003)


def test_invited_since_2003_then_member_in_2009():
    madagascar = m.Participation.objects.filter(participant__iso_code="MG", process__slug="midsa")
    assert list(madagascar.as_of(END_2003).values_list("role", flat=True)) == [Role.INVITED]
    assert list(madagascar.as_of(APRIL_2009).values_list("role", flat=True)) == [Role.MEMBER]


def test_a_process_only_the_2003_paper_describes_keeps_its_last_known_lists():
    assert len(members("manila-process", date(2026, 1, 1))) == 17
    assert len(members("manila-process", date(1995, 1, 1))) == 0


def test_current_is_as_of_today():
    assert m.Participation.objects.current().filter(process__slug="midsa", role=Role.MEMBER).count() == 16


def test_a_curated_fact_outside_the_sources_counts_from_its_start(process, participant):
    """A curator records that Eritrea rejoined (a fact no paper states)."""
    m.Participation.objects.create(
        process=process("igad-rcp"),
        participant=participant("ER"),
        role=Role.MEMBER,
        start=date(2011, 1, 1),
        start_precision=DatePrecision.YEAR,
    )
    assert "ER" in members("igad-rcp", date(2012, 1, 1))
    # before its start only the suspended membership of SCPF/30 shows
    rows = m.Participation.objects.as_of(date(2010, 1, 1)).filter(
        process__slug="igad-rcp", participant__iso_code="ER"
    )
    assert [r.suspended for r in rows] == [True]


def test_as_of_issues_one_query_whatever_the_number_of_rows(django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(m.Participation.objects.as_of(APRIL_2009).select_related("participant", "process"))
    assert len(rows) > 400


@pytest.mark.parametrize("day", [date(1995, 12, 31), date(2003, 12, 31), date(2009, 4, 30)])
def test_iom_roles_in_force_are_one_rule_for_pages_api_and_exports(client, day):
    """A role curated outside any account (no source's account) is in force only once its
    process exists: MIDSA, established in 2000, has none as of 1995."""
    from registry.exports.tables import TABLES_BY_NAME, queryset

    midsa = m.Process.objects.get(slug="midsa")
    curated = m.IomRole.objects.create(process=midsa, function="research", status="not_yet")
    expected = set(m.IomRole.objects.as_of(day).values_list("pk", flat=True))
    assert (curated.pk in expected) == (day.year >= 2003)
    api = client.get(f"/api/iom-roles/?as_of={day.isoformat()}&page_size=500").json()
    assert {row["id"] for row in api["results"]} == expected and api["count"] == len(expected)
    exported = set(queryset(TABLES_BY_NAME["iom_roles"], day).values_list("pk", flat=True))
    assert exported == expected
    page = client.get(f"/en/processes/midsa/?as_of={day.isoformat()}")
    assert {role.pk for role in page.context["iom_roles"]} == {
        pk for pk in expected if m.IomRole.objects.get(pk=pk).process_id == midsa.pk
    }
