"""A visitor browses the public pages: home, search, the process list with a filter, a process as
of 2003 and as of April 2009, a state, an organization, the sources, a download, and a 404."""

import csv
import io
import re

import pytest

from .conftest import screenshot


def test_a_visitor_finds_a_process_filters_and_views_it_as_of_a_date(live_server, seeded, page):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Regional Consultative Processes on Migration"
    screenshot(page, "public-home")

    # Search: accents do not matter.
    page.fill("#site-search", "soderkoping")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=soderkoping*")
    page.get_by_role("link", name="Söderköping Process").click()
    page.wait_for_url("**/processes/soderkoping-process/")
    assert "Söderköping Process" in page.locator("h1").inner_text()
    screenshot(page, "public-search-result-process")

    # The process list, filtered by a member.
    page.goto(base + "/en/processes/")
    page.select_option("#id_member", label="Australia")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**member=australia*")  # the rows read below are the filtered page's
    rows = page.locator("main table tbody tr")
    names = rows.all_inner_texts()
    assert any("Bali Process" in name for name in names)
    assert not any("MIDSA" in name for name in names)
    screenshot(page, "public-process-list-filtered")

    # A download of the filtered list.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    with open(info.value.path(), encoding="utf-8") as downloaded:
        content = downloaded.read()
    slugs = {row["slug"] for row in csv.DictReader(io.StringIO(content))}
    assert "bali-process" in slugs and "midsa" not in slugs

    # The Budapest Process as of 2003, then as of April 2009, with the as-of selector.
    page.goto(base + "/en/processes/budapest-process/")
    page.fill("#as-of", "2003")
    page.locator("section.asof").get_by_role("button", name="Show").click()
    page.wait_for_url("**as_of=2003*")
    assert "31 December 2003" in page.locator("section.asof").inner_text()
    assert "(44)" in page.locator("#participants ~ details h3").first.inner_text()
    screenshot(page, "public-process-as-of-2003")
    page.fill("#as-of", "2009-04")
    page.locator("section.asof").get_by_role("button", name="Show").click()
    page.wait_for_url("**as_of=2009-04*")
    assert "(49)" in page.locator("#participants ~ details h3").first.inner_text()
    screenshot(page, "public-process-as-of-2009")

    # The as-of date follows the links: a state's page.
    page.get_by_role("link", name="Albania").first.click()
    page.wait_for_url("**/states/albania/*")
    assert "30 April 2009" in page.locator("section.asof").inner_text()
    assert "Albania" in page.locator("h1").inner_text()
    screenshot(page, "public-state")

    page.goto(base + "/en/organizations/unhcr/")
    assert "UNHCR" in page.locator("h1").inner_text()
    screenshot(page, "public-organization")
    page.goto(base + "/en/sources/")
    screenshot(page, "public-sources")
    page.goto(base + "/en/overlap/?as_of=2009-04")
    page.select_option("#overlap-region", label="Africa (SCPF/30)")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**region=*")
    assert "MIDSA" in page.locator("main table thead").inner_text()
    screenshot(page, "public-overlap")
    page.goto(base + "/en/timeline/")
    assert page.locator("#year-1985").count() == 1
    screenshot(page, "public-timeline")
    page.goto(base + "/en/reports/overview/?as_of=2009-04-30&source=scpf-30")
    assert "Overview of principal RCPs" in page.locator("h1").inner_text()
    assert page.locator("main table tbody tr").count() == 14 + 6  # 14 processes under 6 region headings
    screenshot(page, "public-report-overview")
    page.emulate_media(media="print")  # a printed report: the content and the date, not the controls
    navigation = page.locator("header nav")  # the main menu and the language switcher
    assert navigation.count() == 2 and not any(navigation.nth(i).is_visible() for i in range(2))
    assert not page.locator(".downloads").is_visible()
    assert page.locator(".asof").is_visible() and page.locator("main table").is_visible()
    page.emulate_media(media="screen")
    # The map is an image drawn by the server; it loads from the same origin.
    page.goto(base + "/en/processes/midwa/")
    page.locator("figure.map img").scroll_into_view_if_needed()  # it loads lazily
    page.wait_for_function(
        "() => { const img = document.querySelector('figure.map img'); "
        "return img.complete && img.naturalWidth > 0; }",
        timeout=15000,
    )

    # A bad filter value is a message, not an error page; an unknown slug a styled 404.
    page.goto(base + "/en/processes/?region=nowhere")
    assert page.get_by_role("alert").count() == 1
    response = page.goto(base + "/en/processes/atlantis/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    screenshot(page, "public-404")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_process_page_is_four_phone_screens_until_a_section_is_opened(
    live_server, seeded, browser, language
):
    """At 390 px the long sections (accounts, participants by role, IOM's role, events, the
    sources in the footer) are folded with their counts: the Budapest Process reads in about four
    screens (16,500 px before). Opened, the members stack as records, each with its citation on
    screen. At 1366 px every section is open."""
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{live_server.url}/{language}/processes/budapest-process/")
    opened = page.evaluate("[...document.querySelectorAll('details.fold')].map(d => d.open)")
    assert len(opened) >= 8 and not any(opened)
    assert re.search(r"\(\d+\)", page.locator("#participants ~ details summary").first.inner_text())
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 4.3 * 844, height
    screenshot(page, f"public-process-phone-folded-{language}")
    page.locator("#participants ~ details summary").first.click()
    first = page.locator("#participants ~ details table.records tbody tr").first
    mark = first.locator("sup.cite button").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the citation, without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"public-process-phone-members-{language}", full_page=False)
    phone.close()
    desktop = browser.new_context(viewport={"width": 1366, "height": 900})
    page = desktop.new_page()
    page.goto(f"{live_server.url}/{language}/processes/budapest-process/")
    assert all(page.evaluate("[...document.querySelectorAll('details.fold')].map(d => d.open)"))
    desktop.close()


VISIBLE_PROCESS_COLUMNS = """(() => {
  const box = document.querySelector('.matrix-wrap').getBoundingClientRect();
  return [...document.querySelectorAll('.matrix thead th')].slice(2)
    .filter(th => th.getBoundingClientRect().right <= box.right + 1 && th.innerText.trim()).length;
})()"""


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_overlap_matrix_shows_processes_beside_the_states_on_a_phone(
    live_server, seeded, browser, language
):
    """At 390 px the state column wraps and the process columns are headed upwards: at least three
    process columns, labelled, beside the states (none before), and the column legend and the
    sources' dates are folded, so the matrix starts within the second screen."""
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{live_server.url}/{language}/overlap/")
    assert page.evaluate(VISIBLE_PROCESS_COLUMNS) >= 3
    assert page.evaluate("document.querySelector('.matrix-wrap').getBoundingClientRect().top") < 2 * 844
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("details.legend").get_attribute("open") is None
    page.locator(".matrix-wrap").scroll_into_view_if_needed()
    screenshot(page, f"public-overlap-phone-{language}", full_page=False)
    phone.close()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_process_list_shows_each_member_count_on_a_phone(live_server, seeded, browser, language):
    """At 390 px each process is a record: its members, secretariat and status on screen, not
    in columns beyond the edge; a year given alike by several sources is written once."""
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{live_server.url}/{language}/processes/")
    counts = page.locator("main table.records td:nth-of-type(3)")
    assert counts.count() >= 10
    for cell in counts.all()[:10]:
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and cell.inner_text().strip().isdigit()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for row in page.locator("main table.records tbody tr").all()[:10]:  # each year once a process
        years = re.findall(r"\b(1[89]\d\d|20\d\d)\b \(", row.locator("td").first.inner_text())
        assert len(years) == len(set(years)), years
    screenshot(page, f"public-process-list-phone-{language}", full_page=False)
    phone.close()


def test_a_citation_opens_by_keyboard_and_by_tap_and_fits_a_phone(live_server, seeded, browser):
    """The numbered marks: Tab to one, Enter opens its note (symbol, place, link to the source),
    Esc closes it; a tap opens it on a phone, and the note stays inside the screen."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/es/processes/bali-process/")
    marks = page.locator("h1 sup.cite button")
    assert marks.count() >= 2
    notes = [page.locator(f"#{mark.get_attribute('popovertarget')}") for mark in marks.all()]
    texts = {note.text_content() for note in notes}
    assert len(texts) == len(notes)  # each mark its own place in SCPF/30, no longer four alike
    marks.first.focus()
    page.keyboard.press("Enter")
    notes[0].wait_for(state="visible")
    assert "SCPF/30" in notes[0].inner_text() and notes[0].get_by_role("link").first.get_attribute("href")
    screenshot(page, "public-citation-open-1366", full_page=False)
    page.keyboard.press("Escape")
    notes[0].wait_for(state="hidden")
    context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = phone.new_page()
    page.goto(live_server.url + "/en/processes/budapest-process/#participants")
    page.locator("#participants ~ details summary").first.tap()  # folded on a phone: opened
    mark = page.locator("#participants ~ details div.table-wrap sup.cite button").first
    mark.scroll_into_view_if_needed()
    mark.tap()
    note = page.locator(f"#{mark.get_attribute('popovertarget')}")
    note.wait_for(state="visible")
    assert "Annex" in note.inner_text()
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, "public-citation-open-390", full_page=False)
    phone.close()
