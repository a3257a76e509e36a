"""What every page shares and the small pages: the menu, the footer's sources and suggested
citation, the About page, the reports index, the icon, search and order details."""

import re
from datetime import date

import pytest
from django.conf import settings

from registry import models as m

pytestmark = pytest.mark.django_db


def test_the_home_page_title_names_the_registry_once(client):
    html = client.get("/en/").content.decode()
    (title,) = re.findall(r"<title>(.*?)</title>", html)
    assert title.count("RCP Registry") == 1


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/en/processes/bali-process/", "Processes"),
        ("/en/states/austria/", "States and territories"),
        ("/en/reports/changes/?from=2003&to=2009", "Reports"),
        ("/en/about/", "About"),
    ],
)
def test_the_menu_marks_the_current_section(client, url, current):
    html = client.get(url).content.decode()
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html) == [current]


def test_the_footer_names_the_sources_in_the_database_and_suggests_a_citation(client, later_source):
    html = client.get("/en/processes/bali-process/?as_of=2009-04").content.decode()
    footer = html[html.index("<footer>") :]
    for label in ("MC/INF/266", "SCPF/30", later_source.label):
        assert label in footer
    assert "Cite this page:" in footer and "/en/processes/bali-process/?as_of=2009-04" in footer
    assert "as of 30 April 2009" in footer


def test_the_about_page_explains_the_sources_the_rule_with_examples_and_the_licence(client):
    answer = client.get("/fr/about/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "MC/INF/266" in html and "SCPF/30" in html
    assert "?as_of=2005-12-31#participants" in html and "creativecommons.org/licenses/by/4.0" in html
    budapest_2005 = m.Participation.objects.as_of(date(2005, 12, 31)).filter(
        process__slug="budapest-process", role="member"
    )
    assert re.search(rf"Au 31 décembre 2005, le .+ compte {budapest_2005.count()} membres", html)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "As of 31 December 2005, the "),
        ("fr", "Au 31 décembre 2005, le "),
        ("es", "Al 31 de diciembre de 2005, el "),
    ],
)
def test_the_about_pages_examples_name_their_day(client, language, said):
    html = client.get(f"/{language}/about/").content.decode()
    assert said in html
    assert "As of , " not in html and "Au , " not in html and "Al , " not in html


def test_the_reports_index_links_each_report_keeping_the_date(client):
    html = client.get("/es/reports/?as_of=2003").content.decode()
    for name in ("overview", "iom-roles"):
        assert f"/es/reports/{name}/?as_of=2003" in html
    assert "/es/reports/changes/?from=2003" in html


def test_the_browsers_icon_is_served(client):
    answer = client.get("/favicon.ico", follow=True)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_searching_laos_finds_laos_and_not_palau(client):
    html = client.get("/en/search/?q=Laos").content.decode()
    assert "/en/states/lao-peoples-democratic-republic/" in html
    assert "/en/states/palau/" not in html
    assert "/en/states/germany/" in client.get("/en/search/?q=Alemania").content.decode()


def test_participants_are_in_the_order_of_the_names_shown_not_the_sources(client):
    html = client.get("/en/processes/bali-process/").content.decode()
    members = html[html.index('id="participants"') :]
    # The sources list it as "France (New Caledonia)": it used to come right after Fiji.
    names = ["Fiji", "India", "Nepal", "New Caledonia", "New Zealand"]
    positions = [members.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_a_download_carries_its_date_in_each_row_and_its_name_and_the_sources(client, later_source):
    answer = client.get("/en/processes/bali-process/?format=csv&as_of=2003")
    assert (
        answer["Content-Disposition"]
        == 'attachment; filename="bali-process-participants-as-of-2003-12-31.csv"'
    )
    lines = answer.content.decode().splitlines()
    assert lines[0].split(",")[-1] == "as_of" and all(line.endswith(",2003-12-31") for line in lines[1:])
    data = client.get("/en/states/?format=json&as_of=2009-04").json()
    assert {row["as_of"] for row in data["rows"]} == {"2009-04-30"}
    assert any(later_source.title in reference for reference in data["meta"]["sources"])
    changes = client.get("/en/reports/changes/?from=2003&to=2009-04-30&format=csv")
    assert changes["Content-Disposition"] == 'attachment; filename="rcp-changes-2003-12-31-to-2009-04-30.csv"'


def test_processes_by_processes_counts_the_members_they_share(client):
    today = date.today()

    def members(slug):
        return set(
            m.Participation.objects.as_of(today)
            .filter(process__slug=slug, role="member", participant__kind__in=["state", "territory"])
            .values_list("participant_id", flat=True)
        )

    html = client.get("/en/overlap/processes/").content.decode()
    header = re.findall(r'<th scope="col" class="upright"><a href="/en/processes/([^/]+)/"', html)
    rows = re.findall(r'<tr><th scope="row"><a href="/en/processes/([^/]+)/">.*?</th>(.*?)</tr>', html)
    cells = {slug: re.findall(r"<td[^>]*>(?:<span[^>]*>)?([^<]*)", row) for slug, row in rows}
    budapest, mtm = header.index("budapest-process"), header.index("mtm")
    assert cells["budapest-process"][budapest] == str(len(members("budapest-process")))
    assert cells["budapest-process"][mtm] == str(len(members("budapest-process") & members("mtm")))


def test_a_source_page_names_the_kinds_of_facts_citing_it_and_links_them(client):
    html = client.get("/en/sources/scpf-30/").content.decode()
    assert "participantalias" not in html and "processsnapshot" not in html
    assert re.search(r'<a href="/api/participations/\?cited_in=SCPF/30">Participations: \d+</a>', html)
    assert re.search(r"<li>Participant name variants: \d+</li>", html)


def test_filters_offer_checkboxes_human_labels_and_no_blank_sort(client):
    html = client.get("/en/processes/?kind=thematic").content.decode()
    assert re.search(
        r'<legend>Kind</legend>.*?<input type="checkbox" name="kind" value="thematic"[^>]*checked', html, re.S
    )
    assert "<select" not in html.split('name="kind"')[0].rsplit("<fieldset", 1)[-1]
    assert "Has this member" in html and "participant slug" not in html
    ordering = re.search(r'<select name="ordering"[^>]*>(.*?)</select>', html, re.S)[1]
    assert "---------" not in ordering and 'value=""' not in ordering
    assert "YYYY, YYYY-MM" not in html  # the date box's placeholder is an example that fits


def test_a_processs_body_links_to_the_process_on_its_page(client, later_sources):
    """The PIDC that SCPF/30 lists among the APC's observers is the PIDC process under its name
    from 1997 (IOM's profile page): its page says so and links to the process; so does the IGC
    Secretariat's."""
    from registry.seeding.loader import Loader  # the seeding links bodies once the process exists
    from registry.seeding.store import SeedReport

    loader = Loader(settings.REGISTRY_FIXTURES_DIR, SeedReport())
    loader.participants = {"pidc": m.Participant.objects.get(slug="pidc")}
    loader.participants["pidc"]._seed_created = True
    loader.processes, loader._pending_bodies = {}, {"pidc": "pidc"}
    loader.link_process_bodies()
    assert m.Participant.objects.get(slug="pidc").process.slug == "pidc"
    html = client.get("/en/organizations/pidc/").content.decode()
    assert 'body of process: <a href="/en/processes/pidc/">PIDC</a>' in html
    html = client.get("/fr/organizations/igc-secretariat/").content.decode()
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert '<a href="/fr/processes/igc/">' in lead
