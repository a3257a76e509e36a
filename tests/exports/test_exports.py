"""Open data (registry/exports/): the JSON document, the CSV zip and Popolo JSON, complete or as
of a date; the JSON read back (export, import, export is byte-identical); conflicts reported
instead of overwritten; exports streamed; /api/export/."""

import csv
import io
import json
import tracemalloc
import zipfile
from datetime import date

import jsonschema
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry import models as m
from registry.choices import Role
from registry.exports import tables
from registry.exports.formats import csv_zip, json_document
from registry.exports.importer import ImportError_, import_document
from registry.exports.popolo import popolo_document
from registry.exports.tables import TABLES
from tests.helpers import empty_the_registry

from .popolo.schemas import MEMBERSHIP, ORGANIZATION

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_id_sequences")]
DAY = date(2026, 11, 23)


def export(as_of=None) -> bytes:
    return "".join(json_document(as_of, made_on=DAY)).encode()


def test_the_json_document_is_stable_and_names_its_sources():
    first = export()
    assert first == export()
    document = json.loads(first)
    assert document["schema_version"] == 7 and document["made_on"] == "2026-11-23"
    assert any(source.startswith("SCPF/30:") for source in document["sources"])
    participations = document["tables"]["participations"]
    assert len(participations["rows"]) == m.Participation.objects.count()
    ids = [row[0] for row in participations["rows"]]
    assert ids == sorted(ids)
    citations = document["tables"]["citations"]
    assert len(citations["rows"]) == m.Citation.objects.count()
    assert {row[1] for row in citations["rows"]} <= {table.name for table in TABLES}


def test_export_import_export_is_byte_identical():
    before = export()
    empty_the_registry()
    report = import_document(io.BytesIO(before))
    assert (
        report.written
        and report.loaded["participations"]
        == json.loads(before)["tables"]["participations"]["rows"].__len__()
    )
    assert export() == before
    latest = m.Process.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Imported from the export made on 2026-11-23"
    # The ids go on after the imported ones (PostgreSQL's sequences are reset).
    process = m.Process.objects.create(
        slug="new-one", name="New", short_name="New", kind="thematic", status="active"
    )
    assert process.pk > max(m.Process.objects.exclude(pk=process.pk).values_list("pk", flat=True))


def test_an_export_of_schema_version_1_is_read_with_the_new_columns_defaults():
    """Version 2 added the aliases' `display` and the participants' `name_language`."""
    document = json.loads(export())
    for name, column in [
        ("process_aliases", "display"),
        ("participant_aliases", "display"),
        ("iom_office_aliases", "display"),
        ("participants", "name_language"),
    ]:
        table = document["tables"][name]
        index = table["columns"].index(column)
        table["columns"].pop(index)
        for row in table["rows"]:
            row.pop(index)
    document["schema_version"] = 1
    empty_the_registry()
    assert import_document(io.BytesIO(json.dumps(document).encode())).written
    assert not m.ProcessAlias.objects.exclude(display="").exists()  # the defaults: shown nowhere
    assert set(m.Participant.objects.values_list("name_language", flat=True)) == {"en"}
    assert m.Participation.objects.count() == len(document["tables"]["participations"]["rows"])


def test_an_export_of_schema_version_3_names_accounts_snapshots_and_is_read_the_same():
    """Version 4 renamed process_snapshots to process_accounts and snapshot_id to account_id."""
    original = export()
    document = json.loads(original)
    tables = document["tables"]
    tables["process_snapshots"] = tables.pop("process_accounts")
    for table in tables.values():
        table["columns"] = ["snapshot_id" if c == "account_id" else c for c in table["columns"]]
    at = tables["citations"]["columns"].index("table")
    renamed = [row for row in tables["citations"]["rows"] if row[at] == "process_accounts"]
    for row in renamed:
        row[at] = "process_snapshots"
    assert renamed and "snapshot_id" in tables["participations"]["columns"]
    document["schema_version"] = 3
    empty_the_registry()
    assert import_document(io.BytesIO(json.dumps(document).encode())).written
    assert export() == original


def test_an_export_of_schema_version_6_states_every_list_of_its_accounts_complete():
    """Version 7 added stated_lists and departures: before, an account superseded every list."""
    original = export()
    document = json.loads(original)
    del document["tables"]["stated_lists"], document["tables"]["departures"]
    document["schema_version"] = 6
    empty_the_registry()
    assert import_document(io.BytesIO(json.dumps(document).encode())).written
    assert m.StatedList.objects.count() == m.ProcessAccount.objects.count() * len(Role.values)
    assert not m.StatedList.objects.filter(complete=False).exists()

    def lists(document):  # (account, role, complete): an older export's rows are numbered anew
        return sorted(row[1:] for row in json.loads(document)["tables"]["stated_lists"]["rows"])

    assert lists(export()) == lists(original)


def test_importing_into_a_registry_reports_conflicts_and_writes_nothing(capsys, tmp_path):
    document = json.loads(export())
    midsa = m.Process.objects.get(slug="midsa")
    midsa.name = "Renamed since the export"
    midsa.save()
    m.Participation.objects.filter(process=midsa).first().delete()
    report = import_document(io.BytesIO(json.dumps(document).encode()))
    assert not report.written
    assert f"processes {midsa.pk}: name differ" in report.conflicts
    assert report.missing == {"participations": 1, "citations": report.missing["citations"]}
    assert m.Process.objects.get(slug="midsa").name == "Renamed since the export"
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="1 conflicts: nothing was written"):
        call_command("import", str(path))
    assert "processes" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not json", "Not JSON"),
        (b'{"schema_version": 99}', "schema version 1 or 2"),
        (b"[]", "schema version 1 or 2"),
    ],
)
def test_import_rejects_what_is_not_an_export(content, message):
    with pytest.raises(ImportError_, match=message):
        import_document(io.BytesIO(content))


def test_an_export_as_of_a_date_keeps_the_facts_valid_then():
    day = date(2003, 12, 31)
    document = json.loads(export(day))
    assert document["as_of"] == "2003-12-31"
    ids = {row[0] for row in document["tables"]["participations"]["rows"]}
    assert ids == set(m.Participation.objects.as_of(day).values_list("pk", flat=True))
    assert len(ids) < m.Participation.objects.count()
    cited = {row[2] for row in document["tables"]["citations"]["rows"] if row[1] == "participations"}
    assert cited <= ids and cited
    assert len(document["tables"]["processes"]["rows"]) == m.Process.objects.count()


def test_the_csv_zip_has_a_table_a_file_with_the_json_rows():
    archive = zipfile.ZipFile(io.BytesIO(b"".join(csv_zip(made_on=DAY))))
    document = json.loads(export())
    assert json.loads(archive.read("README.json"))["made_on"] == "2026-11-23"
    for name, table in document["tables"].items():
        text = archive.read(f"{name}.csv").decode("utf-8")
        assert "\r\n" in text or not table["rows"]
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == table["columns"] and len(rows) == len(table["rows"]) + 1
    names = [row[2] for row in csv.reader(io.StringIO(archive.read("participants.csv").decode()))]
    assert "Côte d'Ivoire" in names


def test_the_popolo_export_has_popolo_shapes():
    document = json.loads(
        "".join(popolo_document(date(2009, 4, 30), made_on=DAY, base_url="https://rcp.example.org"))
    )
    checker = jsonschema.Draft7Validator
    for organization in document["organizations"]:
        checker(ORGANIZATION).validate(organization)
    for membership in document["memberships"]:
        checker(MEMBERSHIP).validate(membership)
    ids = {organization["id"] for organization in document["organizations"]}
    assert all(ms["organization_id"] in ids and ms["member"]["id"] in ids for ms in document["memberships"])
    australia = next(o for o in document["organizations"] if o["id"] == "state/australia")
    assert {"scheme": "ISO 3166-1 alpha-2", "identifier": "AU"} in australia["identifiers"]
    bali = [ms for ms in document["memberships"] if ms["organization_id"] == "process/bali-process"]
    assert any(ms["member"]["id"] == "state/australia" and ms["role"] == "member" for ms in bali)
    assert all(ms["sources"][0]["url"].startswith("https://rcp.example.org/sources/") for ms in bali)
    assert len(document["memberships"]) == m.Participation.objects.as_of(date(2009, 4, 30)).count()


def peak_memory(chunks) -> tuple[int, int]:
    tracemalloc.start()
    size = sum(len(chunk) for chunk in chunks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return size, peak


def test_exports_stream_whatever_the_size(monkeypatch):
    # An export holds one chunk of rows at a time; small chunks make the measure independent
    # of the rows' length. (At 100x, 25.6 MB of JSON peaked at 3.7 MB with chunks of 2,000.)
    monkeypatch.setattr(tables, "CHUNK_SIZE", 100)
    call_command("synthesize", factor=1, stdout=io.StringIO())
    "".join(json_document())  # the first run's one-time costs (imports, caches) are not measured
    small_size, small_peak = peak_memory(json_document())
    call_command("synthesize", factor=4, seed=7, stdout=io.StringIO())
    large_size, large_peak = peak_memory(json_document())
    assert large_size > 2 * small_size
    # Never the document in memory: a fraction of it, at any size.
    assert small_peak < small_size / 4 and large_peak < large_size / 4


def test_the_api_offers_the_downloads(client):
    index = client.get("/api/export/").json()
    assert set(index) == {"registry.json", "registry.zip", "popolo.json", "country-year.csv"}
    for name, offer in index.items():
        response = client.get(offer["url"] + "?as_of=2009-04")
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"].startswith(offer["content_type"])
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="rcp-{name.split(".")[0]}-2009-04-30.{name.split(".")[1]}"'
        )
        body = b"".join(response.streaming_content)
        if name.endswith(".zip"):
            assert body.startswith(b"PK")
        elif name.endswith(".csv"):
            assert body.startswith(b"year,as_of,process,")
        else:
            assert json.loads(body)
    bad = client.get("/api/export/registry.json?as_of=soon")
    assert bad.status_code == 400 and bad.json()["as_of"] == [INVALID_DATE]


def test_the_command_writes_each_format(tmp_path):
    for fmt in ("json", "csv", "popolo"):
        path = tmp_path / f"out.{fmt}"
        call_command("export", format=fmt, as_of="2009", output=str(path))
        assert path.stat().st_size > 10_000
    with pytest.raises(CommandError) as raised:
        call_command("export", as_of="someday", output=str(tmp_path / "x"))
    assert str(raised.value) == f"--as-of 'someday': {INVALID_DATE}"


INVALID_DATE = "Enter a year (2009), a month (2009-04) or a day (2009-04-17)."


def test_one_message_for_a_bad_date_in_every_interface(client):
    """The filter of pages and API, the API's fields and the export share the one parser."""
    api = client.get("/api/participations/?as_of=2009-02-30")
    assert api.status_code == 400 and api.json()["as_of"] == [INVALID_DATE]
    page = client.get("/en/processes/?as_of=2009-13").content.decode()
    assert INVALID_DATE in page
    report = client.get("/en/reports/changes/?to=2009-02-30").content.decode()
    assert f"to “2009-02-30”: {INVALID_DATE}" in report
