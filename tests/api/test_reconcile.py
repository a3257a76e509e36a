"""The W3C reconciliation service (/api/reconcile/), its answers checked against the
specification's own JSON schemas (reconciliation_specs/, with their origin)."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from registry import models as m
from registry.api.reconcile import MAX_QUERIES
from tests.helpers import view_queries

pytestmark = pytest.mark.django_db

SERVICE = "/api/reconcile/"
SPECS = Path(__file__).parent / "reconciliation_specs"


def _registry() -> Registry:
    resources = []
    for path in SPECS.glob("*.json"):
        contents = json.loads(path.read_text())
        # "$schema": "http://json-schema.org/schema#" names no draft: read as draft 7.
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SPECS / f"{name}.json").read_text())
    return Draft7Validator(schema, registry=_registry())


def assert_valid(name: str, document):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(document)]
    assert not errors, errors


def reconcile(client, batch: dict, method="post"):
    assert_valid("reconciliation-query-batch", batch)
    payload = {"queries": json.dumps(batch)}
    answer = client.post(SERVICE, payload) if method == "post" else client.get(SERVICE, payload)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    results = answer.json()
    assert_valid("reconciliation-result-batch", results)
    assert set(results) == set(batch)
    return results


def first(client, query: str, **fields) -> dict:
    return reconcile(client, {"q": {"query": query, **fields}})["q"]["result"][0]


# The manifest ------------------------------------------------------------------------------------


def test_the_manifest_follows_the_specification_and_declares_every_service(client):
    answer = client.get(SERVICE)
    assert answer.status_code == 200
    manifest = answer.json()
    assert_valid("manifest", manifest)
    assert manifest["versions"] == ["0.2"] and manifest["batchSize"] == MAX_QUERIES
    assert [t["id"] for t in manifest["defaultTypes"]] == ["process", "state", "organization"]
    for kind in ("entity", "property", "type"):
        service = manifest["suggest"][kind]
        url = service["service_url"] + service["service_path"]
        assert client.get(url, {"prefix": "a"}).status_code == 200
    preview = manifest["preview"]["url"].replace("{{id}}", "state%3Aaustria")
    assert client.get(preview).status_code == 200
    view = manifest["view"]["url"].replace("{{id}}", "state%3Aaustria")
    assert client.get(view)["Location"] == "/en/states/austria/"


def test_every_endpoint_is_open_to_other_origins_and_the_rest_of_the_api_is_not(client):
    for url in (SERVICE, f"{SERVICE}suggest/entity/?prefix=bu", f"{SERVICE}preview/?id=state:austria"):
        answer = client.get(url, HTTP_ORIGIN="http://localhost:3333")
        assert answer["Access-Control-Allow-Origin"] == "*", url
    assert "Access-Control-Allow-Origin" not in client.get("/api/processes/", HTTP_ORIGIN="http://x.test")


# Matching ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Laos PDR", "state:lao-peoples-democratic-republic"),
        ("Swaziland", "state:eswatini"),
        ("Alemania", "state:germany"),  # CLDR Spanish
        ("Allemagne", "state:germany"),  # CLDR French
        ("Proceso de Puebla", "process:rcm"),
        ("MDSA", "process:midsa"),
        ("the Philippines", "state:philippines"),
        ("COTE D'IVOIRE", "state:cote-divoire"),
        ("state:austria", "state:austria"),  # an identifier
    ],
)
def test_a_name_in_any_of_its_spellings_is_a_certain_match(client, query, expected):
    best = first(client, query)
    assert (best["id"], best["score"], best["match"]) == (expected, 100, True)


def test_every_name_the_fixtures_hold_comes_back_first_for_its_own_record(client):
    """Each process's names and aliases, each participant's name, aliases, ISO code and acronym,
    queried with the record's type: the record is first, scores 100 and is a certain match."""
    named = []
    for process in m.Process.objects.prefetch_related("aliases"):
        for name in {process.name, process.short_name, *(a.name for a in process.aliases.all())}:
            named.append((name, "process", f"process:{process.slug}"))
    for p in m.Participant.objects.prefetch_related("aliases"):
        kind = "organization" if p.kind == "organization" else "state"
        names = {p.name, *(a.name for a in p.aliases.all()), *filter(None, [p.iso_code, p.acronym])}
        named += [(name, kind, f"{kind}:{p.slug}") for name in names]
    assert len(named) > 600
    wrong = []
    for start in range(0, len(named), MAX_QUERIES):
        chunk = named[start : start + MAX_QUERIES]
        batch = {
            f"q{i}": {"query": name, "type": kind, "limit": 3} for i, (name, kind, _id) in enumerate(chunk)
        }
        results = reconcile(client, batch)
        for i, (name, _kind, expected) in enumerate(chunk):
            best = results[f"q{i}"]["result"][0]
            if (best["id"], best["score"], best["match"]) != (expected, 100, True):
                wrong.append((name, expected, best))
    assert not wrong, wrong[:10]


def test_a_name_two_records_share_is_no_certain_match_until_a_type_tells_them_apart(client):
    results = reconcile(client, {"any": {"query": "AU"}, "state": {"query": "AU", "type": "state"}})
    both = results["any"]["result"][:2]
    assert {c["id"] for c in both} == {"state:australia", "organization:african-union"}
    assert all(c["score"] == 100 and not c["match"] for c in both)
    assert results["state"]["result"][0] | {"features": None} == results["state"]["result"][0] | {
        "id": "state:australia",
        "match": True,
        "features": None,
    }


def test_a_misspelt_name_is_a_ranked_candidate_scoring_below_100_and_never_a_match(client):
    results = reconcile(client, {"q": {"query": "Germny"}, "r": {"query": "Puebla", "type": ["process"]}})
    germany = results["q"]["result"][0]
    assert germany["id"] == "state:germany" and 60 <= germany["score"] < 100 and germany["match"] is False
    assert results["r"]["result"][0]["id"] == "process:rcm"
    scores = [c["score"] for c in results["q"]["result"]]
    assert scores == sorted(scores, reverse=True)


def test_limit_types_and_a_name_nothing_resembles(client):
    results = reconcile(
        client,
        {
            "two": {"query": "Guinea", "limit": 2},
            "orgs": {"query": "Austria", "type": "organization"},
            "none": {"query": "zzzzqqqxx"},
        },
    )
    assert len(results["two"]["result"]) == 2
    assert all(c["type"][0]["id"] == "organization" for c in results["orgs"]["result"])
    assert results["none"]["result"] == []


def test_property_conditions_iso_code_and_membership_of_a_process(client):
    results = reconcile(
        client,
        {
            "code": {"properties": [{"pid": "iso_code", "v": "at"}]},
            "member": {"query": "Austria", "properties": [{"pid": "member_of", "v": "Budapest Process"}]},
            "by_id": {
                "query": "Austria",
                "properties": [{"pid": "member_of", "v": {"id": "process:budapest-process"}}],
            },
            "not_member": {"query": "Austria", "properties": [{"pid": "member_of", "v": "bali-process"}]},
            "members": {"properties": [{"pid": "member_of", "v": ["MIDSA"]}], "limit": 25},
        },
    )
    (austria,) = results["code"]["result"]
    assert (austria["id"], austria["score"], austria["match"]) == ("state:austria", 100, True)
    assert {"id": "iso_code", "value": True} in austria["features"]
    for key in ("member", "by_id"):
        assert results[key]["result"][0]["id"] == "state:austria" and results[key]["result"][0]["match"]
    assert "state:austria" not in [c["id"] for c in results["not_member"]["result"]]
    midsa = m.Process.objects.get(slug="midsa")
    expected = set(
        m.Participation.objects.filter(process=midsa, role="member").values_list(
            "participant__slug", flat=True
        )
    )
    assert {c["id"].split(":")[1] for c in results["members"]["result"]} == expected
    assert not any(c["match"] for c in results["members"]["result"])


def test_get_and_post_answer_alike_and_a_repeated_batch_comes_from_the_cache(client):
    batch = {"q0": {"query": "Swaziland"}, "q1": {"query": "Budapest Process"}}
    assert reconcile(client, batch, "get") == reconcile(client, batch, "post")
    again = client.post(SERVICE, {"queries": json.dumps(batch)})
    assert again["X-Registry-Cache"] == "hit"


def test_a_curators_new_alias_is_found_on_the_next_request(client):
    batch = {"q": {"query": "Ngwane (test)"}}  # a name neither the registry nor the world gives it
    assert not any(result["match"] for result in reconcile(client, batch)["q"]["result"])
    eswatini = m.Participant.objects.get(slug="eswatini")
    m.ParticipantAlias.objects.create(participant=eswatini, name="Ngwane (test)")
    best = reconcile(client, batch)["q"]["result"][0]
    assert (best["id"], best["match"]) == ("state:eswatini", True)


def test_queries_do_not_grow_with_the_batch(client, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    names = list(m.Participant.objects.values_list("name", flat=True)[:MAX_QUERIES])

    def queries_for(n):
        batch = {
            f"q{i}": {"query": name, "properties": [{"pid": "member_of", "v": "MIDSA"}]}
            for i, name in enumerate(names[:n])
        }
        with CaptureQueriesContext(connection) as captured:
            assert client.post(SERVICE, {"queries": json.dumps(batch)}).status_code == 200
        return len(view_queries(captured))

    assert queries_for(1) == queries_for(MAX_QUERIES) <= 12


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("queries", "where"),
    [
        ("{not json", ["queries"]),
        ("[1, 2]", ["queries"]),
        ('{"q": []}', ["queries", "q", "non_field_errors"]),
        ('{"q": {"query": ""}}', ["queries", "q", "query"]),
        ('{"q": {"query": "x", "type": "planet"}}', ["queries", "q", "type"]),
        ('{"q": {"query": "x", "type": [{"a": 1}]}}', ["queries", "q", "type"]),
        ('{"q": {"query": "x", "limit": 0}}', ["queries", "q", "limit"]),
        ('{"q": {"query": "x", "limit": 1e999}}', ["queries", "q", "limit"]),
        ('{"q": {"query": "x", "limit": NaN}}', ["queries", "q", "limit"]),
        ('{"q": {"query": "x", "colour": "red"}}', ["queries", "q", "colour"]),
        ('{"q": {"query": "x", "type_strict": "maybe"}}', ["queries", "q", "type_strict"]),
        (
            '{"q": {"query": "x", "properties": [{"pid": "population", "v": 1}]}}',
            ["queries", "q", "properties"],
        ),
        (
            '{"q": {"query": "x", "properties": [{"pid": ["iso_code"], "v": 1}]}}',
            ["queries", "q", "properties"],
        ),
        (
            '{"q": {"query": "x", "properties": [{"pid": "iso_code", "v": [[1]]}]}}',
            ["queries", "q", "properties"],
        ),
        ('{"q": {"type": "state"}}', ["queries", "q", "non_field_errors"]),
        ("[" * 100_000, ["queries"]),
    ],
)
def test_a_bad_batch_is_a_400_naming_the_query_and_field(client, queries, where):
    for answer in (client.get(SERVICE, {"queries": queries}), client.post(SERVICE, {"queries": queries})):
        assert answer.status_code == 400, answer.content
        errors = answer.json()
        for key in where:
            errors = errors[key]
        assert errors and all(isinstance(message, str) for message in errors)


def test_a_batch_over_the_limit_is_refused_with_the_limit_named(client):
    batch = {f"q{i}": {"query": "Austria"} for i in range(MAX_QUERIES + 1)}
    answer = client.post(SERVICE, {"queries": json.dumps(batch)})
    assert answer.status_code == 400 and str(MAX_QUERIES) in answer.json()["queries"][0]


def test_a_post_without_queries_or_asking_for_data_extension_is_a_400(client):
    assert "queries" in client.post(SERVICE, {}).json()
    assert "extend" in client.post(SERVICE, {"extend": "{}"}).json()


# Suggest, preview, view --------------------------------------------------------------------------


def test_entity_suggestions_by_prefix_of_any_word_of_any_name_with_paging(client):
    answer = client.get(f"{SERVICE}suggest/entity/", {"prefix": "Budap"})
    assert_valid("suggest-entities-response", answer.json())
    assert answer.json()["result"][0]["id"] == "process:budapest-process"
    # A word inside a name, a Spanish name, an identifier, a type.
    assert "process:rcm" in [
        r["id"] for r in client.get(f"{SERVICE}suggest/entity/?prefix=puebla").json()["result"]
    ]
    assert client.get(f"{SERVICE}suggest/entity/?prefix=aleman").json()["result"][0]["id"] == "state:germany"
    assert (
        client.get(f"{SERVICE}suggest/entity/?prefix=state:austria").json()["result"][0]["id"]
        == "state:austria"
    )
    only = client.get(f"{SERVICE}suggest/entity/?prefix=a&type=organization").json()["result"]
    assert only and all(r["notable"][0]["id"] == "organization" for r in only)
    page_one = client.get(f"{SERVICE}suggest/entity/?prefix=s").json()["result"]
    page_two = client.get(f"{SERVICE}suggest/entity/?prefix=s&cursor=10").json()["result"]
    assert len(page_one) == 10 and page_two and not {r["id"] for r in page_one} & {r["id"] for r in page_two}


def test_property_and_type_suggestions(client):
    properties = client.get(f"{SERVICE}suggest/property/?prefix=mem").json()
    assert_valid("suggest-properties-response", properties)
    assert [p["id"] for p in properties["result"]] == ["member_of"]
    types = client.get(f"{SERVICE}suggest/type/?prefix=").json()
    assert_valid("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["process", "state", "organization"]


@pytest.mark.parametrize("query", ["cursor=-1", "cursor=x", "type=planet", "prefix=" + "a" * 600])
def test_bad_suggest_parameters_are_a_400(client, query):
    answer = client.get(f"{SERVICE}suggest/entity/?prefix=a&{query}")
    assert answer.status_code == 400 and set(answer.json()) <= {"cursor", "type", "prefix"}


def test_the_preview_is_a_small_html_page_other_sites_may_frame(client):
    answer = client.get(f"{SERVICE}preview/", {"id": "state:austria"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/html")
    assert "X-Frame-Options" not in answer
    assert "frame-ancestors *" in answer["Content-Security-Policy"]
    html = answer.content.decode()
    assert "Austria" in html and "Budapest Process" in html and "/en/states/austria/" in html
    assert client.get(f"{SERVICE}preview/", {"id": "state:atlantis"}).status_code == 404
    assert client.get(f"{SERVICE}view/", {"id": "nothing"}).status_code == 404


def test_a_membership_recorded_is_a_condition_and_a_preview_line_on_the_next_request(client):
    """Memberships are read when asked, not kept in the index (kept until a name changes)."""
    batch = {"q": {"query": "Austria", "properties": [{"pid": "member_of", "v": "bali-process"}]}}
    assert "state:austria" not in [c["id"] for c in reconcile(client, batch)["q"]["result"]]
    bali = m.Process.objects.get(slug="bali-process")
    m.Participation.objects.create(
        process=bali, participant=m.Participant.objects.get(slug="austria"), role="member"
    )
    assert reconcile(client, batch)["q"]["result"][0]["id"] == "state:austria"
    preview = client.get(f"{SERVICE}preview/", {"id": "state:austria"}).content.decode()
    assert "Bali Process" in preview


def test_a_signed_in_curator_posts_a_batch_without_a_csrf_token(curator):
    """OpenRefine in the same browser as a curator's admin session sends the session cookie and
    no CSRF token: the service reads no session, so the batch is answered."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(curator)
    answer = browser.post(SERVICE, {"queries": json.dumps({"q": {"query": "Austria"}})})
    assert answer.status_code == 200 and answer.json()["q"]["result"][0]["id"] == "state:austria"
