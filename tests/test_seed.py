"""Loading the fixtures: idempotent, fast enough, and never destroying a curator's work."""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from registry import models as m
from registry.seeding import SEED_REASON, FixtureError, seed

pytestmark = pytest.mark.django_db


def test_loading_again_creates_nothing_and_changes_nothing():
    before = m.Participation.objects.count(), m.Citation.objects.count(), m.ParticipantAlias.objects.count()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert sum(report.created.values()) == 0
    assert report.conflicts == [] and report.skipped_deleted == []
    assert (
        m.Participation.objects.count(),
        m.Citation.objects.count(),
        m.ParticipantAlias.objects.count(),
    ) == before


def test_a_curated_edit_is_kept_and_reported(process):
    rcm = process("rcm")
    rcm.name = "Regional Conference on Migration (Puebla Process)"
    rcm.save()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    rcm.refresh_from_db()
    assert rcm.name == "Regional Conference on Migration (Puebla Process)"
    assert any("slug=rcm: name is" in conflict for conflict in report.conflicts)


def test_a_record_a_curator_deleted_is_not_created_again(snapshot, participant):
    row = m.Participation.objects.get(snapshot=snapshot("midsa", "SCPF/30"), participant=participant("SC"))
    row.delete()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert not m.Participation.objects.filter(
        snapshot=snapshot("midsa", "SCPF/30"), participant=participant("SC")
    ).exists()
    assert len(report.skipped_deleted) == 1 and "participation" in report.skipped_deleted[0]


def test_seeded_records_have_their_creation_in_the_history(process):
    record = process("bali-process").history.earliest()
    assert record.history_type == "+"
    assert record.history_change_reason == SEED_REASON
    assert m.Citation.history.filter(history_type="+").count() == m.Citation.objects.count()


def test_an_inconsistent_fixture_writes_nothing(tmp_path, snapshot, participant):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.REGISTRY_FIXTURES_DIR, fixtures)
    rcm = fixtures / "processes" / "rcm.yaml"  # loaded after midsa.yaml (alphabetical order)
    rcm.write_text(rcm.read_text(encoding="utf-8").replace("- Belize\n", "- Atlantis\n"), encoding="utf-8")
    # A row the loader creates again before it meets the error...
    wanted = {"snapshot": snapshot("midsa", "SCPF/30"), "participant": participant("SC")}
    m.Participation.objects.get(**wanted).delete()
    m.Participation.history.filter(history_type="-").delete()
    with pytest.raises(FixtureError, match="Atlantis"):
        seed(fixtures)
    # ... is not there: the failed load rolled back as a whole.
    assert not m.Participation.objects.filter(**wanted).exists()


def test_seed_command_reports_counts(capsys):
    call_command("seed")
    out = capsys.readouterr().out
    assert "Loaded the curated fixtures in" in out
    assert "participations: 0 created, 807 already there" in out
