"""GET /api/changes/: every recorded change in commit order, polled with ?after=; and
?changed_since= on the lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry import models as m
from tests.helpers import view_queries

pytestmark = pytest.mark.django_db

FEED = "/api/changes/"


def last_sequence(client):
    return client.get(
        FEED,
        {"after": m.Change.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0},
    ).json()["last_sequence"]


def test_a_change_through_the_api_is_in_the_feed_with_what_changed(anon, curator_api):
    after = last_sequence(anon)
    participation = m.Participation.objects.filter(process__slug="bali-process").first()
    answer = curator_api.patch(
        f"/api/participations/{participation.pk}/",
        {"status_note": "Confirmed (test)"},
        format="json",
        HTTP_X_CHANGE_REASON="Checked with the 2010 report",
    )
    assert answer.status_code == 200
    feed = anon.get(FEED, {"after": after}).json()
    (entry,) = [e for e in feed["results"] if e["resource"] == "participations"]
    assert entry["sequence"] > after and entry["action"] == "updated"
    assert entry["key"] == str(participation.pk) and entry["url"].endswith(
        f"/api/participations/{participation.pk}/"
    )
    assert entry["process"] == "bali-process" and entry["reason"] == "Checked with the 2010 report"
    assert {"field": "status_note", "old": "", "new": "Confirmed (test)"} in entry["changes"]
    assert entry["user"] is None  # anonymous readers do not see who
    staff = curator_api.get(FEED, {"after": after}).json()
    assert [e["user"] for e in staff["results"] if e["resource"] == "participations"] == ["api-curator"]
    assert feed["last_sequence"] == max(e["sequence"] for e in feed["results"])


def test_polling_after_the_last_sequence_misses_nothing_and_repeats_nothing(anon, curator_api):
    start = last_sequence(anon)
    rows = list(m.Participation.objects.filter(process__slug="midsa")[:7])
    for index, row in enumerate(rows):
        curator_api.patch(f"/api/participations/{row.pk}/", {"status_note": f"note {index}"}, format="json")
    seen, url = [], f"{FEED}?after={start}&page_size=2"
    while url:
        page = anon.get(url).json()
        seen += [entry["sequence"] for entry in page["results"]]
        url = page["next"]
    assert seen == sorted(set(seen))  # increasing, no repeats
    assert len(seen) == m.Change.objects.filter(sequence__gt=start).count() >= 7
    assert anon.get(FEED, {"after": seen[-1]}).json()["results"] == []  # nothing new: an empty page


def test_deletions_creations_and_accounts_recorded_in_bulk_are_in_the_feed(
    anon, curator_api, process, later_source
):
    start = last_sequence(anon)
    created = curator_api.post(
        "/api/events/",
        {
            "slug": "feed-test-meeting",
            "process": "rcm",
            "kind": "meeting",
            "title": "A meeting (test)",
            "citations": [{"source": "SCPF/30", "locator": "Annex II, a test row"}],
        },
        format="json",
    )
    assert created.status_code == 201
    assert curator_api.delete("/api/events/feed-test-meeting/").status_code == 204
    draft = m.AccountDraft(
        process=process("budapest-process"),
        source=later_source,
        locator="para. 3",
        lists={"member": ["Albania", "Austria"]},
    )
    draft.apply()
    entries = anon.get(FEED, {"after": start, "page_size": 1000}).json()["results"]
    events = [(e["action"], e["url"] is None) for e in entries if e["resource"] == "events"]
    assert events == [("created", True), ("deleted", True)]  # the record is gone: no URL
    participations = [
        e for e in entries if e["resource"] == "participations" and e["process"] == "budapest-process"
    ]
    assert len(participations) == 2 and all(e["action"] == "created" for e in participations)
    assert {e["key"] for e in entries if e["resource"] == "accounts"}


def test_filters_and_bad_parameters(anon, curator_api):
    start = last_sequence(anon)
    row = m.Participation.objects.filter(process__slug="rcm").first()
    curator_api.patch(f"/api/participations/{row.pk}/", {"status_note": "x"}, format="json")
    curator_api.patch("/api/processes/midsa/", {"status_note": "y"}, format="json")
    only = anon.get(FEED, {"after": start, "resource": "processes"}).json()["results"]
    assert {e["resource"] for e in only} == {"processes"}
    rcm = anon.get(FEED, {"after": start, "process": "rcm"}).json()["results"]
    assert rcm and {e["process"] for e in rcm} == {"rcm"}
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert anon.get(FEED, {"after": start, "since": future}).json()["results"] == []
    for bad in (
        {"after": "-1"},
        {"after": "x"},
        {"page_size": "0"},
        {"page_size": "5000"},
        {"resource": "emperors"},
        {"since": "yesterday"},
        {"process": "atlantis"},
    ):
        answer = anon.get(FEED, bad)
        assert answer.status_code == 400 and set(bad) <= set(answer.json()), (bad, answer.json())


def test_a_page_of_the_feed_costs_the_same_queries_for_5_or_500_changes(anon):
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            assert anon.get(FEED, params).status_code == 200
        return len(view_queries(captured))

    # A few queries per kind of record on the page, none per change.
    few, many = (
        queries(resource="participations", page_size=5),
        queries(resource="participations", page_size=500),
    )
    assert few == many
    assert queries(page_size=1000) <= 70


def test_changed_since_on_the_lists(anon, curator_api):
    moment = timezone.now()
    assert anon.get("/api/processes/", {"changed_since": moment.isoformat()}).json()["count"] == 0
    curator_api.patch("/api/processes/midsa/", {"status_note": "Met in 2010 (test)."}, format="json")
    changed = anon.get("/api/processes/", {"changed_since": moment.isoformat()}).json()
    assert [p["slug"] for p in changed["results"]] == ["midsa"]
    assert anon.get("/api/states/", {"changed_since": "not a date"}).status_code == 400


def test_the_admin_records_changes_too(client, curator):
    start = m.Change.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    midsa = m.Process.objects.get(slug="midsa")
    page = client.get(reverse("admin:registry_process_change", args=[midsa.pk]))
    from tests.helpers import form_data

    data = form_data(page)
    data.update({"status_note": "Noted in the admin (test)", "change_reason": "admin test"})
    assert client.post(reverse("admin:registry_process_change", args=[midsa.pk]), data).status_code == 302
    change = m.Change.objects.filter(sequence__gt=start, resource="processes").get()
    assert (change.key, change.reason, change.user) == ("midsa", "admin test", curator)


@pytest.mark.parametrize("moment", ["4291-12-08T09:46:45-22:22", "0001-01-01T00:00:00+14:00"])
def test_any_offset_python_reads_is_an_answer_not_a_database_error(anon, moment):
    for url, name in (("/api/sources/", "changed_since"), (FEED, "since")):
        assert anon.get(url, {name: moment}).status_code in (200, 400)


def test_facts_deleted_with_their_process_are_named_from_their_history(anon, curator_api):
    """Deleting a process deletes its IOM roles with it: their feed entries name them through
    the process's last history row (found by schemathesis as a 500)."""
    after = last_sequence(anon)
    process = m.Process.objects.create(
        slug="gone-dialogue", name="Gone Dialogue (test)", short_name="GD", kind="geographic", status="active"
    )
    m.IomRole.objects.create(process=process, function="secretariat", status="not_yet")
    process.delete()
    answer = anon.get(FEED, {"after": after, "resource": ["iom-roles", "processes"]})
    assert answer.status_code == 200
    labels = {(e["resource"], e["action"]): e for e in answer.json()["results"]}
    assert ("iom-roles", "deleted") in labels and ("processes", "deleted") in labels


def test_states_and_organizations_written_through_the_api_are_in_the_feed(curator_api):
    """They are proxies of Participant, whose history django-simple-history records only for the
    model it is declared on (registry/models/participants.py connects the proxies)."""
    last = m.Change.objects.order_by("-sequence").first().sequence
    assert (
        curator_api.patch("/api/states/albania/", {"note": "A test note"}, format="json").status_code == 200
    )
    created = curator_api.post(
        "/api/organizations/",
        {
            "slug": "a-test-organization",
            "name": "A test organization",
            "organization_type": "other",
            "citations": [{"source": "SCPF/30", "locator": "a test place"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert curator_api.delete(f"/api/organizations/{created.json()['slug']}/").status_code == 204
    feed = curator_api.get(f"/api/changes/?after={last}").json()["results"]
    told = [(e["resource"], e["action"]) for e in feed if e["resource"] in ("states", "organizations")]
    assert told == [("states", "updated"), ("organizations", "created"), ("organizations", "deleted")]
    assert m.Participant.history.filter(slug="albania", note="A test note").exists()


def test_changed_since_lists_a_process_and_a_state_whose_facts_changed(curator_api, later_source):
    from django.utils import timezone

    moment = timezone.now()
    process = m.Process.objects.get(slug="midsa")
    row = m.Participation.objects.filter(process=process, participant__slug="angola").first()
    row.status_note = "Changed (test)"
    row.save()
    m.ParticipantAlias.objects.create(
        participant=m.Participant.objects.get(slug="chile"), name="Chili", language="fr"
    )
    since = {"changed_since": moment.isoformat()}
    processes = [p["slug"] for p in curator_api.get("/api/processes/", since).json()["results"]]
    states = [p["slug"] for p in curator_api.get("/api/states/", since).json()["results"]]
    assert processes == ["midsa"]
    assert sorted(states) == ["angola", "chile"]
