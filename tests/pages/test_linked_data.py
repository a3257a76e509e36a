"""The JSON-LD (schema.org) in the process, state and organization pages, read as a harvester reads
it: expanded by a JSON-LD processor (pyld) into schema.org terms."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyld import jsonld

from registry import models as m

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
CONTEXT = json.loads((Path(__file__).parent / "linked_data" / "schema.org-context.jsonld").read_text())
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def offline_loader(url, options=None):
    """schema.org's context from the tests' copy; any other fetch is a failure."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the JSON-LD made a processor fetch {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def embedded(client, url) -> dict:
    answer = client.get(url)
    assert answer.status_code == 200
    (block,) = SCRIPT.findall(answer.content.decode())
    return json.loads(block)


def expanded(document) -> dict:
    (node,) = jsonld.expand(document, {"documentLoader": offline_loader})
    return node


def values(node, term) -> list:
    return node.get(SCHEMA + term, [])


def value(node, term):
    (found,) = values(node, term)
    return found.get("@value", found.get("@id", found))


def test_a_process_page_describes_the_process_and_each_participation_as_a_role(client):
    document = embedded(client, "/en/processes/budapest-process/")
    node = expanded(document)
    assert node["@type"] == [SCHEMA + "Organization"]
    assert node["@id"] == "http://testserver/api/processes/budapest-process/"
    assert value(node, "name") == "Budapest Process"
    assert value(node, "url") == "http://testserver/en/processes/budapest-process/"
    assert {n["@value"] for n in values(node, "alternateName")} >= {"Budapest Group", "Proceso de Budapest"}
    assert value(node, "foundingDate") == "1991"
    roles = values(node, "member")
    shown = m.Participation.objects.as_of(date.today()).filter(process__slug="budapest-process").count()
    assert len(roles) == shown > 40
    for role in roles:
        assert role["@type"] == [SCHEMA + "Role"] and value(role, "roleName")
        (member,) = values(role, "member")
        assert member["@type"][0] in (SCHEMA + "GovernmentOrganization", SCHEMA + "Organization")
        assert member["@id"].startswith("http://testserver/api/")
        for citation in values(role, "citation"):
            assert citation["@type"] == [SCHEMA + "CreativeWork"] and value(citation, "name")
    turkey = next(r for r in roles if value(r, "roleName") == "chair")
    assert value(turkey, "startDate") == "2006"
    (cited,) = values(turkey, "citation")
    assert value(cited, "name") == "SCPF/30" and "Annex II" in value(cited, "description")
    assert jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": offline_loader})


def test_a_state_page_lists_every_statement_with_its_source_and_an_organization_is_an_organization(client):
    node = expanded(embedded(client, "/fr/states/austria/"))
    assert node["@type"] == [SCHEMA + "GovernmentOrganization"]
    assert node["@id"] == "http://testserver/api/states/austria/"  # the same in every language
    (identifier,) = values(node, "identifier")
    assert value(identifier, "value") == "AT"
    roles = values(node, "memberOf")
    assert len(roles) == m.Participation.objects.filter(participant__slug="austria").count()
    sources = {value(c, "name") for r in roles for c in values(r, "citation")}
    assert sources == {"MC/INF/266", "SCPF/30"}
    processes = {values(r, "memberOf")[0]["@id"] for r in roles}
    assert "http://testserver/api/processes/budapest-process/" in processes
    assert "membre / gouvernement participant" in {value(r, "roleName") for r in roles}

    organization = expanded(embedded(client, "/en/organizations/unhcr/"))
    assert organization["@type"] == [SCHEMA + "Organization"]
    assert "UNHCR" in {n["@value"] for n in values(organization, "alternateName")}


def test_a_name_cannot_end_the_script_element(client):
    austria = m.Participant.objects.get(slug="austria")
    m.ParticipantAlias.objects.create(participant=austria, name="</script><script>alert(1)</script>")
    html = client.get("/en/states/austria/").content.decode()
    assert "</script><script>alert(1)" not in html
    node = expanded(json.loads(SCRIPT.findall(html)[0]))
    assert "</script><script>alert(1)</script>" in {n["@value"] for n in values(node, "alternateName")}


def test_the_linked_data_costs_no_query_per_participation(client, settings):
    settings.RESPONSE_CACHE_SECONDS = 0

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # MIDSA has 15 members, the Budapest Process about 50: the same queries for either page.
    assert count("/en/processes/midsa/") == count("/en/processes/budapest-process/")
