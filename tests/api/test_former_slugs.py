"""Links that last: a renamed slug keeps answering — pages and API redirect to the new address,
the reconciliation id still resolves, the old slug is listed among the record's identifiers — and
no other record may ever take it."""

import json

import pytest
from django.urls import reverse

from registry import models as m
from registry.exports.popolo import popolo_document

pytestmark = pytest.mark.django_db


def rename(client, address, slug):
    response = client.patch(address, {"slug": slug}, format="json")
    assert response.status_code == 200, response.json()
    return response


def test_a_renamed_process_keeps_every_address(curator_api, client):
    rename(curator_api, "/api/processes/bali-process/", "bali")
    for old, new in (
        ("/en/processes/bali-process/", "/en/processes/bali/"),
        ("/fr/processes/bali-process/?as_of=2009", "/fr/processes/bali/?as_of=2009"),
        ("/en/processes/bali-process/changes.atom", "/en/processes/bali/changes.atom"),
        ("/api/processes/bali-process/", "/api/processes/bali/"),
        ("/api/processes/bali-process/accounts/SCPF/30/", "/api/processes/bali/accounts/SCPF/30/"),
    ):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new, old
        assert client.get(new).status_code == 200, new
    detail = client.get("/api/processes/bali/").json()
    assert detail["slug"] == "bali" and detail["former_slugs"] == ["bali-process"]
    preview = client.get(reverse("api:reconcile-preview"), {"id": "process:bali-process"})
    assert preview.status_code == 200 and "Bali" in preview.content.decode()
    answer = client.get(
        reverse("api:reconcile"), {"queries": json.dumps({"q0": {"query": "process:bali-process"}})}
    ).json()
    assert answer["q0"]["result"][0]["id"] == "process:bali"


def test_a_write_to_an_old_address_is_redirected_keeping_its_method(curator_api):
    rename(curator_api, "/api/processes/midsa/", "midsa-renamed")
    response = curator_api.patch("/api/processes/midsa/", {"status_note": "x"}, format="json")
    assert response.status_code == 308 and response["Location"] == "/api/processes/midsa-renamed/"


def test_no_other_record_takes_a_former_slug(curator_api, client, curator):
    rename(curator_api, "/api/processes/bali-process/", "bali")
    response = curator_api.patch("/api/processes/midsa/", {"slug": "bali-process"}, format="json")
    assert response.status_code == 400 and "slug" in response.json()
    assert "was the address of" in response.json()["slug"][0]
    midsa = m.Process.objects.get(slug="midsa")
    form = client.get(reverse("admin:registry_process_change", args=[midsa.pk]))
    assert form.status_code == 200
    assert m.Process.objects.filter(slug="bali-process").count() == 0
    # The record itself may take its old slug back: the new one becomes the former.
    rename(curator_api, "/api/processes/bali/", "bali-process")
    assert client.get("/api/processes/bali-process/").json()["former_slugs"] == ["bali"]
    assert client.get("/en/processes/bali/")["Location"] == "/en/processes/bali-process/"


def test_a_renamed_state_and_source_keep_their_addresses(curator_api, client):
    rename(curator_api, "/api/states/albania/", "republic-of-albania")
    assert client.get("/en/states/albania/")["Location"] == "/en/states/republic-of-albania/"
    assert client.get("/api/states/albania/")["Location"] == "/api/states/republic-of-albania/"
    assert client.get("/api/states/republic-of-albania/").json()["former_slugs"] == ["albania"]
    source = m.SourceDocument.objects.get(symbol="SCPF/30")
    source.slug = "scpf-30-2009"
    source.save()
    assert client.get("/es/sources/scpf-30/")["Location"] == "/es/sources/scpf-30-2009/"
    popolo = json.loads("".join(popolo_document()))
    albania = next(o for o in popolo["organizations"] if o["id"].endswith("republic-of-albania"))
    assert {"scheme": "rcp-registry former id", "identifier": "state/albania"} in albania["identifiers"]


def test_a_new_record_is_never_given_a_former_slug(curator_api):
    rename(curator_api, "/api/states/albania/", "republic-of-albania")
    assert m.unique_slug(m.Participant.objects.all(), "Albania", "participant") == "albania-2"


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/en/processes/atlantis/").status_code == 404
    assert client.get("/api/processes/atlantis/").status_code == 404


def test_the_admin_shows_a_records_former_slugs(curator_api, client, curator):
    rename(curator_api, "/api/processes/bali-process/", "bali")
    process = m.Process.objects.get(slug="bali")
    html = client.get(reverse("admin:registry_process_change", args=[process.pk])).content.decode()
    assert "former slugs" in html.lower() and "bali-process" in html
