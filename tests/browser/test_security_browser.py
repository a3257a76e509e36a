"""The Content-Security-Policy as a browser enforces it: the public pages, the admin as a
Curator, the browsable API and both API documentation pages load and work with no violation
(the page fixture fails a test on any), and no inline script runs."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models as m
from registry.permissions import CURATOR, setup_groups

from .conftest import screenshot

PASSWORD = "a-curator-Passw0rd"


def test_public_pages_and_maps_load_under_the_policy(live_server, seeded, page):
    base = live_server.url
    for path in [
        "/en/",
        "/en/processes/budapest-process/",
        "/fr/states/australia/",
        "/en/overlap/",
        "/en/timeline/",
        "/en/reports/overview/",
        "/en/maps/process/bali-process.svg",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"] or path.endswith(".svg")
    page.goto(base + "/en/processes/budapest-process/")
    page.locator("figure.map img").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('figure.map img').naturalWidth > 0")
    # The stylesheet is a file and applies: the header is laid out as a flex row.
    assert page.evaluate("getComputedStyle(document.querySelector('header')).display") == "flex"


def test_inline_script_is_refused(live_server, seeded, page):
    page.goto(live_server.url + "/en/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.injected") is None
    page.console_messages_seen.clear()  # the refusal is the point of this test, not a failure


def test_the_admin_browsable_api_and_api_docs_load_under_the_policy(live_server, seeded, page):
    setup_groups()
    curator = get_user_model().objects.create_user("maria", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATOR))
    base = live_server.url
    page.goto(base + "/admin/login/?next=/admin/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")
    process = m.Process.objects.get(slug="midsa")
    for path in [
        "/admin/registry/participation/",
        f"/admin/registry/process/{process.pk}/change/",
        "/admin/registry/participation/add/",
        "/api/participations/",
        "/api/processes/midsa/",
    ]:
        assert page.goto(base + path).status == 200, path
    # The documentation pages load nothing from another host (no CDN fonts or scripts).
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    screenshot(page, "api-docs-swagger", full_page=False)
    page.goto(base + "/api/docs/redoc/")
    page.wait_for_selector("redoc .api-content, [role=navigation], .menu-content", timeout=30_000)
    screenshot(page, "api-docs-redoc", full_page=False)
    page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith((base, "data:", "blob:"))]
    assert requested and not outside, outside
