"""Loading the fixtures: idempotent, fast enough, and never destroying a curator's work."""

import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from registry import models as m
from registry.seeding import SEED_REASON, FixtureError, seed
from registry.seeding.store import UPDATE_REASON, SeedReport, Store

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


CORRECTED = "Regional Conference on Migration (corrected in the fixtures, test)"


def fixtures_with_rcm_renamed(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.REGISTRY_FIXTURES_DIR, fixtures)
    rcm = fixtures / "processes" / "rcm.yaml"
    text = rcm.read_text(encoding="utf-8")
    rcm.write_text(text.replace("\nname: Regional Conference on Migration\n", f"\nname: {CORRECTED}\n"))
    return fixtures


def test_a_corrected_fixture_updates_a_record_no_one_changed(tmp_path, process):
    """A database seeded before a fixture was corrected follows the correction where no one has
    changed the record since: the update is in its history and in the report."""
    report = seed(fixtures_with_rcm_renamed(tmp_path))
    rcm = process("rcm")
    rcm.refresh_from_db()
    assert rcm.name == CORRECTED
    assert rcm.history.latest().history_change_reason == UPDATE_REASON
    assert report.conflicts == []
    assert report.updated == [f"process slug=rcm: name 'Regional Conference on Migration' → '{CORRECTED}'"]
    assert "1 value(s) no one had changed since loaded, updated to the fixtures:" in report.lines()
    again = seed(fixtures_with_rcm_renamed(tmp_path / "again"))
    assert again.updated == [] and again.conflicts == []  # updated once


def test_two_fixture_entries_that_disagree_are_a_conflict_not_an_update_back_and_forth(process):
    store = Store(SeedReport())
    store.ensure(m.Process, {"slug": "rcm"}, {"name": CORRECTED})
    store.ensure(m.Process, {"slug": "rcm"}, {"name": "Regional Conference on Migration"})
    assert process("rcm").name == CORRECTED
    assert len(store.report.updated) == 1
    original = "Regional Conference on Migration"
    assert store.report.conflicts == [
        f"process slug=rcm: name is '{CORRECTED}' in the database, '{original}' in the fixtures"
    ]


@pytest.mark.parametrize("how", ["in the admin", "without a trace in the history"])
def test_a_corrected_fixture_never_overwrites_a_change_made_since(tmp_path, process, how):
    rcm = process("rcm")
    if how == "in the admin":
        rcm.name = "Regional Conference on Migration (curated)"
        rcm._change_reason = "Curator's wording"
        rcm.save()
    else:  # a bulk update writes no history: the history's last row is not what is stored
        m.Process.objects.filter(pk=rcm.pk).update(name="Regional Conference on Migration (curated)")
    report = seed(fixtures_with_rcm_renamed(tmp_path))
    rcm.refresh_from_db()
    assert rcm.name == "Regional Conference on Migration (curated)"
    assert report.updated == [] and any("slug=rcm: name is" in conflict for conflict in report.conflicts)


def test_a_record_a_curator_deleted_is_not_created_again(account, participant):
    row = m.Participation.objects.get(account=account("midsa", "SCPF/30"), participant=participant("SC"))
    row.delete()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert not m.Participation.objects.filter(
        account=account("midsa", "SCPF/30"), participant=participant("SC")
    ).exists()
    assert len(report.skipped_deleted) == 1 and "participation" in report.skipped_deleted[0]


def test_seeded_records_have_their_creation_in_the_history(process):
    record = process("bali-process").history.earliest()
    assert record.history_type == "+"
    assert record.history_change_reason == SEED_REASON
    assert m.Citation.history.filter(history_type="+").count() == m.Citation.objects.count()


def test_an_inconsistent_fixture_writes_nothing(tmp_path, account, participant):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(settings.REGISTRY_FIXTURES_DIR, fixtures)
    rcm = fixtures / "processes" / "rcm.yaml"  # loaded after midsa.yaml (alphabetical order)
    rcm.write_text(rcm.read_text(encoding="utf-8").replace("- Belize\n", "- Atlantis\n"), encoding="utf-8")
    # A row the loader creates again before it meets the error...
    wanted = {"account": account("midsa", "SCPF/30"), "participant": participant("SC")}
    row = m.Participation.objects.get(**wanted)
    row.delete()
    m.Participation.history.filter(history_type="-").delete()
    m.SeedKey.objects.filter(key__startswith="registry.participation:", object_id=row.pk).delete()
    with pytest.raises(FixtureError, match="Atlantis"):
        seed(fixtures)
    # ... is not there: the failed load rolled back as a whole.
    assert not m.Participation.objects.filter(**wanted).exists()


def test_seed_command_reports_counts(capsys):
    call_command("seed")
    out = capsys.readouterr().out
    assert "Loaded the curated fixtures in" in out
    assert "participations: 0 created, 807 already there" in out


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (m.Process, m.Participant, m.Participation, m.Citation, m.Event, m.ProcessAccount)
    }


def test_every_seeded_record_has_its_fixture_key():
    keyed = set(
        m.SeedKey.objects.filter(key__startswith="registry.participation:").values_list(
            "object_id", flat=True
        )
    )
    assert keyed == set(m.Participation.objects.values_list("pk", flat=True))
    assert (
        m.SeedKey.objects.filter(key__startswith="registry.citation:").count() == m.Citation.objects.count()
    )


def test_seed_keys_keep_the_names_records_were_first_seeded_under():
    """ "Account" was "snapshot" until migration 0007: a database seeded before it keeps its keys."""
    keys = m.SeedKey.objects.filter(key__startswith="registry.processsnapshot:")
    assert keys.count() == m.ProcessAccount.objects.count() == 28
    as_account = Store.seed_key(m.Participation, ("account_id", "role"), (3, "member"))
    assert as_account == Store.seed_key(m.Participation, ("snapshot_id", "role"), (3, "member"))
    assert Store.seed_key(m.ProcessAccount, ("process_id",), (1,)).startswith("registry.processsnapshot:")


@pytest.mark.parametrize(("model", "slug"), [(m.Participant, "chile"), (m.Process, "mtm")])
def test_a_record_a_curator_renamed_is_recognized_not_duplicated(model, slug):
    record = model.objects.get(slug=slug)
    record.slug = f"{slug}-renamed"
    record.save()
    before = counts()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert counts() == before and sum(report.created.values()) == 0
    assert model.objects.get(pk=record.pk).slug == f"{slug}-renamed"  # the curator's edit is kept
    assert any(
        f"slug is '{slug}-renamed' in the database, '{slug}' in the fixtures" in c for c in report.conflicts
    )


def test_a_database_seeded_before_the_keys_finds_renamed_records_in_the_history():
    m.SeedKey.objects.all().delete()
    process = m.Process.objects.get(slug="mtm")
    process.slug = "mtm-renamed"
    process.save()
    before = counts()
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert counts() == before and sum(report.created.values()) == 0
    assert m.SeedKey.objects.filter(object_id=process.pk, key__startswith="registry.process:").exists()


def test_export_import_then_seed_brings_back_nothing_deleted_nor_renamed(tmp_path, keep_id_sequences):
    from tests.helpers import empty_the_registry

    for row in m.Participation.objects.filter(process__slug="midsa").order_by("pk")[:2]:
        row.delete()
    m.Event.objects.order_by("pk").first().delete()
    chile = m.Participant.objects.get(slug="chile")
    chile.slug = "chile-renamed"
    chile.save()
    before = counts()
    path = tmp_path / "registry.json"
    call_command("export", "--format", "json", "--output", str(path))
    empty_the_registry()
    call_command("import", str(path))
    assert counts() == before
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert counts() == before and sum(report.created.values()) == 0
    assert len(report.skipped_deleted) == 3


@pytest.mark.live
def test_make_run_still_starts_after_a_rename_through_the_api(live_registry):
    """The issue as reported: PATCH a slug through the API, then seed (make run and make
    serve-prod seed first) on the server's database."""
    session = live_registry.session(live_registry.curator_token)
    answer = session.patch(f"{live_registry.url}/api/participants/chile/", json={"slug": "chile-renamed"})
    assert answer.status_code == 200, answer.text
    result = live_registry.manage("seed", check=False)
    assert result.returncode == 0, result.stderr
    assert "0 created" in result.stdout and "created, " in result.stdout
    assert " 1 created" not in result.stdout
    assert session.get(f"{live_registry.url}/api/participants/?q=chile").json()["count"] == 1
