"""Every page type, as a browser meets it, in the three languages: no accessibility violation
axe-core finds; at 1366 and 390 px wide, what a reader comes to the page for shown whole (a
process's member count, a participant's citation, three labelled process columns of a matrix),
the page never scrolling sideways (a wide table scrolls inside its own box), its heading in the
first screen, light (at most 150 KB of HTML, 500 KB for the whole first load); the first screen of
each kept in test-artifacts/ (page-<type>-<language>-<width>.png), with the pages' heights."""

import json

import pytest

from .conftest import ARTIFACTS, screenshot

PAGES = {
    "home": "/",
    "processes": "/processes/",
    "process": "/processes/bali-process/",
    "states": "/states/",
    "state": "/states/austria/",
    "organizations": "/organizations/",
    "organization": "/organizations/unhcr/",
    "overlap": "/overlap/",
    "shared-members": "/overlap/processes/",
    "timeline": "/timeline/",
    "reports": "/reports/",
    "report-overview": "/reports/overview/",
    "report-iom-roles": "/reports/iom-roles/",
    "report-changes": "/reports/changes/?from=2003&to=2009-04-30",
    "sources": "/sources/",
    "source": "/sources/scpf-30/",
    "search": "/search/?q=laos",
    "about": "/about/",
}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(
    v => `${v.id} (${v.impact}): ${v.nodes.length}× ${v.nodes[0].target.join(" ")}`);
}"""
TRANSFER = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {html: navigation.encodedBodySize,
          total: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0)};
}"""


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_type_has_no_accessibility_violation(live_server, seeded, browser, axe_source, language):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}/{language}{path}")
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[name] = violations
    context.close()
    assert not found, found


# What a reader comes to each page type for, which must show whole without scrolling sideways
# (not cut by the screen's edge nor by a scrolling box): the fold a reader opens first (or None),
# and, for each kind of element, how many of the first must show.
NEEDS = {
    "home": ("summary:has(#processes)", [("main table.records tbody tr td:last-child", 3)]),  # governments
    "processes": (None, [("main table.records tbody td:nth-of-type(3)", 10)]),  # member counts
    "process": ("#participants ~ details summary", [("#participants ~ details .records sup.cite button", 3)]),
    "states": (None, [("main table tbody td:last-child", 10)]),  # in how many processes
    "state": ("summary:has(#roles)", [("ul.current li a", 3), ("table.records sup.cite button", 3)]),
    "organizations": (None, [("main table tbody td:last-child", 10)]),
    "organization": ("summary:has(#roles)", [("ul.current li a", 3), ("table.records sup.cite button", 3)]),
    "overlap": (None, [(".matrix th.upright a", 3)]),  # process columns, labelled, beside the states
    "shared-members": (None, [(".matrix th.upright a", 3)]),
    "timeline": (None, [("nav.years a", 5), ("main section[aria-labelledby^=year-] sup.cite button", 3)]),
    "reports": (None, [("main dt a", 3)]),
    "report-overview": (None, [("table.records tbody td:nth-of-type(2)", 5)]),  # governments
    "report-iom-roles": (None, [("table.records tbody td", 5)]),
    "report-changes": ("summary:has(h2[id^=changes-])", [("table.records tbody td:nth-of-type(1)", 3)]),
    "sources": (None, [("section.source-entry h2 a", 2)]),  # the papers, in the tests' data
    "source": (None, [("table.records tbody td:last-child", 5)]),  # participations listed
    "search": (None, [("main li a", 1)]),
    "about": (None, [("main h2", 2)]),
}
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SHOWN_WHOLE = """([selector, count]) => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll(selector)].slice(0, count).map(element => {
    const box = element.getBoundingClientRect();
    const text = (element.innerText || element.textContent).trim().slice(0, 30);
    if (!box.width || !text) return `empty or hidden: ${element.outerHTML.slice(0, 60)}`;
    if (box.left < -1 || box.right > width + 1) return `off the screen: ${text}`;
    for (let box2, parent = element.parentElement; parent; parent = parent.parentElement) {
      if (!["auto", "scroll", "hidden"].includes(getComputedStyle(parent).overflowX)) continue;
      box2 = parent.getBoundingClientRect();
      if (box.left < box2.left - 1 || box.right > box2.right + 1) return `cut by its box: ${text}`;
    }
    return "shown";
  });
}"""


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_every_page_type_shows_what_its_reader_needs_fits_the_screen_and_is_light(
    live_server, seeded, browser, language, width, height
):
    """Each page type in each language, on a laptop and a phone: what a reader comes for shows
    whole without scrolling sideways (NEEDS), the page never scrolls sideways, its heading is in
    the first screen, and it is light. The first screen of each is kept in test-artifacts/, and the
    pages' heights in test-artifacts/page-heights-{language}-{width}.json."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems, heights = {}, {}
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}/{language}{path}", wait_until="networkidle")
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
        heading = page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
        sizes = page.evaluate(TRANSFER)
        fold, needs = NEEDS[name]
        screenshot(page, f"page-{name}-{language}-{width}", full_page=False)
        if fold and not page.locator(fold).first.evaluate("summary => summary.parentElement.open"):
            page.locator(fold).first.click()  # as a reader on a phone opens it
        unseen = {}
        for selector, count in needs:
            shown = page.evaluate(SHOWN_WHOLE, [selector, count])
            if len(shown) < count or any(state != "shown" for state in shown):
                unseen[selector] = shown
        if overflow > 1:
            problems[name] = f"{overflow}px wider than the screen"
        elif heading > height * 0.5:
            problems[name] = f"its heading starts {heading:.0f}px down"
        elif sizes["html"] > 150_000 or sizes["total"] > 500_000:
            problems[name] = f"{sizes['html']} bytes of HTML, {sizes['total']} in all"
        elif unseen:
            problems[name] = unseen
    context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"page-heights-{language}-{width}.json").write_text(json.dumps(heights, indent=1))
    assert not problems, problems
