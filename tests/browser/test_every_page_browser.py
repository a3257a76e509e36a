"""Every page type, as a browser meets it: in the three languages with no accessibility violation
axe-core finds; at 390 px wide without the page scrolling sideways (a wide table scrolls inside its
own box) and with its heading in the first screen; light (at most 150 KB of HTML, 500 KB for the
whole first load); screenshots at 1366 and 390 px in test-artifacts/."""

import pytest

from .conftest import screenshot

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


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_every_page_type_fits_the_screen_and_is_light(live_server, seeded, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = {}
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}/en{path}", wait_until="networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        heading = page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
        sizes = page.evaluate(TRANSFER)
        if overflow > 1:
            problems[name] = f"{overflow}px wider than the screen"
        elif heading > height * 0.5:
            problems[name] = f"its heading starts {heading:.0f}px down"
        elif sizes["html"] > 150_000 or sizes["total"] > 500_000:
            problems[name] = f"{sizes['html']} bytes of HTML, {sizes['total']} in all"
        screenshot(page, f"page-{name}-{width}", full_page=False)
    context.close()
    assert not problems, problems
