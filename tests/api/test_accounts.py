"""POST /api/processes/{slug}/accounts/: a new account as a whole — dry run, apply, names that do
not resolve, a second account of the same source (409, PUT replaces), who may."""

import pytest

from registry import models as m

pytestmark = pytest.mark.django_db

URL = "/api/processes/budapest-process/accounts/"


@pytest.fixture
def members(process):
    rows = m.Participation.objects.filter(
        process=process("budapest-process"), role="member", account__source__symbol="SCPF/30"
    )
    return list(rows.order_by("position").values_list("name_as_cited", flat=True))


def body(later_source, members, **changes):
    data = {
        "source": later_source.key,
        "locator": "para. 3",
        "lists": {"member": members, "observer": ["UNHCR"]},
        "stated_totals": {"member": len(members)},
        "chair": {"participant": "Türkiye", "start": "2024-06"},
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}  # None: left out


def counts():
    return (m.ProcessAccount.objects.count(), m.Participation.objects.count(), m.Participant.objects.count())


def test_a_dry_run_answers_the_preview_and_writes_nothing(curator_api, later_source, members):
    before = counts()
    names = [name for name in members if name != "Ukraine"] + ["Laos PDR", "Phillipines"]
    response = curator_api.post(URL, body(later_source, names, dry_run=True), format="json")
    assert response.status_code == 200, response.json()
    preview = response.json()
    assert set(preview) == {"compared_with", "joined", "left", "changed", "unchanged", "unresolved", "totals"}
    assert preview["compared_with"] == {"source": "SCPF/30", "as_of": "2009-04"}
    assert [row["participant"]["name"] for row in preview["joined"]] == ["Lao People's Democratic Republic"]
    assert preview["joined"][0]["names_as_cited"] == ["Laos PDR"] and preview["joined"][0]["roles"] == [
        "member"
    ]
    assert "Ukraine" in [row["participant"]["name"] for row in preview["left"]]
    unresolved = preview["unresolved"]
    assert [u["name"] for u in unresolved] == ["Phillipines"]
    assert unresolved[0]["candidates"][0]["participant"]["slug"] == "philippines"
    assert preview["totals"] == {"member": {"stated": len(names), "listed": len(names)}}
    assert counts() == before


def test_unresolved_names_are_a_400_with_candidates_then_resolved(curator_api, later_source, members):
    data = body(later_source, [*members, "Phillipines", "Kosovo"])
    refused = curator_api.post(URL, data, format="json")
    assert refused.status_code == 400
    assert [u["name"] for u in refused.json()["unresolved"]] == ["Phillipines", "Kosovo"]
    data["resolutions"] = {
        "Phillipines": "philippines",
        "Kosovo": {"name": "Kosovo", "kind": "territory", "iso_code": "XK"},
    }
    created = curator_api.post(URL, data, format="json", HTTP_X_CHANGE_REASON="Fifth conference (test)")
    assert created.status_code == 201, created.json()
    account = created.json()
    assert created["Location"] == account["url"]
    assert account["url"].endswith(f"/api/processes/budapest-process/accounts/{later_source.slug}/")
    assert account["source"] == later_source.key and account["stated_totals"][0]["stated"] == len(members) + 2
    listed = curator_api.get(account["participations"]).json()
    assert listed["count"] == len(members) + 4  # members, the observer, the chair
    assert curator_api.get(account["url"]).json()["source"] == later_source.key
    history = m.Participation.history.filter(participant__iso_code="XK").values_list(
        "history_change_reason", "history_user__username"
    )
    assert list(history) == [("Fifth conference (test)", "api-curator")]


def test_a_second_account_of_the_same_source_is_a_409_put_replaces_it(curator_api, later_source, members):
    assert curator_api.post(URL, body(later_source, members), format="json").status_code == 201
    again = curator_api.post(URL, body(later_source, members[:5]), format="json")
    assert again.status_code == 409
    url = again.json()["account"]
    replaced = curator_api.put(url, body(later_source, members[:5]), format="json")
    assert replaced.status_code == 200, replaced.json()
    account = m.ProcessAccount.objects.get(source=later_source)
    assert account.participations.filter(role="member").count() == 5
    assert curator_api.get(URL).json()[-1]["source"] == later_source.key


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lists": {}, "chair": None}, "lists"),
        ({"lists": {"member": ["Albania", "ALBANIA"]}}, "lists"),
        ({"lists": {"emperor": ["Albania"]}}, "lists"),
        ({"lists": "Albania"}, "lists"),
        ({"source": "no-such-source"}, "source"),
        ({"locator": ""}, "locator"),
        ({"stated_totals": {"member": "many"}}, "stated_totals"),
        ({"chair": {"participant": "Albania", "start": "June"}}, "chair"),
        ({"resolutions": {"Kosovo": "atlantis"}}, "resolutions"),
        ({"resolutions": {"Kosovo": {"name": "Kosovo", "kind": "empire"}}}, "resolutions"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_bad_input_is_a_400_per_field_and_nothing_written(curator_api, later_source, changes, field):
    before = counts()
    response = curator_api.post(URL, body(later_source, ["Albania", "Kosovo"], **changes), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    assert counts() == before


def test_an_older_account_needs_correction(curator_api, later_source, members):
    m.SourceDocument.objects.filter(pk=later_source.pk).update(as_of="2005-01-01", date="2005-01-01")
    refused = curator_api.post(URL, body(later_source, members), format="json")
    assert refused.status_code == 400 and "correction" in refused.json()
    accepted = curator_api.post(URL, body(later_source, members, correction=True), format="json")
    assert accepted.status_code == 201


def test_only_curators_record(anon, viewer_api, later_source, members):
    assert anon.post(URL, body(later_source, members), format="json").status_code in (401, 403)
    assert viewer_api.post(URL, body(later_source, members), format="json").status_code == 403
    assert anon.get(URL).status_code == 200
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()


def test_an_unknown_account_is_a_404(anon):
    assert anon.get(f"{URL}no-such-source/").status_code == 404
    assert anon.get(f"{URL}SCPF/30/").json()["source"] == "SCPF/30"


def test_the_browsable_api_offers_a_signed_in_curator_the_recording_form(client, curator, later_source):
    page = client.get(URL, HTTP_ACCEPT="text/html")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="locator"' in html and 'name="dry_run"' in html and 'name="_content"' in html
    assert 'name="short_name"' not in html  # not the process's form


def test_deleting_an_account_of_a_source_with_a_long_title_keeps_100_characters_of_reason(
    curator_api, members
):
    """The history keeps 100 characters of a reason; a later source's title may be far longer
    (PostgreSQL refused the delete with a 400; SQLite stored it whole)."""
    from tests.helpers import make_later_source

    long_title = "IOM profile page: Bali Process on People Smuggling, Trafficking in Persons and Related " * 2
    source = make_later_source(long_title.strip())
    assert curator_api.post(URL, body(source, members), format="json").status_code == 201
    account = m.ProcessAccount.objects.get(source=source)
    deleted = curator_api.delete(f"{URL}{source.key}/")
    assert deleted.status_code == 204
    reason = account.history.latest("history_id").history_change_reason
    assert reason.startswith("Account of Budapest Process by IOM profile page") and len(reason) == 100
