"""Every endpoint, generically: list, detail, filters, create, update, delete, permissions for
anonymous / viewer / curator, 404s, ETags and If-Match, history, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers import view_queries

from .conftest import ENDPOINTS

pytestmark = pytest.mark.django_db

each = pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(view_queries(captured))


def create(client, endpoint):
    response = client.post(endpoint.list_url(), endpoint.create, format="json")
    assert response.status_code == 201, response.json()
    return response


def created_url(response):
    return response["Location"].replace("http://testserver", "")


@each
def test_list_has_every_record_paginated(anon, endpoint):
    body = anon.get(endpoint.list_url("page_size=500")).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == endpoint.queryset().count() > 0
    assert len(body["results"]) == min(body["count"], 500)
    first_page = anon.get(endpoint.list_url("page_size=1")).json()
    assert len(first_page["results"]) == 1 and first_page["next"]


@each
def test_list_costs_the_same_queries_for_one_row_or_all(anon, endpoint):
    one = queries(anon, endpoint.list_url("page_size=1"))
    many = queries(anon, endpoint.list_url("page_size=500"))
    # Django skips a nested prefetch (the aliases' citations; a process's statuses' and
    # successions' citations) when the page has none: a few queries more for a full page, the
    # same whatever its number of rows, never one per row.
    assert one <= many <= one + 4, f"{endpoint}: {one} queries for one row, {many} for all"
    assert many <= (18 if endpoint.name == "processes" else 12)  # a process's lineage: 6 more


@each
def test_detail_sends_an_etag_and_answers_304(anon, endpoint):
    obj = endpoint.queryset().order_by("pk").first()
    response = anon.get(endpoint.detail_url(obj))
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = anon.get(endpoint.detail_url(obj), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag


@each
def test_detail_404_for_an_unknown_key(anon, endpoint):
    key = 987654 if endpoint.key == "pk" else "NOPE999" if endpoint.key == "symbol" else "no-such-record"
    response = anon.get(endpoint.detail_url(key))
    assert response.status_code == 404
    assert "detail" in response.json()


@each
def test_filters_narrow_the_list(anon, endpoint):
    total = endpoint.queryset().count()
    for query in endpoint.filters:
        body = anon.get(endpoint.list_url(query + "&page_size=500")).json()
        assert "count" in body, (query, body)
        assert 0 < body["count"] < total, f"{endpoint}?{query}: {body['count']} of {total}"


@each
def test_bad_filter_values_are_400_with_a_message_per_parameter(anon, endpoint):
    filterset = endpoint.filters and anon.get(endpoint.list_url("ordering=nonsense"))
    assert filterset.status_code == 400 and "ordering" in filterset.json()


@each
def test_anonymous_and_viewer_cannot_write(anon, viewer_api, endpoint):
    obj = endpoint.queryset().order_by("pk").first()
    before = endpoint.queryset().count()
    assert anon.post(endpoint.list_url(), endpoint.create, format="json").status_code == 401
    assert anon.patch(endpoint.detail_url(obj), endpoint.patch, format="json").status_code == 401
    assert anon.delete(endpoint.detail_url(obj)).status_code == 401
    assert viewer_api.get(endpoint.detail_url(obj)).status_code == 200
    assert viewer_api.post(endpoint.list_url(), endpoint.create, format="json").status_code == 403
    assert viewer_api.patch(endpoint.detail_url(obj), endpoint.patch, format="json").status_code == 403
    assert viewer_api.delete(endpoint.detail_url(obj)).status_code == 403
    assert endpoint.queryset().count() == before


@each
def test_curator_creates_reads_updates_and_deletes(curator_api, anon, endpoint):
    created = create(curator_api, endpoint)
    url = created_url(created)
    assert created["ETag"]
    assert anon.get(url).json() == created.json()
    assert anon.get(url)["ETag"] == created["ETag"]

    changed = curator_api.patch(url, endpoint.patch, format="json", HTTP_X_CHANGE_REASON="API test")
    assert changed.status_code == 200, changed.json()
    for name, value in endpoint.patch.items():
        assert changed.json()[name] == value
    assert changed["ETag"] != created["ETag"]

    full = {**changed.json(), **endpoint.create, **endpoint.patch}
    replaced = curator_api.put(url, full, format="json", HTTP_IF_MATCH=changed["ETag"])
    assert replaced.status_code == 200, replaced.json()

    history = curator_api.get(url + "history/").json()["results"]
    assert [entry["type"] for entry in history][-1] == "created"
    assert {entry["user"] for entry in history} == {"api-curator"}
    assert any(entry["change_reason"] == "API test" for entry in history)

    assert curator_api.delete(url, HTTP_IF_MATCH=replaced["ETag"]).status_code == 204
    gone = anon.get(url)  # an address once handed out: 410 Gone, saying when, not a bare 404
    assert (
        gone.status_code == 410
        and gone.json()["deleted"]
        and "/api/changes/?resource=" in gone.json()["changes"]
    )


@each
def test_a_stale_if_match_is_412_and_changes_nothing(curator_api, endpoint):
    url = created_url(create(curator_api, endpoint))
    first = curator_api.get(url)
    # Another client changes the object after the first one read it.
    assert curator_api.patch(url, endpoint.patch, format="json").status_code == 200
    after_other = curator_api.get(url).json()
    stale = curator_api.patch(url, endpoint.create, format="json", HTTP_IF_MATCH=first["ETag"])
    assert stale.status_code == 412
    assert curator_api.get(url).json() == after_other
    assert curator_api.delete(url, HTTP_IF_MATCH=first["ETag"]).status_code == 412
    assert curator_api.get(url).status_code == 200


@each
def test_history_needs_a_signed_in_user_with_view_permission(anon, viewer_api, endpoint):
    obj = endpoint.queryset().order_by("pk").first()
    assert anon.get(endpoint.detail_url(obj) + "history/").status_code == 401
    body = viewer_api.get(endpoint.detail_url(obj) + "history/").json()
    assert body["results"][-1]["type"] == "created"


@each
@pytest.mark.parametrize("role", ["curator", "viewer", "anonymous"])
def test_the_browsable_api_renders_for_every_role(client, endpoint, role, request):
    """As the README tells curators: the browsable API with their admin session. A Curator's
    pages carry the HTML forms (selects of related records included)."""
    if role != "anonymous":
        request.getfixturevalue(role)
    obj = endpoint.queryset().order_by("pk").first()
    for url, form in (
        (endpoint.list_url(), b'method="POST"'),
        (endpoint.detail_url(obj), b'data-method="PUT"'),
    ):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, (url, role, response.content[:300])
        assert b"<html" in response.content
        assert (form in response.content) == (role == "curator")


def test_an_address_missing_its_final_slash_is_redirected(anon):
    answer = anon.get("/api/participations?page=2")
    assert answer.status_code == 301 and answer["Location"] == "/api/participations/?page=2"
    assert anon.post("/api/processes", {}).status_code == 308  # method and body kept
    assert anon.get("/api/nothing-here").status_code == 404


def test_the_api_root_describes_the_registry_and_lists_every_service(anon):
    data = anon.get("/api/").json()
    assert {"processes", "changes", "export", "reconcile", "docs", "schema"} <= set(data)
    html = anon.get("/api/", HTTP_ACCEPT="text/html").content.decode()
    assert "The default basic root view" not in html and "Regional Consultative Processes" in html


@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_every_link_of_the_api_root_opens_in_a_browser(client, curator, accept):
    """The browsable API's root, as a signed-in curator's browser follows its links."""
    root = client.get("/api/", HTTP_ACCEPT="application/json").json()
    for name, address in root.items():
        response = client.get(address, HTTP_ACCEPT=accept)
        assert response.status_code == 200, (name, response.status_code)
