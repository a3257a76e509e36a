"""A curator records a new account of the Budapest Process as the document writes it: adds the
source from the "+" beside the select, pastes some fifty names, settles the two the registry does
not know, previews, records, and finds the account on the public page and in the change report."""

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models as m
from registry.permissions import CURATOR, setup_groups

from ..helpers import make_later_source
from .conftest import screenshot

PASSWORD = "a-curator-Passw0rd"
TITLE = "Budapest Process Ministerial Declaration 2024 (test)"


def sign_in(page, live_server, next_url):
    setup_groups()
    curator = get_user_model().objects.create_user("maria", password=PASSWORD, is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATOR))
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_a_curator_records_a_new_account_from_a_pasted_list(live_server, seeded, page):
    budapest = m.Process.objects.get(slug="budapest-process")
    scpf = m.Participation.objects.filter(process=budapest, role="member", account__source__symbol="SCPF/30")
    names = [
        name
        for name in scpf.order_by("position").values_list("name_as_cited", flat=True)
        if name != "Ukraine"
    ]
    names += ["Laos PDR", "Phillipines", "Kosovo"]
    assert len(names) >= 50
    change_url = f"/admin/registry/process/{budapest.pk}/change/"
    sign_in(page, live_server, change_url)
    page.get_by_role("link", name="Record a new account").click()
    page.wait_for_url(re.compile(r".*/record-account/$"))

    # The source does not exist yet: the "+" beside the select adds it in a popup.
    with page.expect_popup() as opened:
        page.click("#add_id_source")
    popup = opened.value
    popup.fill("#id_title", TITLE)
    popup.select_option("#id_kind", "outcome")
    popup.fill("#id_body", "Fifth Ministerial Conference of the Budapest Process")
    popup.fill("#id_date", "2024-06-12")
    popup.fill("#id_as_of", "2024-06")
    popup.fill("#id_languages", "en")
    # Listen before the click: the popup may close before a later wait would start listening.
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    source = m.SourceDocument.objects.get(title=TITLE)
    assert page.locator("#id_source").input_value() == str(source.pk)

    page.fill("#id_locator", "para. 3")
    page.fill("#id_list_member", "\n".join(names))
    page.fill("#id_list_observer", "UNHCR, Frontex")
    page.fill("#id_total_member", str(len(names)))
    page.fill("#id_leader_chair", "Türkiye")
    page.fill("#id_leader_chair_start", "2024-06")
    page.fill("#id_change_reason", "Fifth Ministerial Conference (test)")
    page.click("input[name=preview]")
    settle = page.locator("fieldset.resolution")
    settle.first.wait_for()
    assert settle.count() == 2
    assert page.locator("input[name=record]").count() == 0  # nothing is recorded while names are open
    screenshot(page, "record-account-names-to-settle")

    phillipines = settle.filter(has_text="Phillipines")
    phillipines.get_by_label(re.compile(r"Philippines \(Philippines")).check()
    kosovo = settle.filter(has_text="Kosovo")
    kosovo.get_by_label("a new participant").check()
    kosovo.get_by_label("name").fill("Kosovo")
    kosovo.get_by_label("kind").select_option("territory")
    kosovo.get_by_label("ISO 3166-1 code").fill("XK")
    page.click("input[name=preview]")
    page.locator("input[name=record]").wait_for()
    preview = page.locator("#preview")
    assert "joined (3)" in preview.inner_text().lower()  # Laos, the Philippines, Kosovo
    assert "Ukraine" in preview.locator("table", has_text="Left").inner_text()
    screenshot(page, "record-account-preview")

    page.click("input[name=record]")
    page.wait_for_url(f"{live_server.url}{change_url}")
    assert "is recorded" in page.locator(".messagelist .success").inner_text()
    screenshot(page, "record-account-recorded", full_page=False)
    account = m.ProcessAccount.objects.get(process=budapest, source=source)
    assert account.participations.filter(role="member").count() == len(names)

    page.goto(f"{live_server.url}/en/processes/budapest-process/")
    body = page.locator("main").inner_text()
    assert "Kosovo" in body and "Ukraine" not in body.split("Former")[0]
    screenshot(page, "record-account-public-page")

    page.goto(f"{live_server.url}/en/reports/changes/?from=2009-04-30")
    report = page.locator("main").inner_text()
    for expected in ("Kosovo", "Philippines", "Ukraine"):
        assert expected in report
    screenshot(page, "record-account-change-report")


def iom_roles(page):
    """The IOM's-role table's rows, without the citations' numbers (they follow the page's)."""
    rows = page.locator("#iom + .table-wrap tr").all_inner_texts()
    return [row.rsplit("\t", 1)[0] for row in rows]


def test_a_members_only_news_item_leaves_the_rest_as_it_was(live_server, seeded, page):
    """The members present at a meeting, from a news item, as a partial list: no one leaves, and
    IOM's role, the secretariat and another process's pages stay as the papers gave them."""
    budapest = m.Process.objects.get(slug="budapest-process")
    source = make_later_source("Budapest Process senior officials meet (news item, test)", date(2024, 3, 14))
    page.goto(f"{live_server.url}/en/processes/budapest-process/")
    iom_before = iom_roles(page)
    page.goto(f"{live_server.url}/en/processes/bali-process/")
    bali_before = page.locator("main").inner_text()
    change_url = f"/admin/registry/process/{budapest.pk}/change/"
    sign_in(page, live_server, f"/admin/registry/process/{budapest.pk}/record-account/")
    page.select_option("#id_source", str(source.pk))
    page.fill("#id_locator", "para. 2")
    page.fill("#id_list_member", "Albania, Austria and Türkiye")
    page.check("#id_partial_member")
    page.click("input[name=preview]")
    page.locator("input[name=record]").wait_for()
    left = page.locator("#preview table", has_text="Left").inner_text()
    assert "None." in left  # a partial list infers no departure
    screenshot(page, "record-account-partial-preview")
    page.click("input[name=record]")
    page.wait_for_url(f"{live_server.url}{change_url}")

    page.goto(f"{live_server.url}/en/processes/budapest-process/")
    assert iom_roles(page) == iom_before
    attested = page.locator("#attested-by-aspect").inner_text()
    assert "14 March 2024" in attested and "April 2009" in attested  # members new, the rest as before
    assert "Ukraine" in page.locator("main").inner_text()  # not in the news item, still a member
    screenshot(page, "record-account-partial-public-page")
    page.goto(f"{live_server.url}/en/processes/bali-process/")
    assert page.locator("main").inner_text() == bali_before  # another process: its own time
