"""CSV/JSON import and export of the main tables through the admin."""

import csv
import io
import json

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import models as m
from registry.resources import ParticipationResource, SafeCSV

pytestmark = pytest.mark.django_db

HEADER = "id,process,participant,role,start,end,source,status_note,suspended,counted_in_total,citations\n"


def upload(client, model, content, name="participations.csv", fmt="0"):
    data = {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content.encode("utf-8"))}
    return client.post(reverse(f"admin:registry_{model}_import"), data)


def confirm(client, model, response):
    form = response.context["confirm_form"]
    return client.post(reverse(f"admin:registry_{model}_process_import"), dict(form.initial))


def test_import_previews_then_applies_with_history_and_citations(client, curator):
    content = HEADER + (
        ",rcm,jamaica,observer,2010,,,Joined as observer,0,0,"
        "SCPF/30: Annex II (example) | MC/INF/266: para. 6\n"
        ",rcm,argentina,observer,2010-05,2012,,,0,0,\n"
    )
    preview = upload(client, "participation", content)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert not m.Participation.objects.filter(
        process__slug="rcm", participant__slug="jamaica", account=None
    ).exists()

    assert confirm(client, "participation", preview).status_code == 302
    jamaica = m.Participation.objects.get(process__slug="rcm", participant__slug="jamaica", account=None)
    assert (jamaica.start.isoformat(), jamaica.start_precision) == ("2010-01-01", "year")
    assert {(c.source.symbol, c.locator) for c in jamaica.citations.all()} == {
        ("SCPF/30", "Annex II (example)"),
        ("MC/INF/266", "para. 6"),
    }
    record = jamaica.history.latest()
    assert (
        record.history_user == curator and record.history_change_reason == "Imported from participations.csv"
    )
    argentina = m.Participation.objects.get(process__slug="rcm", participant__slug="argentina", account=None)
    assert argentina.period_display == "May 2010\u20132012"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",rcm,jamaica,observer,2012,2010,,,0,0,\n", "cannot be before its start"),
        (",rcm,atlantis,observer,,,,,0,0,\n", "atlantis"),
        (",rcm,jamaica,emperor,,,,,0,0,\n", "emperor"),
        (",rcm,jamaica,observer,April 2010,,,,0,0,\n", "April 2010&#x27;: Enter a year (2009)"),
        (",rcm,jamaica,observer,,,SCPF/99,,0,0,\n", "SCPF/99"),
        (",rcm,jamaica,observer,,,,,0,0,Annex II without a source\n", "SYMBOL: locator"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_imported(client, curator, row, message):
    before = m.Participation.objects.count()
    good = ",rcm,argentina,observer,2010,,,,0,0,\n"
    response = upload(client, "participation", HEADER + good + row)
    result = response.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert message in response.content.decode()
    assert m.Participation.objects.count() == before


def test_an_import_never_half_applies():
    """Two identical rows: the second breaks the no-duplicate rule after the first was saved."""
    before = m.Participation.objects.count()
    dataset = tablib.Dataset(headers=["id", "process", "participant", "role", "start"])
    dataset.append(["", "rcm", "jamaica", "observer", "2010"])
    dataset.append(["", "rcm", "jamaica", "observer", "2010"])
    result = ParticipationResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert result.has_validation_errors() or result.has_errors()
    assert m.Participation.objects.count() == before


def test_json_import_of_processes(client, curator):
    rows = [
        {
            "slug": "rabat-process",
            "name": "Euro-African Dialogue on Migration and Development",
            "short_name": "Rabat Process",
            "kind": "interregional",
            "status": "active",
            "status_note": "",
            "citations": "",
        }
    ]
    preview = upload(client, "process", json.dumps(rows), name="processes.json", fmt="1")
    assert not preview.context["result"].has_validation_errors()
    assert confirm(client, "process", preview).status_code == 302
    assert m.Process.objects.get(slug="rabat-process").short_name == "Rabat Process"


def export(client, model, fmt="0"):
    page = client.get(reverse(f"admin:registry_{model}_export"))
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    data.update({"format": fmt, "resource": "0"})
    return client.post(reverse(f"admin:registry_{model}_export"), data)


def test_export_participations_as_csv(client, curator):
    response = export(client, "participation")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == m.Participation.objects.count()
    montenegro = next(
        r for r in rows if r["participant"] == "montenegro" and r["process"] == "budapest-process"
    )
    assert montenegro["source"] == "SCPF/30" and montenegro["role"] == "member"
    assert montenegro["citations"] == "SCPF/30: Annex II, row 'Budapest Process', column 'Governments'"


def test_export_participants_as_json(client, curator):
    response = export(client, "participant", fmt="1")
    rows = json.loads(response.content)
    assert {"slug": "eswatini", "iso_code": "SZ"}.items() <= next(
        r for r in rows if r["slug"] == "eswatini"
    ).items()


def test_exported_csv_cannot_carry_a_formula(client, curator):
    rcm = m.Process.objects.get(slug="rcm")
    rcm.status_note = '=HYPERLINK("http://example.invalid","x")'
    rcm.save()
    response = export(client, "process")
    row = next(r for r in csv.DictReader(io.StringIO(response.content.decode())) if r["slug"] == "rcm")
    assert row["status_note"] == "'" + rcm.status_note
    assert [SafeCSV.escape(v) for v in ("+1", "@SUM(A1)", "-2", "ok", 3)] == [
        "'+1",
        "'@SUM(A1)",
        "'-2",
        "ok",
        3,
    ]
