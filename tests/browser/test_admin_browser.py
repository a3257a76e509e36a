"""A curator adds a participation through the process page's inline, with the autocomplete, and
finds it in the process's history."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models as m
from registry.permissions import CURATOR, setup_groups

from .conftest import screenshot

PASSWORD = "a-curator-Passw0rd"


def test_curator_adds_a_participation_with_autocomplete_and_sees_it_in_the_history(live_server, seeded, page):
    setup_groups()
    curator = get_user_model().objects.create_user("maria", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATOR))
    igad = m.Process.objects.get(slug="igad-rcp")
    change_url = f"{live_server.url}/admin/registry/process/{igad.pk}/change/"

    page.goto(f"{live_server.url}/admin/login/?next=/admin/registry/process/{igad.pk}/change/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(change_url)
    screenshot(page, "admin-process-page")

    # The participations recorded are listed one line each; a new one is added in the blank row.
    assert page.locator("#participations-overview .changelink").count() >= 5
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no horizontal overflow
    screenshot(page, "admin-process-page-1366")
    page.locator("#participations-overview").scroll_into_view_if_needed()
    screenshot(page, "admin-process-participations-1366", full_page=False)
    group = page.locator("#participations-group")
    row = group.locator("tr.form-row:not(.empty-form)").last
    row.locator(".field-participant .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Yemen")
    page.locator(".select2-results__option", has_text="Yemen").click()
    row.locator(".field-role select").select_option("observer")
    row.locator(".field-start input").fill("2010")
    row.locator(".field-status_note textarea").fill("Invited to observe the consultations")
    page.fill("#id_change_reason", "Yemen joins as observer")
    screenshot(page, "admin-process-inline-filled")
    # "Save and continue" comes back to the same address: wait for the saved page itself.
    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator(".messagelist .success").count() == 1

    added = m.Participation.objects.get(process=igad, participant__iso_code="YE", role="observer")
    assert (added.start.year, added.start_precision, added.account) == (2010, "year", None)

    page.goto(f"{live_server.url}/admin/registry/process/{igad.pk}/history/")
    changes = page.locator("#related-change-history")
    first = changes.locator("tbody tr").first
    assert "Yemen" in first.inner_text() and "maria" in first.inner_text()
    assert "Yemen joins as observer" in first.inner_text()
    screenshot(page, "admin-process-history")


def test_the_admin_fits_a_phone_history_and_hub_scroll_in_their_boxes(live_server, seeded, page):
    """At 390 px the process's history (546 px wide before) and its page fit the screen: their
    tables scroll in their own boxes, and the hub's names are whole (no "Afghanis…")."""
    setup_groups()
    curator = get_user_model().objects.create_user("ana", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATOR))
    budapest = m.Process.objects.get(slug="budapest-process")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ana")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")  # signed in before the next page is asked for
    for path, name in (("history", "admin-process-history-390"), ("change", "admin-process-page-390")):
        page.goto(f"{live_server.url}/admin/registry/process/{budapest.pk}/{path}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        screenshot(page, name, full_page=False)
    first = page.locator("#participations-overview tbody th").first
    assert page.evaluate("(cell) => cell.scrollWidth <= cell.clientWidth", first.element_handle())
    page.locator("#participations-overview").scroll_into_view_if_needed()
    screenshot(page, "admin-process-participations-390", full_page=False)
