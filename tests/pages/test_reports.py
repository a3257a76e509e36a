"""The papers' annex tables regenerated from the registry (registry/views/reports.py): the
overview of principal RCPs and IOM's role per function, as of any date, as pages and CSV."""

import csv
import io
import re

import pytest

pytestmark = pytest.mark.django_db


def rows(client, url):
    response = client.get(url + "&format=csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_april_2009_overview_has_scpf_30s_fourteen_processes_by_region(client):
    table = rows(client, "/en/reports/overview/?as_of=2009-04-30&source=scpf-30")
    assert len(table) == 14 and {row["source"] for row in table} == {"SCPF/30"}
    regions = [row["region"] for row in table]
    assert regions == sorted(regions, key=regions.index)  # grouped: each region's rows together
    bali = next(row for row in table if row["slug"] == "bali-process")
    assert (bali["year"], bali["governments_listed"], bali["governments_stated"]) == ("2002", "43", "42")
    budapest = next(row for row in table if row["slug"] == "budapest-process")
    assert "UNHCR" in budapest["observers_and_partners"] and "ICMPD" in budapest["secretariat"]
    page = client.get("/en/reports/overview/?as_of=2009-04-30&source=scpf-30").content.decode()
    assert "Asia and Oceania" in page and 'class="differs">(stated: 42)' in page


def test_as_of_a_date_each_process_is_described_by_the_account_in_force(client):
    latest = rows(client, "/en/reports/overview/?as_of=2009-04-30")
    older = {row["slug"] for row in latest if row["source"] == "MC/INF/266"}
    assert older == {"cis-conference", "manila-process", "cluster-process"}
    in_2003 = rows(client, "/en/reports/overview/?as_of=2003")
    assert {row["source"] for row in in_2003} == {"MC/INF/266"} and len(in_2003) == 14


def test_the_iom_role_matrix_gives_each_function_with_the_offices(client):
    table = rows(client, "/en/reports/iom-roles/?as_of=2009-04-30&source=scpf-30")
    budapest = next(row for row in table if row["slug"] == "budapest-process")
    assert budapest["secretariat"] == "not applicable"
    assert "IOM Mission with Regional Functions in Budapest" in budapest["expert"]
    page = client.get("/en/reports/iom-roles/?as_of=2009-04-30").content.decode()
    assert "Capacity-building and technical cooperation" in page


def test_the_change_report_compares_the_participations_of_two_dates(client):
    table = rows(client, "/en/reports/changes/?from=2003&to=2009-04-30")
    australia_in_bali = next(
        r for r in table if r["process_slug"] == "bali-process" and r["participant_slug"] == "australia"
    )
    assert australia_in_bali["change"] == "role changed" and "co-chair" in australia_in_bali["roles_after"]
    abu_dhabi = {r["change"] for r in table if r["process_slug"] == "abu-dhabi-dialogue"}
    assert abu_dhabi == {"joined"}  # established in 2008
    assert {r["change"] for r in table} == {"joined", "left", "role changed"}
    assert rows(client, "/en/reports/changes/?from=2009-04-30&to=2003") == table  # the dates in either order
    page = client.get("/en/reports/changes/?from=someday").content.decode()
    assert (
        'role="alert"' in page
        and "from “someday”: Enter a year (2009), a month (2009-04) or a day (2009-04-17)." in page
    )


def test_the_change_report_lists_the_recorded_edits(client, participant, process):
    from registry import models as m

    row = m.Participation.objects.filter(process=process("midsa")).first()
    row.status_note = "Checked."
    row._change_reason = "Checked against the 2009 list"
    row.save()
    page = client.get("/en/reports/changes/?from=2000").content.decode()
    assert "Checked against the 2009 list" in page and "in Migration Dialogue for Southern Africa" in page


def test_the_change_report_groups_by_process_filters_links_and_tells_dates_in_the_language(client):
    page = client.get("/en/reports/changes/?from=2003&to=2009-04-30").content.decode()
    groups = re.findall(r'<h2 id="changes-([^"]+)">', page)
    assert len(groups) == len(set(groups)) > 5 and "bali-process" in groups
    assert "between 31 December 2003 and 30 April 2009" in page and "Dec. 31, 2003" not in page
    assert 'href="/en/states/australia/"' in page  # participants are linked
    africa = client.get("/en/reports/changes/?from=2003&to=2009-04-30&region=scpf-30-africa").content.decode()
    assert set(re.findall(r'<h2 id="changes-([^"]+)">', africa)) <= {"igad-rcp", "midsa", "midwa"}
    midsa = client.get("/fr/reports/changes/?from=2003&to=2009-04-30&process=midsa").content.decode()
    assert re.findall(r'<h2 id="changes-([^"]+)">', midsa) == ["midsa"]
    assert "entre le 31 décembre 2003 et le 30 avril 2009" in midsa or "31 décembre 2003" in midsa


def test_the_initial_load_is_one_line_not_hundreds(client):
    page = client.get("/en/reports/changes/?from=2000").content.decode()
    assert re.search(r"— [\d,]+ participations recorded at once \(Loaded from the curated fixtures", page)
    assert page.count("<li>") < 60


@pytest.mark.parametrize(
    "url", ["/en/reports/overview/?as_of=2009-04-30", "/en/reports/iom-roles/?as_of=2009-04-30"]
)
def test_the_reports_come_a_bounded_number_of_processes_a_page_and_the_download_holds_all(
    client, monkeypatch, url
):
    from registry.views import reports

    monkeypatch.setattr(reports, "PROCESSES_PER_PAGE", 5)
    everything = rows(client, url)
    seen = set()
    for number in range(1, 5):
        page = client.get(f"{url}&page={number}").content.decode()
        table = page.split('<table class="report records">')[1]
        slugs = set(re.findall(r'href="/en/processes/([^/?]+)/', table))
        assert len(slugs) <= 5
        seen |= slugs
    # the pager is in the page's body (it was once in its <title>, where no one could use it)
    first = client.get(f"{url}&page=1").content.decode()
    assert 'rel="next"' in first.split("<main")[1] and "pager" not in first.split("</title>")[0]
    assert seen == {row["slug"] for row in everything} and len(everything) == 17


def test_the_change_report_comes_a_bounded_number_of_processes_a_page(client, monkeypatch):
    from registry.views import reports

    monkeypatch.setattr(reports, "CHANGES_PROCESSES_PER_PAGE", 3)
    first = client.get("/en/reports/changes/?from=2003&to=2009-04-30").content.decode()
    assert len(re.findall(r'<h2 id="changes-', first)) == 3 and 'rel="next"' in first
    download = rows(client, "/en/reports/changes/?from=2003&to=2009-04-30")
    assert len({row["process_slug"] for row in download}) > 3


def test_a_process_with_many_changes_shows_its_first_and_links_to_all(client, monkeypatch):
    from registry.views import reports

    monkeypatch.setattr(reports, "CHANGES_SHOWN_PER_PROCESS", 2)
    page = client.get("/en/reports/changes/?from=2003&to=2009-04-30").content.decode()
    assert re.search(r'process=bali-process">and \d+ more changes: see this process alone</a>', page)
    alone = client.get("/en/reports/changes/?from=2003&to=2009-04-30&process=bali-process").content.decode()
    assert "more changes" not in alone and alone.count('<th scope="row">') > 2


@pytest.mark.parametrize("url", ["/en/reports/overview/", "/en/reports/iom-roles/"])
def test_the_reports_name_each_rows_source_as_citations_do(client, later_sources, url):
    """A later source is named by its title on the page ("IOM profile page: …"), not by the slug
    the spreadsheets use as its key."""
    page = client.get(url).content.decode()
    assert "(IOM profile page: " in page
    assert "(iom-profile-" not in page
    assert any(row["source"].startswith("iom-profile-") for row in rows(client, url + "?"))


def test_the_change_report_folds_each_process_under_its_counts_open_when_alone(client):
    """On a phone a reader scans the processes' counts and opens one (fold.js opens them all on
    a wider screen); one process asked for is open."""
    every = client.get("/en/reports/changes/?from=2003&to=2009-04-30").content.decode()
    assert every.count('<details class="fold"><summary>\n<h2 id="changes-') >= 3
    assert re.search(r'<h2 id="changes-[^"]+">.*?\d+ joined, \d+ left, \d+ changed role', every, re.S)
    alone = client.get("/en/reports/changes/?from=2003&to=2009-04-30&process=midsa").content.decode()
    assert '<details class="fold" open><summary>\n<h2 id="changes-midsa">' in alone


def test_a_reports_long_cells_fold_under_their_first_words_and_keep_the_whole(client):
    """On a phone each process is a record; a long cell (a secretariat, the main areas, the
    priorities, IOM's role) folds under its first ten words, the whole text inside."""
    page = client.get("/en/reports/overview/?as_of=2009-04-30&source=scpf-30").content.decode()
    folds = re.findall(r'<details class="fold long"><summary>(.*?)…</summary>(.*?)</details>', page, re.S)
    assert len(folds) >= 10
    for summary, whole in folds:
        assert len(summary.split()) == 10 and " ".join(whole.replace("<br>", " ").split()).startswith(summary)
    roles = client.get("/en/reports/iom-roles/?as_of=2009-04-30").content.decode()
    assert '<details class="fold long">' in roles
