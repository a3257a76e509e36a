"""Writes in detail: field errors as 400s (nothing stored), all-or-nothing citations, the source's
account, partial dates, deleting what others depend on, and who the history names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import SimpleRateThrottle

from registry import models as m

pytestmark = pytest.mark.django_db

CITED = [{"source": "SCPF/30", "locator": "Annex II, a test row"}]


def participation(**changes):
    data = {
        "process": "bali-process",
        "participant": "chile",
        "role": "observer",
        "start": "2010-03",
        "citations": CITED,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"process": "no-such-process"}, "process", "No process with the slug no-such-process."),
        ({"participant": "atlantis"}, "participant", "No participant with the slug atlantis."),
        ({"role": "emperor"}, "role", '"emperor" is not a valid choice.'),
        ({"start": "2010-13"}, "start", None),
        ({"start": "March 2010"}, "start", "Enter a year (2009), a month (2009-04) or a day (2009-04-17)."),
        ({"start": "2011", "end": "2010"}, "end", "The end of the period cannot be before its start."),
        ({"citations": [{"locator": "para. 7"}]}, "citations", None),
        ({"citations": [{"source": "XX/1", "locator": "para. 7"}]}, "citations", None),
        ({"citations": [{"source": "SCPF/30", "locator": ""}]}, "citations", None),
        ({"citations": []}, "citations", "A fact needs at least one citation (source and locator)."),
        ({"citations": ...}, "citations", "A new fact needs at least one citation (source and locator)."),
        ({"source": "MC/INF/266", "process": "abu-dhabi-dialogue"}, "source", None),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_participations_are_400_per_field_and_store_nothing(curator_api, changes, field, message):
    before = (m.Participation.objects.count(), m.Citation.objects.count())
    response = curator_api.post("/api/participations/", participation(**changes), format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert field in errors, errors
    if message:
        assert message in str(errors[field])
    assert (m.Participation.objects.count(), m.Citation.objects.count()) == before


def test_a_duplicate_participation_is_a_400_not_a_500(curator_api):
    assert curator_api.post("/api/participations/", participation(), format="json").status_code == 201
    again = curator_api.post("/api/participations/", participation(start="2010-03-15"), format="json")
    assert again.status_code == 400
    assert "Overlaps" in str(again.json())


def test_a_bad_iso_code_or_a_code_on_an_organization_is_refused(curator_api):
    state = {"slug": "nowhere", "name": "Nowhere", "kind": "state", "iso_code": "QQ", "citations": CITED}
    response = curator_api.post("/api/states/", state, format="json")
    assert response.status_code == 400 and "iso_code" in response.json()
    taken = curator_api.post("/api/states/", {**state, "iso_code": "nz"}, format="json")
    assert taken.status_code == 400 and "iso_code" in taken.json()
    organization = curator_api.post("/api/states/", {**state, "kind": "organization"}, format="json")
    assert organization.status_code == 400 and "kind" in organization.json()
    assert not m.Participant.objects.filter(slug="nowhere").exists()


def test_partial_dates_keep_their_precision_and_round_trip(curator_api):
    created = curator_api.post("/api/participations/", participation(end="2012"), format="json").json()
    assert (created["start"], created["start_precision"]) == ("2010-03-01", "month")
    assert (created["end"], created["end_precision"]) == ("2012-12-31", "year")
    assert created["period"] == "March 2010\u20132012"
    # Writing back what GET returned changes nothing, precision included.
    again = curator_api.put(created["url"], {**created, "participant": "chile"}, format="json").json()
    assert again == created


def test_a_citation_list_replaces_the_stored_one_and_an_omitted_one_stays(curator_api):
    created = curator_api.post("/api/participations/", participation(), format="json").json()
    kept = curator_api.patch(created["url"], {"status_note": "x"}, format="json").json()
    assert kept["citations"] == created["citations"]
    other = [{"source": "MC/INF/266", "locator": "Annex II, another row", "quote": "Chile"}]
    replaced = curator_api.patch(created["url"], {"citations": other}, format="json").json()
    assert replaced["citations"] == other


def test_the_source_names_the_account_that_lists_the_fact(curator_api):
    created = curator_api.post("/api/participations/", participation(source="SCPF/30"), format="json").json()
    row = m.Participation.objects.get(pk=created["id"])
    assert row.account == m.ProcessAccount.objects.get(process__slug="bali-process", source__symbol="SCPF/30")
    assert created["source"] == "SCPF/30"


def test_deleting_what_others_depend_on_is_a_409_and_deletes_nothing(curator_api):
    response = curator_api.delete("/api/sources/SCPF/30/")
    assert response.status_code == 409
    assert response.json()["dependent_count"] > 0
    response = curator_api.delete("/api/states/australia/")
    assert response.status_code == 409
    assert m.SourceDocument.objects.filter(symbol="SCPF/30").exists()
    assert m.Participant.objects.filter(slug="australia").exists()


def test_a_write_is_recorded_in_the_history_with_the_api_user_and_the_change(curator_api):
    created = curator_api.post("/api/participations/", participation(), format="json").json()
    curator_api.patch(created["url"], {"role": "partner"}, format="json", HTTP_X_CHANGE_REASON="Minutes 2010")
    latest = curator_api.get(created["url"] + "history/").json()["results"][0]
    assert latest["user"] == "api-curator"
    assert latest["type"] == "changed"
    assert latest["change_reason"] == "Minutes 2010"
    assert latest["changes"] == [{"field": "role", "old": "observer", "new": "partner"}]
    record = m.Participation.history.filter(id=created["id"]).first()
    assert record.history_user.username == "api-curator"


def test_a_session_user_uses_the_browsable_api(client, curator):
    response = client.get("/api/processes/bali-process/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Bali Process" in response.content


def test_anonymous_clients_are_throttled(anon, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "5/minute"})
    statuses = [anon.get("/api/sources/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in anon.get("/api/sources/")


def test_deeply_nested_json_is_a_400_with_a_message(curator_api):
    count = m.Region.objects.count()
    for body in ("[" * 50_000 + "]" * 50_000, '{"a":' * 40 + "1" + "}" * 40):
        response = curator_api.post("/api/regions/", body, content_type="application/json")
        assert response.status_code == 400
        assert "nested more than 32 levels" in response.json()["detail"]
    assert m.Region.objects.count() == count


def test_a_record_with_its_citations_is_not_too_deep(curator_api):
    response = curator_api.post("/api/participations/", participation(), format="json")
    assert response.status_code == 201, response.json()


def test_a_body_over_the_limit_is_a_json_413(curator_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    response = curator_api.post("/api/regions/", {"slug": "x", "name": "y" * 200_000}, format="json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "larger than 100,000 bytes" in response.json()["detail"]


def test_too_many_form_fields_is_a_json_400(curator_api):
    body = "&".join(f"field{n}=1" for n in range(1_500))
    response = curator_api.post("/api/regions/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "more than 1,000 fields" in response.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "2001", "start_precision": "century"}, "Give one of"),
        ({"start_precision": "month"}, "Give start too"),
        ({"end": "2011", "end_precision": 7}, "Give one of"),
    ],
)
def test_an_explicit_precision_is_never_ignored(curator_api, changes, message):
    row = m.Participation.objects.filter(process__slug="midsa").first()
    before = (row.start, row.start_precision, row.end, row.end_precision)
    response = curator_api.patch(f"/api/participations/{row.pk}/", changes, format="json")
    assert response.status_code == 400
    (field,) = response.json()
    assert field.endswith("_precision") and message in response.json()[field][0]
    row.refresh_from_db()
    assert (row.start, row.start_precision, row.end, row.end_precision) == before


def test_a_valid_explicit_precision_is_kept(curator_api):
    row = m.Participation.objects.filter(process__slug="midsa").first()
    response = curator_api.patch(
        f"/api/participations/{row.pk}/", {"start": "2001-03-01", "start_precision": "month"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["start_precision"] == "month"


def test_a_nul_character_is_a_400_on_both_databases(curator_api, anon):
    """PostgreSQL cannot store or compare text holding NUL; SQLite can: refused alike."""
    body = participation(status_note="a\x00b")
    response = curator_api.post("/api/participations/", body, format="json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    nested = participation(citations=[{"source": "SCPF/30\x00", "locator": "x"}])
    assert curator_api.post("/api/participations/", nested, format="json").status_code == 400
    for url in ("/api/states/?q=a%00b", "/api/processes/?member=chile%00"):
        answer = anon.get(url)
        assert answer.status_code == 400 and "NUL" in answer.json()["detail"]
    assert anon.get("/en/processes/?q=%00").status_code == 400


def test_the_states_old_url_still_answers_and_points_to_the_new(curator_api, anon):
    """/api/participants/ returned only states and territories: /api/states/ now, the old URL kept."""
    old, new = anon.get("/api/participants/?q=zealand"), anon.get("/api/states/?q=zealand")
    assert old.status_code == 200 and old.json() == new.json()
    assert old["Deprecation"] == "true"
    assert old["Link"] == '<http://testserver/api/states/>; rel="successor-version"'
    assert "Deprecation" not in new
    detail = anon.get("/api/participants/NZ/")
    assert detail.json()["url"] == "http://testserver/api/states/new-zealand/" and detail["ETag"]
    changed = curator_api.patch("/api/participants/new-zealand/", {"note": "Still writable."}, format="json")
    assert changed.status_code == 200 and m.State.objects.get(slug="new-zealand").note == "Still writable."
    paths = anon.get("/api/schema/?format=json").json()["paths"]
    assert "/api/states/" in paths and not any(path.startswith("/api/participants/") for path in paths)


def test_a_source_of_any_kind_is_created_and_cited_by_its_slug(curator_api, anon):
    source = {
        "title": "Budapest Process Ministerial Declaration 2024",
        "kind": "outcome",
        "date": "2024",
        "as_of": "2024-06",
        "web_address": "https://www.budapest-process.org/test",
        "slug": "ignored-made-by-the-registry",
    }
    created = curator_api.post("/api/sources/", source, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    slug = "budapest-process-ministerial-declaration-2024"
    assert body["slug"] == slug and body["symbol"] == "" and body["kind"] == "outcome"
    assert (body["date"], body["date_precision"], body["as_of"]) == ("2024-01-01", "year", "2024-06-01")
    assert created["Location"] == body["url"] == f"http://testserver/api/sources/{slug}/"
    assert anon.get(f"/api/sources/{slug}/").json()["title"] == source["title"]
    cited = curator_api.post(
        "/api/participations/",
        {
            "process": "budapest-process",
            "participant": "albania",
            "role": "observer",
            "start": "2024-06",
            "citations": [{"source": slug, "locator": "para. 3"}],
        },
        format="json",
    )
    assert cited.status_code == 201, cited.json()
    assert cited.json()["citations"][0]["source"] == slug


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"as_of": "2999"}, "as_of", "A source cannot describe a day after today."),
        ({"symbol": "not a symbol"}, "symbol", "A symbol like SCPF/30"),
        ({"symbol": "SCPF/30"}, "symbol", "with this symbol already exists"),
        ({"kind": "blog"}, "kind", "is not a valid choice"),
        ({"web_address": "not an address"}, "web_address", "Enter a valid URL."),
    ],
)
def test_a_bad_source_is_a_400_per_field_and_nothing_is_stored(curator_api, change, field, message):
    before = m.SourceDocument.objects.count()
    source = {"title": "A test source", "kind": "other", "as_of": "2024"}
    response = curator_api.post("/api/sources/", {**source, **change}, format="json")
    assert response.status_code == 400 and message in " ".join(response.json()[field])
    assert m.SourceDocument.objects.count() == before


def test_a_source_with_its_stored_copy_is_a_download_never_a_page(
    curator_api, anon, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.7\n%%EOF\n"
    fields = {"title": "Chair's summary, 2024 (test source)", "kind": "meeting-report", "as_of": "2024"}
    created = curator_api.post(
        "/api/sources/", {**fields, "copy": SimpleUploadedFile("summary.pdf", pdf)}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["copy_type"], body["copy_size"]) == ("application/pdf", len(pdf)) and "copy" not in body
    download = client.get(body["copy_download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="chairs-summary-2024-test-source.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    refused = curator_api.post(
        "/api/sources/",
        {**fields, "title": "Another", "copy": SimpleUploadedFile("x.exe", b"MZ\x90\x00")},
        format="multipart",
    )
    assert refused.status_code == 400 and "a PDF or an HTML file" in refused.json()["copy"][0]
    assert anon.get(f"/api/sources/{body['slug']}/").json()["copy_sha256"] == body["copy_sha256"]
    assert client.get("/en/sources/no-such-source/copy/").status_code == 404
