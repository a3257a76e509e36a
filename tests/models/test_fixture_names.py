"""Every name in the fixtures is read back from the loaded registry as the fixture's text writes it:
no YAML surprise (an unquoted comma in a {…} mapping once cut UNESCO's name in two)."""

import re
import shutil

import pytest
import yaml
from django.conf import settings
from django.utils.text import slugify

from registry import models as m
from registry.seeding import FixtureError, seed

pytestmark = pytest.mark.django_db

FIXTURES = settings.REGISTRY_FIXTURES_DIR
PARTICIPANT_FIELDS = {
    "name",
    "slug",
    "iso",
    "acronym",
    "type",
    "variants",
    "note",
    "name_language",
    "process",
}


def _participant_entries():
    data = yaml.safe_load((FIXTURES / "participants.yaml").read_text(encoding="utf-8"))
    return [item for group in ("states", "territories", "organizations") for item in data[group]]


def _flat_text(path) -> str:
    """The file's text as one line, quotes undone: a long name folded over lines reads whole."""
    text = path.read_text(encoding="utf-8").replace("''", "'")
    return re.sub(r"\s+", " ", text)


def test_every_participant_entry_holds_only_known_fields():
    for item in _participant_entries():
        assert set(item) <= PARTICIPANT_FIELDS, item
        assert all(value is not None for value in item.values()), item


def test_every_participant_name_reads_back_as_the_fixture_writes_it():
    text = _flat_text(FIXTURES / "participants.yaml")
    stored = {p.slug: p for p in m.Participant.objects.all()}
    for item in _participant_entries():
        participant = stored[item.get("slug") or slugify(item["name"])]
        assert participant.name == item["name"] and item["name"] in text
        assert participant.acronym == item.get("acronym", "")
        for variant in item.get("variants", []):
            written = variant if isinstance(variant, str) else variant["name"]
            assert written in text
            assert list(m.Participant.objects.named(written)) == [participant], written
    unesco = stored["unesco"]
    assert unesco.name == "United Nations Educational, Scientific and Cultural Organization"


def test_every_process_name_and_alias_reads_back_as_the_fixture_writes_it():
    for path in sorted((FIXTURES / "processes").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = _flat_text(path)
        process = m.Process.objects.get(slug=doc["slug"])
        assert process.name == doc["name"] and doc["name"] in text
        assert process.short_name == doc.get("short_name", "")
        aliases = set(process.aliases.values_list("name", flat=True))
        for alias in doc.get("aliases", []):
            assert alias["name"] in aliases and alias["name"] in text, (path.name, alias["name"])


def test_an_unquoted_comma_in_a_mapping_is_refused_and_writes_nothing(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    path = fixtures / "participants.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'name: "United Nations Educational, Scientific and Cultural Organization"',
            "name: United Nations Educational, Scientific and Cultural Organization",
        ),
        encoding="utf-8",
    )
    before = m.Change.objects.count()
    with pytest.raises(FixtureError, match="'Scientific and Cultural Organization' has no value"):
        seed(fixtures)
    assert m.Change.objects.count() == before
