"""Time stays right after a new account: from its source's date on, the pages, the reports, the
API and the exports show it; earlier dates are unchanged (a test source, not the fixtures)."""

import json
from datetime import date

import pytest

from registry import models as m

pytestmark = pytest.mark.django_db

SCPF_DAY = "2009-04-30"


@pytest.fixture
def recorded(process, later_source):
    """A 2024 account of the Budapest Process: SCPF/30's governments without Ukraine, with Laos
    and Kosovo (created on the spot)."""
    budapest = process("budapest-process")
    rows = m.Participation.objects.filter(process=budapest, role="member", account__source__symbol="SCPF/30")
    members = [
        name
        for name in rows.order_by("position").values_list("name_as_cited", flat=True)
        if name != "Ukraine"
    ]
    members += ["Laos PDR", "Kosovo"]
    draft = m.AccountDraft(
        process=budapest,
        source=later_source,
        locator="para. 3",
        lists={"member": members},
        picks={"Kosovo": m.NewParticipant("Kosovo", "territory", "XK")},
    )
    preview = draft.preview()
    draft.apply()
    return budapest, preview, len(members)


def json_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return json.loads(response.content)["rows"]


def test_the_change_report_lists_exactly_the_joined_and_left(client, recorded):
    budapest, preview, _count = recorded
    rows = json_rows(client, f"/en/reports/changes/?from={SCPF_DAY}&format=json")
    reported = {
        (row["participant_slug"], row["change"]) for row in rows if row["process_slug"] == budapest.slug
    }

    def slug(participant):  # Kosovo was new in the preview
        return getattr(participant, "slug", None) or m.Participant.objects.get(name=participant.name).slug

    expected = {(slug(c.participant), "joined") for c in preview.joined}
    expected |= {(slug(c.participant), "left") for c in preview.left}
    expected |= {(slug(c.participant), "role changed") for c in preview.changed}
    assert reported == expected
    assert ("ukraine", "left") in reported and ("kosovo", "joined") in reported


def test_pages_api_and_reports_show_the_new_account_from_its_date_only(client, recorded, later_source):
    budapest, _preview, count = recorded
    members = "/api/participations/?process=budapest-process&role=member&page_size=500&as_of="
    assert client.get(members + SCPF_DAY).json()["count"] == 49  # SCPF/30's governments, still
    assert client.get(members + date.today().isoformat()).json()["count"] == count
    overview = "/en/reports/overview/?format=json&as_of="
    then = next(r for r in json_rows(client, overview + SCPF_DAY) if r["slug"] == budapest.slug)
    now = next(
        r for r in json_rows(client, overview + date.today().isoformat()) if r["slug"] == budapest.slug
    )
    assert (then["source"], then["governments_listed"]) == ("SCPF/30", 49)
    assert (now["source"], now["governments_listed"]) == (later_source.key, count)
    page_then = json_rows(client, f"/en/processes/budapest-process/?format=json&as_of={SCPF_DAY}")
    page_now = json_rows(client, "/en/processes/budapest-process/?format=json")
    assert "kosovo" not in {r["participant_slug"] for r in page_then}
    assert "kosovo" in {r["participant_slug"] for r in page_now}
    response = client.get(f"/api/export/registry.json?as_of={SCPF_DAY}")
    export = json.loads(b"".join(response.streaming_content))
    table = export["tables"]["participations"]
    account_at = table["columns"].index("account_id")
    new_account = m.ProcessAccount.objects.get(source=later_source).pk
    assert not any(row[account_at] == new_account for row in table["rows"])
