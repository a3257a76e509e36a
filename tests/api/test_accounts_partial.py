"""The account body speaks only for what the source states: partial lists, departures, aspects —
and what a members-only account leaves as it was, in the API's own answers."""

import pytest

from registry import models as m

pytestmark = pytest.mark.django_db

URL = "/api/processes/budapest-process/accounts/"


def body(later_source, **changes):
    data = {
        "source": later_source.key,
        "locator": "para. 3",
        "lists": {"member": ["Albania", "Austria", "Laos PDR"]},
        "partial_lists": ["member"],
        "departures": [{"participant": "Hungary", "role": "member", "kind": "withdrew"}],
    }
    data.update(changes)
    return data


def test_a_partial_list_with_a_departure_previews_only_what_it_says(curator_api, later_source):
    response = curator_api.post(URL, body(later_source, dry_run=True), format="json")
    assert response.status_code == 200, response.json()
    preview = response.json()
    assert [row["participant"]["name"] for row in preview["joined"]] == ["Lao People's Democratic Republic"]
    gone = [row for row in preview["left"] + preview["changed"] if "member" in row["previous_roles"]]
    gone = [row for row in gone if "member" not in row["roles"]]
    assert [(row["participant"]["name"], row["departure"]) for row in gone] == [("Hungary", "withdrew")]


def test_a_members_only_account_leaves_the_rest_of_the_process_as_it_was(curator_api, later_source, client):
    before = client.get("/api/processes/budapest-process/").json()
    response = curator_api.post(URL, body(later_source), format="json")
    assert response.status_code == 201, response.json()
    account = response.json()
    assert account["lists_stated"] == {"member": "partial"}
    assert [(d["participant"]["slug"], d["kind"], d["name_as_cited"]) for d in account["departures"]] == [
        ("hungary", "withdrew", "Hungary")
    ]
    assert account["region"] is None and account["secretariat_kind"] == ""  # not stated
    after = client.get("/api/processes/budapest-process/").json()
    for aspect in ("region", "secretariat"):
        assert after[aspect] == before[aspect]
    # Sent again: nothing written.
    again = curator_api.put(account["url"], body(later_source), format="json")
    assert again.status_code == 200 and again.json()["unchanged"] is True


def test_aspects_given_are_stated_and_shown(curator_api, later_source, client):
    data = body(
        later_source, lists={}, departures=[], region="Europe and Central Asia", year_established=1993
    )
    response = curator_api.post(URL, data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"]["name"] == "Europe and Central Asia"
    assert response.json()["lists_stated"] == {}
    process = client.get("/api/processes/budapest-process/").json()
    assert process["region"]["name"] == "Europe and Central Asia"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"partial_lists": ["members"]}, "partial_lists"),
        ({"departures": [{"participant": "Hungary", "kind": "expelled"}]}, "departures"),
        ({"year_established": 1776}, "year_established"),
        ({"secretariat_kind": "somewhere"}, "secretariat_kind"),
    ],
)
def test_bad_parts_of_the_body_are_a_400_naming_the_field(curator_api, later_source, changes, field):
    before = m.ProcessAccount.objects.count()
    response = curator_api.post(URL, body(later_source, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert m.ProcessAccount.objects.count() == before
