"""Names as documents write them, resolved by the registry's own matching (issue 17)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolver():
    return m.NameResolver()


@pytest.mark.parametrize(
    ("written", "iso_or_acronym"),
    [
        ("Laos PDR", "LA"),  # a spelling the papers use: an alias
        ("the USA", "US"),  # a leading "the", an alias
        ("Côte d’Ivoire", "CI"),  # accents and apostrophes
        ("Swaziland", "SZ"),  # a former name
        ("Alemania", "DE"),  # the Spanish CLDR name
        ("Mexique", "MX"),  # the French CLDR name
        ("NZ", "NZ"),  # an ISO code
        ("UNHCR", "UNHCR"),  # an acronym
    ],
)
def test_names_resolve_to_one_record(resolver, written, iso_or_acronym):
    resolution = resolver.resolve(written)
    assert resolution.resolved, resolution
    assert iso_or_acronym in (resolution.participant.iso_code, resolution.participant.acronym)


def test_an_unknown_name_gets_its_closest_candidates_ranked(resolver):
    typo = resolver.resolve("Guatemal")
    assert not typo.resolved and not typo.ambiguous
    assert typo.candidates[0].participant.iso_code == "GT" and typo.candidates[0].score > 0.9
    assert [c.score for c in typo.candidates] == sorted((c.score for c in typo.candidates), reverse=True)
    assert resolver.resolve("Atlantis").candidates == [] or all(
        c.score < 0.8 for c in resolver.resolve("Atlantis").candidates
    )


def test_a_name_of_two_records_is_ambiguous_with_both_as_candidates(resolver, participant):
    niger, nigeria = participant("NE"), participant("NG")
    m.ParticipantAlias.objects.create(participant=niger, name="Niger (test alias)", language="en")
    m.ParticipantAlias.objects.create(participant=nigeria, name="Niger (test alias)", language="en")
    resolution = m.NameResolver().resolve("niger (TEST alias)")
    assert resolution.ambiguous and {c.participant for c in resolution.candidates} == {niger, nigeria}


def test_fifty_names_cost_the_same_queries_as_one():
    with CaptureQueriesContext(connection) as building:
        resolver = m.NameResolver()
    with CaptureQueriesContext(connection) as resolving:
        for number in range(50):
            resolver.resolve(f"Unknown land {number}")
        resolver.resolve("Laos PDR")
    assert len(building) == 2 and len(resolving) == 0
