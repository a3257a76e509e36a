"""A misspelling a curator settles is remembered for matching, not published as a name."""

import json
import re

import pytest

from registry import models as m
from registry.choices import AliasKind

pytestmark = pytest.mark.django_db


def published_names(client, address):
    """The page's "Also written" line and its JSON-LD's alternate names."""
    html = client.get(address).content.decode()
    also = re.search(r"<p>(Also written|[^<]{0,40}:) [^\n]*</p>", html)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    names = [n for s in scripts for n in json.loads(s).get("alternateName", [])]
    return (also[0] if also else ""), names


def test_a_settled_misspelling_resolves_next_time_but_is_no_public_name(client, later_source):
    philippines = m.Participant.objects.get(iso_code="PH")
    colombo = m.Process.objects.get(slug="colombo-process")
    draft = m.AccountDraft(
        process=colombo,
        source=later_source,
        locator="para. 2",
        lists={"member": ["Phillipines", "Sri Lanka"]},
        picks={"Phillipines": philippines},
    )
    draft.apply()
    alias = m.ParticipantAlias.objects.get(participant=philippines, name="Phillipines")
    assert alias.kind == AliasKind.AS_CITED and not alias.is_a_name
    row = m.Participation.objects.get(account__source=later_source, participant=philippines)
    assert row.name_as_cited == "Phillipines"  # the name as cited stays on the participation
    later = m.AccountDraft(
        process=colombo, source=later_source, locator="para. 3", lists={"member": ["Phillipines"]}
    )
    assert later.preview().unresolved == []  # remembered for the next document
    for language in ("en", "fr", "es"):
        also, linked = published_names(client, f"/{language}/states/{philippines.slug}/")
        assert "Phillipines" not in also and "Phillipines" not in linked, language
    alias.kind = AliasKind.VARIANT  # a curator finds it a real name
    alias.save()
    also, linked = published_names(client, f"/en/states/{philippines.slug}/")
    assert "Phillipines" in also and "Phillipines" in linked
