"""One matcher, one answer: at least 150 written forms of the registry's states and organizations —
the world's names, codes, French and Spanish names, "the", misspellings — and 30 phrases that name
no record, run through recording (NameResolver), reconciliation (ReconciliationIndex) and the page
search. The forms are made from the fixtures (the records they mean are the fixtures'), the
world's names and phrases written here as documents write them."""

import pytest
from babel import Locale

from registry import models as m
from registry.models.reconciliation import ReconciliationIndex
from registry.models.resolution import NameResolver

pytestmark = pytest.mark.django_db

# As newspapers and meeting reports write them -> the ISO code of the state they mean.
WORLD_FORMS = {
    "South Korea": "KR",
    "Burma": "MM",
    "Ivory Coast": "CI",
    "East Timor": "TL",
    "Great Britain": "GB",
    "Britain": "GB",
    "UK": "GB",
    "U.K.": "GB",
    "USA": "US",
    "U.S.": "US",
    "United States": "US",
    "the United States": "US",
    "America": "US",
    "UAE": "AE",
    "KSA": "SA",
    "Russia": "RU",
    "Iran": "IR",
    "Syria": "SY",
    "Laos": "LA",
    "Vietnam": "VN",
    "Moldova": "MD",
    "Tanzania": "TZ",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Czechia": "CZ",
    "Czech Republic": "CZ",
    "Cape Verde": "CV",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Swaziland": "SZ",
    "DR Congo": "CD",
    "DRC": "CD",
    "Congo-Kinshasa": "CD",
    "Bosnia": "BA",
    "Macedonia": "MK",
    "North Macedonia": "MK",
    "Korea, Republic of": "KR",
    "Iran (Islamic Republic of)": "IR",
    "Holland": "NL",
    "the Philippines": "PH",
    "the Gambia": "GM",
    "Gambia": "GM",
    "Kyrgyzstan": "KG",
}
NOT_NAMES = [
    "Immigration and Labour", "EU Presidency", "Ministry of Interior", "relevant NGOs",
    "Ministry of Foreign Affairs", "the Chair", "the Secretariat", "Senior Officials",
    "Working Group on Labour Migration", "civil society", "observers", "the private sector",
    "academia", "Ministers of Interior", "national focal points", "donor countries",
    "Member States", "countries of origin", "countries of transit", "the host country",
    "Regional Conference", "Ministerial Conference", "Thematic Meeting", "the Troika",
    "Steering Group", "Friends of the Process", "Technical Secretariat", "Permanent Secretariat",
    "partner organizations", "other participants",
]  # fmt: skip


def typo(name: str) -> str:
    """Two neighbouring letters swapped inside the longest word ("Philippines" -> "Phiilppines")."""
    word = max(name.split(), key=len)
    at = len(word) // 2
    return name.replace(word, word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :], 1)


@pytest.fixture(scope="module")
def forms(django_db_setup, django_db_blocker):
    """(written form, slug of the record it means) of every kind, at least 150."""
    with django_db_blocker.unblock():
        states = {p.iso_code: p for p in m.Participant.objects.exclude(iso_code=None)}
        organizations = list(m.Participant.objects.filter(kind="organization").exclude(acronym=""))
        made = [(written, states[code].slug) for written, code in WORLD_FORMS.items() if code in states]
        by_name = sorted(states.values(), key=lambda p: p.name)
        made += [(p.iso_code, p.slug) for p in by_name[:40]]
        made += [(Locale.parse("fr").territories[p.iso_code], p.slug) for p in by_name[40:70]]
        made += [(Locale.parse("es").territories[p.iso_code], p.slug) for p in by_name[70:100]]
        long_names = [p for p in by_name if len(max(p.name.split(), key=len)) >= 7]
        made += [(typo(p.name), p.slug) for p in long_names[::3][:30]]
        made += [(p.acronym, p.slug) for p in organizations[:15] if len(p.acronym) > 2]
    return made


def test_one_matcher_one_answer_for_150_written_forms(forms):
    assert len(forms) >= 150, len(forms)
    resolver, index = NameResolver(), ReconciliationIndex()
    wrong_resolved, wrong_match, misses = [], [], []
    for written, slug in forms:
        resolution = resolver.resolve(written)
        top = resolution.participant or (
            resolution.candidates[0].participant if resolution.candidates else None
        )
        if resolution.participant is not None and resolution.participant.slug != slug:
            wrong_resolved.append((written, slug, resolution.participant.slug))
        best = index.reconcile(written, types=("state", "organization"), limit=3)
        if best and best[0].match and best[0].entity.slug != slug:
            wrong_match.append((written, slug, best[0].entity.slug))
        if top is None or top.slug != slug or not best or best[0].entity.slug != slug:
            misses.append((written, slug, top and top.slug, best and best[0].entity.slug))
    assert not wrong_resolved, wrong_resolved
    assert not wrong_match, wrong_match
    assert len(misses) <= 0.03 * len(forms), misses


def test_phrases_that_name_no_record_never_resolve():
    assert len(NOT_NAMES) >= 30
    resolver, index = NameResolver(), ReconciliationIndex()
    resolved = [phrase for phrase in NOT_NAMES if resolver.resolve(phrase).resolved]
    matched = [phrase for phrase in NOT_NAMES if any(scored.match for scored in index.reconcile(phrase))]
    named = [phrase for phrase in NOT_NAMES if m.Participant.objects.named(phrase).exists()]
    assert (resolved, matched, named) == ([], [], [])
