"""Every spelling the papers use resolves to one record."""

import pytest

from registry import models as m

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("spelling", "iso"),
    [
        ("Swaziland", "SZ"),
        ("Surinam", "SR"),
        ("Suriname", "SR"),
        ("Laos PDR", "LA"),
        ("Laos", "LA"),
        ("Libyan Arab Jamahiriya", "LY"),
        ("Libya", "LY"),
        ("Macedonia (FYR)", "MK"),
        ("The former Yugoslav Republic of Macedonia", "MK"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("DPRK", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Côte d’ Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("the USA", "US"),
        ("United States", "US"),
        ("Hong Kong SAR of China", "HK"),
        ("Macau SAR", "MO"),
        ("France (New Caledonia)", "NC"),
        ("New Caledonia (France)", "NC"),
        ("Bosnia-Herzegovina", "BA"),
        ("Tanzania", "TZ"),
        ("Iran (Islamic Republic of)", "IR"),
    ],
)
def test_state_spellings_resolve_to_one_record(spelling, iso):
    assert list(m.Participant.objects.named(spelling).values_list("iso_code", flat=True)) == [iso]


def test_territories_are_territories_with_iso_codes():
    territories = m.Participant.objects.filter(kind="territory")
    assert set(territories.values_list("iso_code", flat=True)) == {"HK", "MO", "NC"}


def test_every_state_and_territory_has_an_iso_code():
    assert not m.Participant.objects.states_and_territories().filter(iso_code__isnull=True).exists()


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("International Labour Office (ILO)", "ilo"),
        ("ILO", "ilo"),
        ("EC", "ec"),
        ("European Commission", "ec"),
        ("Swedish Migration Board", "swedish-migration-board"),
        ("SAMP", "samp"),
        ("SADC Secretariat", None),  # not a spelling of the papers
        ("Southern African Development Community (SADC) Secretariat", "sadc"),
        ("ICMPD", "icmpd"),
        ("UNHCR", "unhcr"),
        ("CENSAD", "cen-sad"),
    ],
)
def test_organization_names_and_acronyms(spelling, slug):
    found = list(m.Participant.objects.named(spelling).values_list("slug", flat=True))
    assert found == ([slug] if slug else [])


def test_spellings_used_by_the_papers_become_cited_aliases(participant):
    alias = m.ParticipantAlias.objects.get(participant=participant("SZ"), name="Swaziland")
    cited = {(c.source.symbol, c.locator) for c in alias.citations.all()}
    midsa_2003 = "Annex II, row 'Migration Dialogue for Southern Africa (MIDSA) (2000)'"
    assert ("MC/INF/266", f"{midsa_2003}, column 'Government Participants'") in cited
    assert (
        "SCPF/30",
        "Annex II, row 'Migration Dialogue for Southern Africa (MDSA)', column 'Governments'",
    ) in cited


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Puebla Process", "rcm"),
        ("Regional Conference on Migration", "rcm"),
        ("RCM", "rcm"),
        ("Conferencia Regional sobre Migraciones", "rcm"),
        ("Budapest Group", "budapest-process"),
        ("Budapest Process", "budapest-process"),
        ("MDSA", "midsa"),
        ("MIDSA", "midsa"),
        ("Lima Process", "sacm"),
        ("Bali Conference", "bali-process"),
        ("Soderkoping Process", "soderkoping-process"),
        ("Diálogo sobre la Migración para África Occidental", "midwa"),
        ("Proceso de Colombo", "colombo-process"),
    ],
)
def test_process_names_in_any_language_resolve_to_one_process(name, slug):
    assert list(m.Process.objects.named(name).values_list("slug", flat=True)) == [slug]


def test_the_iso_code_list_is_the_installed_pycountrys():
    """The list is a constant of the repository (the database's constraint is built from it); a
    pycountry release that adds or withdraws a code shows here, to be added with a migration."""
    import pycountry

    from registry.iso3166 import ISO_3166_1_ALPHA_2, USER_ASSIGNED_CODES

    installed = {country.alpha_2 for country in pycountry.countries} | set(USER_ASSIGNED_CODES)
    assert sorted(installed - ISO_3166_1_ALPHA_2) == [] and sorted(ISO_3166_1_ALPHA_2 - installed) == []
