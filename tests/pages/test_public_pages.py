"""The public pages: each page and list, as of a date, filters (good and bad), search, downloads,
styled 404s, escaping of stored text, and query counts that do not grow with the rows."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/",
    "/en/processes/",
    "/en/processes/budapest-process/",
    "/en/states/",
    "/en/states/australia/",
    "/en/organizations/",
    "/en/organizations/unhcr/",
    "/en/sources/",
    "/en/sources/scpf-30/",
    "/en/search/?q=puebla",
    "/en/overlap/",
    "/en/timeline/",
]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_the_date_in_use(client, url):
    page = get(client, url)
    assert "Showing the <strong>latest known</strong> state" in page  # today is past the sources
    assert '<main id="content">' in page and "<nav" in page
    dated = get(client, url + ("&" if "?" in url else "?") + "as_of=2009-04")
    assert "30 April 2009" in dated


@pytest.mark.parametrize("url", PAGES)
def test_page_queries_do_not_grow_with_the_rows(client, url, participant):
    before = queries(client, url)
    budapest = m.Process.objects.get(slug="budapest-process")
    scpf = m.SourceDocument.objects.get(symbol="SCPF/30")
    for iso in ["CL", "AR", "BR", "UY", "PY"]:
        row = m.Participation.objects.create(process=budapest, participant=participant(iso), role="observer")
        row.cite(scpf, "Annex II, a test row")
        m.Participation.objects.create(
            process=m.Process.objects.get(slug="bali-process"), participant=participant(iso), role="observer"
        )
    m.Event.objects.create(slug="test-event", process=budapest, kind="meeting", title="Test meeting")
    assert queries(client, url) == before, url
    # 27: the process page's 22 (3 of them its status over time and lineage, 2 the sources that
    # list each participation), and the names shown in the language and the footer's sources
    # (read once per registry version in production; inside a test's transaction, on every request).
    assert before <= 27, (url, before)


def test_process_page_as_of_each_source(client):
    in_2003 = get(client, "/en/processes/budapest-process/?as_of=2003")
    in_2009 = get(client, "/en/processes/budapest-process/?as_of=2009-04")
    assert "Participants (as of 31 December 2003)" in in_2003
    assert "Participants (as of 30 April 2009)" in in_2009
    # Australia: a member in 2003 (MC/INF/266), an observer or partner in April 2009 (SCPF/30).
    section_2003 = in_2003.split('id="participants"')[1]
    section_2009 = in_2009.split('id="participants"')[1]
    assert section_2003.index("Australia") > section_2003.index("member / participating government")
    assert "observer or partner" in section_2009.split("Australia")[0]
    assert 'member / participating government <small class="muted">(44)</small>' in section_2003
    assert 'member / participating government <small class="muted">(49)</small>' in section_2009


def test_a_process_pages_rows_give_name_sources_period_notes_and_citations(client):
    budapest = m.Process.objects.get(slug="budapest-process")
    jamaica = m.State.objects.get(iso_code="JM")
    m.Participation.objects.create(
        process=budapest,
        participant=jamaica,
        role="observer",
        name_as_cited="Jamaïque <b>",
        suspended=True,
        status_note='<script>alert("x")</script> since 2024',
    )
    page = get(client, "/en/processes/budapest-process/?as_of=2009-04")
    row = next(row for row in page.split("<tr>") if ">Jamaica</a>" in row)
    cells = re.split(r"<td[^>]*>", row)
    assert '<a href="/en/states/jamaica/?as_of=2009-04">Jamaica</a>' in cells[0]
    assert "(as cited: Jamaïque &lt;b&gt;)" in cells[0]
    assert '<small class="muted">recorded by curators</small>' in cells[1]
    assert cells[2].startswith("—</td>")
    assert (
        '<span class="differs">suspended</span> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; since 2024'
        in cells[3]
    )
    # A row from the papers: listed by each source, with a numbered citation.
    austria = re.split(r"<td[^>]*>", next(row for row in page.split("<tr>") if ">Austria</a>" in row))
    listed = (
        '2003 <small class="muted">(MC/INF/266)</small>, April 2009 <small class="muted">(SCPF/30)</small>'
    )
    assert austria[1].startswith(listed + "</td>")
    assert 'popovertarget="cite-' in austria[4] and "SCPF/30" in austria[4]


def test_process_page_shows_both_years_and_explains_totals(client):
    page = get(client, "/en/processes/midwa/")
    assert "SCPF/30 says 2000" in page and "MC/INF/266 says 2001" in page
    bali = " ".join(get(client, "/en/processes/bali-process/").split())
    assert "42 stated, 43 listed" in bali and "they differ" in bali


def test_process_list_filters_sort_and_reports_bad_values(client):
    page = get(client, "/en/processes/?member=australia")
    assert "bali-process" in page and "midsa/" not in page
    trafficking = get(client, "/en/processes/?theme=trafficking")
    assert "Bali Process" in trafficking and "Abu Dhabi Dialogue" not in trafficking
    by_size = get(client, "/en/processes/?ordering=-size")
    assert by_size.index("Budapest Process") < by_size.index("Söderköping Process")
    bad = get(client, "/en/processes/?region=nowhere&established_after=abc")
    assert "Some filters could not be used" in bad
    assert "region" in bad and "established_after" in bad
    assert "Budapest Process" in bad  # the list itself still shows


def test_a_bad_as_of_date_says_so_and_shows_today(client):
    page = get(client, "/en/processes/?as_of=April")
    assert "is not a date we can read" in page
    assert "today" in page


def test_search_finds_names_in_any_language_without_accents(client):
    assert "Söderköping Process" in get(client, "/en/search/?q=soderkoping")
    assert "/en/processes/rcm/" in get(client, "/en/search/?q=Conferencia Regional sobre Migraciones")
    assert "/en/organizations/unhcr/" in get(client, "/en/search/?q=UNHCR")
    assert "Nothing matches" in get(client, "/en/search/?q=zzzz-nothing")


def test_lists_download_as_csv_and_json_with_the_filters(client):
    response = client.get("/en/processes/?member=australia&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "bali-process" in {row["slug"] for row in rows}
    # Australia left the Budapest Process's members between the two papers.
    assert "budapest-process" not in {row["slug"] for row in rows}
    in_2003 = client.get("/en/processes/?member=australia&as_of=2003&format=csv").content.decode()
    assert "budapest-process" in in_2003
    assert "midsa" not in {row["slug"] for row in rows}
    body = json.loads(client.get("/en/processes/budapest-process/?as_of=2003&format=json").content)
    assert body["meta"]["as_of"] == "2003-12-31"
    assert all(row["source"] == "MC/INF/266" for row in body["rows"])
    states = client.get("/en/states/?q=new&format=csv").content.decode()
    assert "New Zealand" in states


DOWNLOADS = [
    "/en/processes/",
    "/en/processes/bali-process/",
    "/en/states/",
    "/en/organizations/",
    "/en/states/australia/",
    "/en/reports/overview/",
    "/en/reports/iom-roles/",
    "/en/reports/changes/",
    "/en/overlap/",
    "/en/timeline/",
]


@pytest.mark.parametrize("url", DOWNLOADS)
def test_every_download_names_the_registrys_sources_and_its_filters(client, url):
    """One helper makes every list's download: a source recorded later is named too."""
    m.SourceDocument.objects.create(
        symbol="TEST/1",
        slug="test-1",
        title="A later test source",
        as_of="2024-01-01",
        as_of_precision="year",
    )
    body = json.loads(client.get(url + "?format=json&q=a").content)
    meta = body["meta"]
    assert meta["sources"][-1] == "TEST/1: A later test source"
    assert any(source.startswith("SCPF/30: ") for source in meta["sources"])
    assert meta["sources_page"] == "http://testserver/en/sources/"
    assert meta["filters"] == {"format": "json", "q": "a"} and "generated" in meta
    csv_download = client.get(url + "?format=csv")
    assert csv_download["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_download["Content-Disposition"].endswith('.csv"')


def test_unknown_slugs_get_the_styled_404(client):
    for url in [
        "/en/processes/atlantis/",
        "/en/states/atlantis/",
        "/en/organizations/australia/",
        "/nothing/",
    ]:
        page = get(client, url, status=404)
        assert "Not found" in page and "RCP Registry" in page


def test_stored_text_cannot_inject_markup(client):
    process = m.Process.objects.get(slug="midsa")
    process.status_note = '<script>alert("x")</script><b>bold</b>'
    process.save()
    alias = process.aliases.first()
    alias.name = "<img src=x onerror=alert(1)>"
    alias.save()
    page = get(client, "/en/processes/midsa/")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page


def test_paragraphs_of_the_papers_render_as_paragraphs(client):
    page = get(client, "/en/processes/bali-process/")
    assert "<p>Monitoring and implementation" in page


def test_overlap_matrix_gives_each_states_roles_and_filters_by_region(client):
    page = " ".join(get(client, "/en/overlap/?min=2").split())
    australia = page.split('/en/states/australia/">Australia</a></th>')[1].split("</tr>")[0]
    assert "<td>M</td>" in australia and "<td>O/P</td>" in australia
    in_2003 = " ".join(get(client, "/en/overlap/?min=2&as_of=2003").split())
    australia_2003 = in_2003.split('">Australia</a></th>')[1].split("</tr>")[0]
    assert "<td>O/P</td>" not in australia_2003
    africa = get(client, "/en/overlap/?region=scpf-30-africa&min=1")
    assert "MIDSA" in africa and "Budapest Process" not in africa
    rows = list(csv.DictReader(io.StringIO(client.get("/en/overlap/?format=csv").content.decode())))
    assert all(int(row["processes"]) >= 2 for row in rows)


def test_timeline_lists_establishment_by_source_and_events_up_to_the_date(client):
    page = get(client, "/en/timeline/")
    assert "MIDWA established" in page and "says SCPF/30" in page and "says MC/INF/266" in page
    # Two sources giving one year: one entry saying both (MIDWA's two years stay two entries).
    assert page.count("IGC established") == 1 and "says MC/INF/266, SCPF/30" in page
    assert page.count("MIDWA established") == 2
    in_2003 = get(client, "/en/timeline/?as_of=2003")
    assert "Abu Dhabi Dialogue established" not in in_2003
    ministerial = get(client, "/en/timeline/?kind=ministerial")
    assert "ministerial conference" in ministerial


def test_maps_colour_members_and_other_roles_without_any_network_fetch(client):
    response = client.get("/en/maps/process/budapest-process.svg?as_of=2009-04")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert ".hu path, .hu circle { fill: #0b5394" in svg
    assert ".au path, .au circle { fill: #7fa9d1" in svg  # an observer or partner in 2009
    in_2003 = client.get("/en/maps/process/budapest-process.svg?as_of=2003").content.decode()
    assert ".au path, .au circle { fill: #0b5394" in in_2003
    assert "http://" not in svg.split("<g", 1)[1] and "https://" not in svg.split("<g", 1)[1]
    assert client.get("/en/maps/state/australia.svg").status_code == 200
    assert client.get("/en/maps/other/australia.svg").status_code == 404
    assert client.get("/en/maps/process/atlantis.svg").status_code == 404


def test_a_source_without_a_symbol_is_shown_by_its_title(client):
    source = m.SourceDocument.objects.create(
        title="Budapest Process Ministerial Declaration 2024",
        kind="outcome",
        as_of="2024-01-01",
        as_of_precision="year",
    )
    page = get(client, source.get_absolute_url())
    assert "<h1>Budapest Process Ministerial Declaration 2024</h1>" in page
    assert f"cited_in={source.slug}" in page
    listing = get(client, "/en/sources/")
    title = "Budapest Process Ministerial Declaration 2024"
    assert f'<a href="{source.get_absolute_url()}">{title}</a></h2>' in listing
