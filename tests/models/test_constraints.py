"""Integrity lives in the models (clean) and in the database (constraints)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import models as m
from registry.choices import DatePrecision, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(account, participant):
    return m.Participation.objects.get(
        account=account("rcm", "SCPF/30"), participant=participant("GT"), role=Role.MEMBER
    )


def new_participation(process, participant, **extra):
    return m.Participation(process=process("rcm"), participant=participant("JM"), role=Role.MEMBER, **extra)


def test_end_before_start_is_a_form_error_and_a_database_error(process, participant, membership):
    row = new_participation(
        process,
        participant,
        start=date(2005, 1, 1),
        start_precision="year",
        end=date(2004, 1, 1),
        end_precision="year",
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Participation.objects.filter(pk=membership.pk).update(
            start=date(2005, 1, 1), start_precision="year", end=date(2004, 12, 31), end_precision="year"
        )


def test_duplicate_participation_is_refused(membership):
    duplicate = m.Participation(
        process=membership.process,
        participant=membership.participant,
        role=membership.role,
        account=membership.account,
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_overlapping_curated_participations_are_refused(process, participant):
    first = new_participation(
        process, participant, start=date(2010, 1, 1), start_precision=DatePrecision.YEAR
    )
    first.save()
    second = new_participation(
        process,
        participant,
        start=date(2012, 3, 1),
        start_precision="month",
        end=date(2013, 1, 1),
        end_precision="year",
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "Overlaps" in str(error.value) and "same participant, role and source" in str(error.value)
    later = new_participation(process, participant, end=date(2009, 1, 1), end_precision="year")
    later.full_clean()  # ends before the first starts: no overlap


def test_unknown_role_is_refused(process, participant):
    row = new_participation(process, participant)
    row.role = "emperor"
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "role" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_account_of_another_process_is_refused(process, participant, account):
    row = new_participation(process, participant, account=account("bali-process", "SCPF/30"))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "account" in error.value.message_dict


def test_iso_code_must_be_iso_3166_1():
    state = m.Participant(slug="atlantis", name="Atlantis", kind="state", iso_code="ZZ")
    with pytest.raises(ValidationError) as error:
        state.full_clean()
    assert "iso_code" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        state.save()


def test_kosovo_user_assigned_code_is_accepted():
    kosovo = m.Participant(slug="kosovo", name="Kosovo", kind="territory", iso_code="XK")
    kosovo.full_clean()
    kosovo.save()


def test_iso_code_is_unique_and_organizations_have_none(participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        m.Participant.objects.create(
            slug="eswatini-2", name="Kingdom of Eswatini", kind="state", iso_code="SZ"
        )
    organization = m.Participant(slug="x-org", name="X", kind="organization", iso_code="FR")
    with pytest.raises(ValidationError):
        organization.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        organization.save()


def test_citation_needs_a_source_and_a_locator(membership):
    source = m.SourceDocument.objects.get(symbol="SCPF/30")
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.cite(source, "")
    citation = m.Citation(
        content_type=m.Citation.content_type_for(membership), object_id=membership.pk, locator="Annex II"
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "source" in error.value.message_dict


def test_a_described_iom_role_needs_its_text():
    role = m.IomRole.objects.filter(status="described").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        m.IomRole.objects.filter(pk=role.pk).update(description="")


def test_stated_total_is_unique_per_account_and_role(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        m.StatedTotal.objects.create(account=account("rcm", "SCPF/30"), role=Role.MEMBER, stated=3)


def test_region_must_belong_to_the_accounts_source(account):
    account = account("rcm", "SCPF/30")
    account.region = m.Region.objects.get(slug="mc-inf-266-americas")
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    assert "region" in error.value.message_dict


def test_periods_are_stored_at_the_edges_of_their_precision(process, participant):
    row = new_participation(
        process,
        participant,
        start=date(2005, 6, 15),
        start_precision="year",
        end=date(2007, 2, 3),
        end_precision="month",
    )
    row.save()
    assert (row.start, row.end) == (date(2005, 1, 1), date(2007, 2, 28))
    assert row.period_display == "2005\u2013February 2007"


def test_iom_role_and_working_group_of_another_process_are_refused(account):
    role = m.IomRole.objects.filter(process__slug="rcm").first()
    role.account = account("bali-process", "SCPF/30")
    group = m.WorkingGroup.objects.filter(process__slug="budapest-process").first()
    group.account = account("igc", "SCPF/30")
    group.co_chair = group.chair
    for fact, fields in [(role, {"account"}), (group, {"account", "co_chair"})]:
        with pytest.raises(ValidationError) as error:
            fact.clean()
        assert set(error.value.message_dict) == fields
