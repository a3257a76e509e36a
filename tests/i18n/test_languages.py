"""The registry in English, French and Spanish: language prefixes, the switcher, Accept-Language,
names in each language (cited, or CLDR, or a visible English fallback), sorting, dates and
numbers in the language, accent-insensitive search, the admin's language and the API's ?lang=."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format

from registry import local_names
from registry import models as m

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def row_names(response) -> list[str]:
    """The names in the first column of a list page's table, in order."""
    rows = re.findall(r'<th scope="row"><a href="[^"]+">(.*?)</a>', response.content.decode())
    return [html.unescape(re.sub(r"<[^>]+>", "", row)).strip() for row in rows]


# Prefixes, the switcher, Accept-Language ---------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "prefix"), [("fr-CH,fr;q=0.9,en;q=0.5", "fr"), ("es-MX", "es"), ("", "en")]
)
def test_a_first_visit_follows_accept_language(client, accept, prefix):
    response = client.get("/processes/?kind=geographic", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/{prefix}/processes/?kind=geographic"


def test_the_language_chosen_is_remembered_over_accept_language(client):
    response = client.get("/es/processes/")
    assert response.status_code == 200 and response.cookies["django_language"].value == "es"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/es/"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_offers_the_others_keeping_the_page_and_its_filters(client, language):
    query = "?kind=geographic&as_of=2009-04&ordering=-size"
    page = client.get(f"/{language}/processes/{query}").content.decode()
    for other in ("en", "fr", "es"):
        link = f'href="/{other}/processes/{query.replace("&", "&amp;")}" hreflang="{other}" lang="{other}"'
        assert link in page
        assert f'<link rel="alternate" hreflang="{other}"' in page
    assert f'hreflang="{language}" lang="{language}" aria-current="true"' in page
    assert (
        f'<link rel="alternate" hreflang="x-default" href="/processes/{query.replace("&", "&amp;")}">' in page
    )
    assert f'<html lang="{language}">' in page


def test_the_switcher_works_on_a_missing_page_too(client):
    page = client.get("/fr/processes/atlantis/?as_of=2003")
    assert page.status_code == 404
    assert 'href="/es/processes/atlantis/?as_of=2003"' in page.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Processes", "States and territories", "Every fact cites its source"]),
        ("fr", ["Processus", "États et territoires", "Chaque fait cite sa source"]),
        ("es", ["Procesos", "Estados y territorios", "Cada dato cita su fuente"]),
    ],
)
def test_the_interface_is_in_the_language(client, language, expected):
    page = text(client.get(f"/{language}/"))
    for phrase in expected:
        assert phrase in page


# Names ---------------------------------------------------------------------------------------


def test_a_process_page_names_it_in_spanish_citing_the_source(client):
    page = client.get("/es/processes/rcm/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>\s*<p class=\"lead\">(.*?)</p>", page, re.S)
    assert heading[1].startswith("CRM") and "Conferencia Regional sobre Migraciones" in heading[2]
    # The Spanish name cites where SCPF/30 gives it: a numbered mark opening a note (the same
    # note as the short name's, which the same paragraph gives).
    (number,) = re.findall(r'popovertarget="cite-(\d+)" aria-label="Fuente \d+: SCPF/30"', heading[2])
    assert re.search(
        rf'id="cite-{number}" popover class="cite-note" role="note">'
        r"<strong>SCPF/30</strong> \(abril de 2009\), para\. 7 ",
        page,
    )
    assert "fallback" not in heading[0]
    assert "<title>CRM · Registro de los PCR</title>" in page


def test_a_name_missing_in_french_falls_back_to_english_visibly(client):
    page = client.get("/fr/processes/rcm/").content.decode()
    lead = re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1]
    assert '<span lang="en">Regional Conference on Migration</span>' in lead
    assert 'class="fallback" title="Aucun nom en français n’est enregistré : affiché en anglais."' in lead


def test_english_pages_show_the_records_own_names(client):
    page = client.get("/en/processes/rcm/").content.decode()
    assert "<h1>RCM" in page and "fallback" not in re.search(r"<h1>.*?</p>", page, re.S)[0]


def test_states_are_named_by_cldr_in_french_and_spanish(client):
    assert "Allemagne" in text(client.get("/fr/states/germany/"))
    assert "Alemania" in text(client.get("/es/states/germany/"))
    assert "Germany" in text(client.get("/en/states/germany/"))


def test_organizations_take_the_spanish_names_scpf_30_gives(client):
    assert "Comunidad Económica de los Estados de África Occidental" in text(
        client.get("/es/organizations/ecowas/")
    )


@pytest.mark.parametrize(
    ("path", "name", "source"),
    [
        ("/fr/processes/bali-process/", "Processus de Bali", "iom-fr-profile-bali-process"),
        ("/fr/processes/khartoum-process/", "Initiative sur la route migratoire", "journalafrique-khartoum"),
        ("/fr/processes/pafom/", "Forum panafricain sur les migrations", "iom-fr-news-pafom-2018"),
        ("/es/processes/rabat-process/", "Diálogo Euro-africano sobre Migración", "fiiapp-rabat"),
        ("/es/organizations/iom/", "Organización Internacional para las Migraciones", "iom-es-news-council"),
        ("/es/organizations/las/", "Liga de Estados Árabes", "iom-es-rcps-page"),
        ("/fr/organizations/unhcr/", "Haut Commissariat des Nations unies", "mena-khartoum"),
        ("/es/organizations/eclac/", "Comisión Económica para América Latina", "iom-es-news-gcm-lac"),
    ],
)
def test_the_later_sources_name_processes_and_organizations_in_their_language(
    client, later_sources, path, name, source
):
    """A French or Spanish page shows the name a source in that language gives, not the English one
    marked "EN", and the name's citation links to that source."""
    page = client.get(path).content.decode()
    head = re.search(r"<h1>.*?</h1>(\s*<p class=\"lead\">.*?</p>)?", page, re.S)[0]
    assert name in head and 'class="fallback"' not in head.split(name)[0]
    assert f'href="/{path[1:3]}/sources/{source}' in page


def test_an_organization_s_acronym_is_the_one_a_source_gives_in_the_language(client, later_sources):
    """Beside its name, an organization's acronym is the one a source in the page's language gives
    ("OIM", "HCR"), else its own ("UNHCR" in English; "IRD" everywhere); none beside a name that is
    its own acronym (Frontex). The list's acronym column and the search results say the same."""
    iom = heading(client.get("/es/organizations/iom/"))
    assert "Organización Internacional para las Migraciones (OIM)" in iom
    assert heading(client.get("/fr/organizations/unhcr/")).endswith("(HCR)")
    assert heading(client.get("/en/organizations/unhcr/")).endswith("(UNHCR)")
    assert heading(client.get("/es/organizations/frontex/")).strip() == "Frontex"
    listed = client.get("/es/organizations/", {"q": "refugiados"}).content.decode()
    assert "<td>ACNUR</td>" in listed and "<td>UNHCR</td>" not in listed
    found = text(client.get("/es/search/", {"q": "acnur"}))
    assert "Refugiados (ACNUR)" in found and "coincide con" not in found


def test_organizations_sort_by_the_acronym_the_page_shows(client, later_sources):
    """?ordering=acronym sorts by the acronyms as shown in the language ("ACNUR" among the A on
    the Spanish page, not among the U as UNHCR), those without one after."""
    page = client.get("/es/organizations/", {"ordering": "acronym"}).content.decode()
    cells = re.findall(r"</th>\s*<td>(.*?)</td>", page)
    acronyms = [html.unescape(cell) for cell in cells]
    assert len(acronyms) == m.Organization.objects.count()
    given = [acronym for acronym in acronyms if acronym]
    assert acronyms == given + [""] * (len(acronyms) - len(given))
    assert given == sorted(given, key=lambda acronym: local_names.sort_key(acronym, "es"))
    assert "ACNUR" in given and "UNHCR" not in given and given.index("ACNUR") < given.index("OIM")
    descending = client.get("/es/organizations/", {"ordering": "-acronym"}).content.decode()
    assert re.findall(r"</th>\s*<td>(.*?)</td>", descending) == cells[::-1]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/es/processes/",
            [
                "Nombre",
                "Nombre (descendente)",
                "Nombre corto",
                "Nombre corto (descendente)",
                "Año",
                "Año (descendente)",
                "Número de miembros",
                "Número de miembros (descendente)",
            ],
        ),
        ("/fr/states/", ["Nom", "Nom (décroissant)", "Code ISO 3166-1", "Code ISO 3166-1 (décroissant)"]),
        ("/es/organizations/", ["Nombre", "Nombre (descendente)", "Sigla", "Sigla (descendente)"]),
        ("/en/organizations/", ["Name", "Name (descending)", "Acronym", "Acronym (descending)"]),
    ],
)
def test_the_order_choices_read_in_the_page_s_language(client, path, expected):
    """django-filter wrote "(descending)" in English at import, and "Iso code" from the parameter."""
    page = client.get(path).content.decode()
    select = re.search(r'<select name="ordering".*?</select>', page, re.S)[0]
    assert [html.unescape(label) for label in re.findall(r"<option[^>]*>(.*?)</option>", select)] == expected


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)[1]


def test_a_name_in_another_language_is_marked_as_such(client):
    """The record's own name may not be English: IRD's is French, COFAMIT's Spanish; Frontex's is
    the same in every language (BCP 47 "mul")."""
    ird = heading(client.get("/fr/organizations/ird/"))
    assert "Institut de Recherche pour le Développement" in ird and "fallback" not in ird
    ird = heading(client.get("/es/organizations/ird/"))
    assert '<span lang="fr">Institut de Recherche pour le Développement</span>' in ird
    assert 'title="No consta ningún nombre en español: se muestra en francés."' in ird and ">FR</abbr>" in ird
    assert "fallback" not in heading(client.get("/es/organizations/cofamit/"))
    assert 'title="No name in English is recorded: shown in Spanish."' in heading(
        client.get("/en/organizations/cofamit/")
    )
    for language in ("en", "fr", "es"):
        assert "fallback" not in heading(client.get(f"/{language}/organizations/frontex/"))
    ocam = heading(client.get("/es/organizations/ocam/"))
    assert ocam.startswith("Comisión Centroamericana de Directores de Migración")


def test_a_process_known_by_its_name_alone_is_shown_by_it(process):
    with translation.override("es"):
        assert (
            local_names.book().process_short_name(process("budapest-process")).text == "Proceso de Budapest"
        )
        midsa = local_names.book().process_short_name(process("midsa"))
        assert (midsa.text, midsa.fallback) == ("MIDSA", False)  # "por sus siglas en inglés", para. 7


def test_a_new_display_name_shows_on_the_next_request(client, process):
    assert "Processus de Budapest" not in text(client.get("/fr/processes/budapest-process/"))
    scpf = m.SourceDocument.objects.get(symbol="SCPF/30")
    alias = m.ProcessAlias.objects.create(
        process=process("budapest-process"), name="Processus de Budapest", language="fr", display="name"
    )
    alias.cite(scpf, "para. 7 (a test)")
    assert "Processus de Budapest" in text(client.get("/fr/processes/budapest-process/"))


def test_one_display_name_per_language_and_none_in_english(process):
    rcm = process("rcm")
    second = m.ProcessAlias(process=rcm, name="Conferencia de Puebla", language="es", display="name")
    with pytest.raises(ValidationError, match="Another name is already shown in this language"):
        second.full_clean()
    english = m.ProcessAlias(process=rcm, name="The Puebla Conference", language="en", display="name")
    with pytest.raises(ValidationError, match="mark only other languages"):
        english.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        m.ProcessAlias.objects.create(
            process=rcm, name="Conferencia de Puebla", language="es", display="name"
        )


# Sorting, search, dates and numbers -------------------------------------------------------------


def test_states_sort_in_the_language_accents_and_all(client):
    english = row_names(client.get("/en/states/?q=c"))
    assert english.index("Costa Rica") < english.index("Côte d'Ivoire") < english.index("Croatia")
    spanish = row_names(client.get("/es/states/?q=c"))
    assert spanish.index("Costa Rica") < spanish.index("Côte d’Ivoire") < spanish.index("Croacia")
    assert spanish == sorted(spanish, key=lambda name: local_names.sort_key(name, "es"))
    assert row_names(client.get("/es/states/?q=c&ordering=-name")) == spanish[::-1]


def test_spanish_sorts_enye_after_n():
    names = ["Ñandú", "Nueva Zelandia", "Oceanía", "Namibia"]
    assert sorted(names, key=lambda n: local_names.sort_key(n, "es")) == [
        "Namibia",
        "Nueva Zelandia",
        "Ñandú",
        "Oceanía",
    ]
    assert sorted(names, key=lambda n: local_names.sort_key(n, "en"))[:2] == ["Namibia", "Ñandú"]


def test_processes_sort_by_their_short_name_in_the_language(client):
    spanish = row_names(client.get("/es/processes/"))
    assert spanish == sorted(spanish, key=lambda name: local_names.sort_key(name, "es"))
    assert "Proceso Söderköping" in spanish and "Proceso de Budapest" in spanish
    assert (
        spanish.index("Proceso de Colombo") < spanish.index("Proceso Söderköping") < spanish.index("RCP IGAD")
    )


def test_processes_sort_by_their_full_name_in_the_language_on_request(client):
    page = client.get("/es/processes/?ordering=name").content.decode()
    full = re.findall(r'<small class="muted">(.*?)</small></th>', page)
    shown = [html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<abbr.*?</abbr>", "", name))) for name in full]
    assert len(shown) == m.Process.objects.count()
    assert shown == sorted(shown, key=lambda name: local_names.sort_key(name, "es"))
    assert shown.index("Cluster Process") < shown.index("Conferencia Regional sobre Migraciones")
    descending = client.get("/es/processes/?ordering=-name").content.decode()
    assert re.findall(r'<small class="muted">(.*?)</small></th>', descending) == full[::-1]


@pytest.mark.parametrize(("query", "found"), [("Soderkoping", "Söderköping"), ("cote d'ivoire", "Côte")])
def test_search_ignores_accents_in_every_language(client, query, found):
    for language in ("en", "fr", "es"):
        assert found in text(client.get(f"/{language}/search/", {"q": query}))


def test_states_are_found_by_their_french_or_spanish_names(client):
    assert "Germany" in text(client.get("/en/search/", {"q": "Alemania"}))
    assert "Allemagne" in text(client.get("/fr/search/", {"q": "allemagne"}))
    assert "México" in text(client.get("/es/search/", {"q": "mexico"}))
    assert client.get("/api/states/", {"q": "Estados Unidos"}).json()["results"][0]["iso_code"] == "US"


def test_the_filters_name_records_in_the_language_and_sort_them(client):
    page = client.get("/es/processes/").content.decode()
    select = re.search(r'<select name="member"[^>]*>(.*?)</select>', page, re.S)[1]
    labels = [html.unescape(label) for label in re.findall(r"<option [^>]*>(.*?)</option>", select)][1:]
    assert "Alemania" in labels and "Germany" not in labels
    assert labels == sorted(labels, key=lambda name: local_names.sort_key(name, "es"))
    assert ">Proceso de Bali</option>" in client.get("/es/states/").content.decode()


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "30 April 2009", "April 2009"),
        ("fr", "30 avril 2009", "avril 2009"),
        ("es", "30 de abril de 2009", "abril de 2009"),
    ],
)
def test_dates_follow_the_language(client, language, day, month):
    page = text(client.get(f"/{language}/processes/?as_of=2009-04-30"))
    assert day in page
    assert month in text(client.get(f"/{language}/sources/"))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_counts_use_the_languages_separators(client, language):
    states = list(m.State.objects.order_by("pk")[:70])
    invited = set(m.Participation.objects.filter(role="invited").values_list("process_id", "participant_id"))
    new = [
        m.Participation(process=p, participant=s, role="invited", position=0)
        for p in m.Process.objects.all()
        for s in states
        if (p.pk, s.pk) not in invited
    ]
    m.Participation.objects.bulk_create(new)
    m.RegistryVersion.bump()
    count = m.Participation.objects.count()
    assert count >= 1000
    with translation.override(language):
        expected = number_format(count, use_l10n=True, force_grouping=True)
    assert expected != str(count)
    assert " ".join(expected.split()) in text(client.get(f"/{language}/"))  # text() collapses spaces


# The admin and the API -------------------------------------------------------------------------------


def test_the_admin_follows_the_language_chosen(admin_client):
    page = admin_client.get("/admin/registry/process/")
    assert 'name="language"' in page.content.decode()
    admin_client.post("/i18n/setlang/", {"language": "es", "next": "/admin/registry/process/"})
    page = text(admin_client.get("/admin/registry/process/add/"))
    assert "Añadir proceso" in page and "nombre corto o sigla" in page.lower()


def test_the_api_names_in_the_language_asked(client):
    neutral = client.get("/api/processes/rcm/").json()
    assert neutral["name"] == "Regional Conference on Migration" and neutral["local_name"] is None
    spanish = client.get("/api/processes/rcm/?lang=es").json()
    assert spanish["name"] == "Regional Conference on Migration"  # the record's own fields do not change
    assert spanish["local_name"] == {
        "language": "es",
        "name": "Conferencia Regional sobre Migraciones",
        "name_language": "es",
        "short_name": "CRM",
        "short_name_language": "es",
        "fallback": False,
        "origin": "alias",
        "citations": ["SCPF/30: para. 7"],
    }
    french = client.get("/api/processes/rcm/", HTTP_ACCEPT_LANGUAGE="fr").json()["local_name"]
    assert (french["name"], french["fallback"], french["origin"]) == (
        "Regional Conference on Migration",
        True,
        "record",
    )
    state = client.get("/api/states/DE/?lang=fr").json()["local_name"]
    assert (state["name"], state["origin"]) == ("Allemagne", "CLDR")
    rows = client.get("/api/participations/", {"process": "rcm", "role": "member", "lang": "es"}).json()[
        "results"
    ]
    assert {row["participant"]["local_name"]["name"] for row in rows} >= {
        "Belice",
        "México",
        "Estados Unidos",
    }


def test_the_api_gives_an_organization_s_acronym_as_the_pages_show_it(client, later_sources):
    spanish = client.get("/api/organizations/iom/?lang=es").json()["local_name"]
    assert (spanish["name"], spanish["acronym"]) == ("Organización Internacional para las Migraciones", "OIM")
    assert any("second paragraph" in citation for citation in spanish["citations"])  # where OIM is given
    english = client.get("/api/organizations/iom/?lang=en").json()["local_name"]
    assert english["acronym"] == "IOM"
    assert "acronym" not in client.get("/api/states/DE/?lang=fr").json()["local_name"]


def test_the_api_rejects_an_unknown_language(client):
    response = client.get("/api/processes/rcm/?lang=de")
    assert response.status_code == 400 and "lang" in response.json()
    assert client.get("/api/processes/?lang=xx").status_code == 400


def test_the_api_cache_keeps_languages_apart(client):
    assert client.get("/api/processes/rcm/?lang=es").json()["local_name"]["name_language"] == "es"
    assert (
        client.get("/api/processes/rcm/", HTTP_ACCEPT_LANGUAGE="fr").json()["local_name"]["language"] == "fr"
    )
    assert client.get("/api/processes/rcm/").json()["local_name"] is None
