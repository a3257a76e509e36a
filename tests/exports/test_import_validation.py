"""`manage.py import` validates a file before writing anything: every bad row is reported with its
table, id and field, the command exits non-zero without a traceback, and nothing is written.
Hypothesis feeds it malformed files made from a real export."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import models as m
from registry.exports.formats import json_document
from registry.exports.importer import ImportError_, import_document
from registry.exports.validation import InvalidExport
from tests.helpers import empty_the_registry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_id_sequences")]
_SMALL = {}


def small_export() -> dict:
    """A consistent export of part of the registry (MIDSA and the records it needs): quick to
    validate, every kind of table and reference present."""
    if "document" not in _SMALL:
        m.RegionalGrouping.objects.all().delete()
        m.Process.objects.exclude(slug__in=["midsa", "bali-process"]).delete()
        _SMALL["document"] = json.loads("".join(json_document()))
    return copy.deepcopy(_SMALL["document"])


@pytest.fixture
def document():
    document = small_export()
    empty_the_registry()
    return document


def row_of(document, table, **where):
    columns = document["tables"][table]["columns"]
    for row in document["tables"][table]["rows"]:
        values = dict(zip(columns, row, strict=True))
        if all(values[k] == v for k, v in where.items()):
            return row, columns
    raise LookupError(where)


def set_value(document, table, column, value, **where):
    row, columns = row_of(document, table, **where)
    row[columns.index(column)] = value
    return row[0]


def import_fails(tmp_path, document) -> str:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("import", str(path))
    assert not m.Process.objects.exists() and not m.Participant.objects.exists()  # nothing written
    return str(failure.value)


def test_the_small_export_itself_imports(document):
    assert import_document(io.BytesIO(json.dumps(document).encode())).written
    assert m.Process.objects.count() == 2


@pytest.mark.parametrize(
    ("table", "column", "value", "where", "expected"),
    [
        ("processes", "slug", "../../etc passwd <script>", {"slug": "midsa"}, "processes, id {id}, slug: "),
        ("participations", "start_precision", "century", {}, "participations, id {id}, start_precision: "),
        ("participations", "role", "emperor", {}, "participations, id {id}, role: "),
        ("participants", "iso_code", "QQ", {"slug": "chile"}, "participants, id {id}, iso_code: "),
        ("processes", "kind", "imaginary", {"slug": "midsa"}, "processes, id {id}, kind: "),
        ("sources", "copy", False, {"symbol": "SCPF/30"}, "sources, id {id}, copy: "),  # was a traceback
        (
            "participations",
            "process_id",
            999_999,
            {},
            "participations, id {id}, process_id: refers to 999999",
        ),
        (
            "participations",
            "participant_id",
            "chile",
            {},
            "participations, id {id}, participant_id: refers to",
        ),
    ],
)
def test_a_bad_value_is_reported_by_table_id_and_field(
    tmp_path, document, table, column, value, where, expected
):
    row_id = set_value(document, table, column, value, **where)
    assert expected.format(id=row_id) in import_fails(tmp_path, document)


def test_an_end_before_its_start_is_reported(tmp_path, document):
    row, columns = row_of(document, "participations")
    row[columns.index("start")], row[columns.index("start_precision")] = "2005-01-01", "day"
    row[columns.index("end")], row[columns.index("end_precision")] = "2001-01-01", "day"
    assert f"participations, id {row[0]}, record: " in import_fails(tmp_path, document)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda rows: rows[0].__setitem__(0, "12"), "processes, row 1, id: '12' is not a whole number"),
        (lambda rows: rows[0].__setitem__(0, 2**70), "is not a whole number from 1 to"),
        (lambda rows: rows.append(list(rows[0])), "id {id}, id: appears twice"),
        (lambda rows: rows[0].pop(), "processes, row 1, -: "),
        (lambda rows: rows.__setitem__(0, "not a row"), "processes, row 1, -: str values"),
    ],
)
def test_ids_and_row_shapes_are_checked(tmp_path, document, mutate, expected):
    rows = document["tables"]["processes"]["rows"]
    first_id = rows[0][0]
    mutate(rows)
    assert expected.format(id=first_id) in import_fails(tmp_path, document)


def test_a_citation_of_a_fact_that_does_not_exist_is_reported(tmp_path, document):
    citation = document["tables"]["citations"]["rows"][0]
    citation[2] = 987_654
    assert f"citations, id {citation[0]}, fact_id: " in import_fails(tmp_path, document)


def test_a_dangling_pair_is_reported(tmp_path, document):
    document["tables"]["iom_role_offices"]["rows"].append([123_456, 654_321])
    message = import_fails(tmp_path, document)
    assert "iom_role_offices, row" in message and "refers to 123456" in message


def test_deep_nesting_is_not_a_traceback(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nested deeper"):
        call_command("import", str(path))


def test_a_duplicate_slug_is_refused_by_the_database_and_nothing_is_written(tmp_path, document):
    rows = document["tables"]["processes"]["rows"]
    slug = document["tables"]["processes"]["columns"].index("slug")
    rows[1][slug] = rows[0][slug]
    assert "processes: the database refused the rows" in import_fails(tmp_path, document)


HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "2009-13-45", "century", "../../x", "<script>", "0", "XK", "member"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
TABLES = [
    "sources",
    "processes",
    "participants",
    "process_accounts",
    "participations",
    "iom_roles",
    "iom_role_offices",
    "events",
    "citations",
    "seed_keys",
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # naive datetimes in generated values
@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_files_are_reported_never_a_traceback_and_nothing_is_half_written(data):
    document = small_export()
    if m.Process.objects.exists() or m.Participant.objects.exists():
        empty_the_registry()
    table = data.draw(st.sampled_from(TABLES))
    rows = document["tables"][table]["rows"]
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
        action = data.draw(st.sampled_from(["value", "value", "value", "drop", "duplicate", "shorten"]))
        if action == "value":
            rows[index][data.draw(st.integers(0, len(rows[index]) - 1))] = data.draw(HOSTILE)
        elif action == "drop":
            rows.pop(index)
        elif action == "duplicate":
            rows.append(copy.deepcopy(rows[index]))
        else:
            rows[index] = rows[index][:-1]
        if not rows:
            break
    try:
        report = import_document(io.BytesIO(json.dumps(document).encode()))
    except (InvalidExport, ImportError_) as error:
        assert str(error)
        assert not m.Process.objects.exists() and not m.Citation.objects.exists()
    else:
        assert report.written  # a harmless change (e.g. a dropped alias): all of it loaded
