"""Read a JSON export (formats.json_document) back: into an empty database it loads every row
with its id, in one transaction, each with a history record ("Imported ..."); into a database
that already holds registry data it writes nothing and reports how the two differ."""

import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection, transaction

from .. import models as m
from ..choices import Role
from .tables import (
    CITATION_COLUMNS,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    TABLE_OF_MODEL,
    TABLES,
    PairTable,
    Table,
    sections,
)
from .validation import InvalidExport, validate

BATCH = 2000


class ImportError_(Exception):  # noqa: N801 (ImportError is Python's own)
    """The file is not an export this registry can read."""


@dataclass
class ImportReport:
    loaded: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)  # same id, other values
    missing: dict[str, int] = field(default_factory=dict)  # in the file, not in the database
    extra: dict[str, int] = field(default_factory=dict)  # in the database, not in the file

    @property
    def written(self) -> bool:
        return bool(self.loaded)

    def lines(self) -> list[str]:
        if self.written:
            return [f"{name}: {count} loaded" for name, count in self.loaded.items()]
        lines = ["The database already holds registry data: nothing was written."]
        lines += [f"conflict: {text}" for text in self.conflicts]
        lines += [
            f"{name}: {count} rows in the file are not in the database"
            for name, count in self.missing.items()
        ]
        lines += [
            f"{name}: {count} rows in the database are not in the file" for name, count in self.extra.items()
        ]
        if len(lines) == 1:
            lines.append("The file and the database hold the same rows.")
        return lines


def read(stream) -> dict:
    try:
        document = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportError_(f"Not JSON: {error}") from error
    except RecursionError:
        raise ImportError_("Not an export: JSON nested deeper than Python reads.") from None
    if not isinstance(document, dict) or document.get("schema_version") not in READABLE_VERSIONS:
        versions = " or ".join(str(v) for v in READABLE_VERSIONS)
        raise ImportError_(f"Not a registry export of schema version {versions}.")
    tables = document.get("tables")
    expected = {table.name: table.columns for table in TABLES} | {"citations": CITATION_COLUMNS}
    if document["schema_version"] < 4 and isinstance(tables, dict):
        _rename_snapshots_to_accounts(tables)
    if document["schema_version"] < 3 and isinstance(tables, dict):
        tables.setdefault("seed_keys", {"columns": expected["seed_keys"], "rows": []})
    if document["schema_version"] < 6 and isinstance(tables, dict):
        for name in ("status_periods", "successions"):
            tables.setdefault(name, {"columns": expected[name], "rows": []})
    if document["schema_version"] < 7 and isinstance(tables, dict):
        _state_every_list(tables, expected)
    if not isinstance(tables, dict) or set(tables) != set(expected):
        raise ImportError_(f"The export's tables are not {', '.join(expected)}.")
    if document["schema_version"] < SCHEMA_VERSION:
        _add_new_columns(tables)
    for name, columns in expected.items():
        if tables[name].get("columns") != columns:
            raise ImportError_(f"The columns of {name} are not {', '.join(columns)}.")
    return document


def _rename_snapshots_to_accounts(tables):
    """Schema 4 calls "account" what earlier exports called "snapshot" (see SCHEMA_VERSION)."""
    if "process_snapshots" in tables and "process_accounts" not in tables:
        tables["process_accounts"] = tables.pop("process_snapshots")
    for name, table in tables.items():
        if not isinstance(table, dict) or not isinstance(table.get("columns"), list):
            continue
        table["columns"] = ["account_id" if c == "snapshot_id" else c for c in table["columns"]]
        if name == "citations" and "table" in table["columns"] and isinstance(table.get("rows"), list):
            at = table["columns"].index("table")
            for row in table["rows"]:
                if isinstance(row, list) and len(row) > at and row[at] == "process_snapshots":
                    row[at] = "process_accounts"


def _state_every_list(tables, expected):
    """Before schema 7 an account superseded every list of the earlier ones: each states every
    role's list, complete (as migration 0021 did to the stored accounts)."""
    tables.setdefault("departures", {"columns": expected["departures"], "rows": []})
    accounts = tables.get("process_accounts")
    if "stated_lists" in tables or not isinstance(accounts, dict):
        return
    columns, rows = accounts.get("columns"), accounts.get("rows")
    if not isinstance(columns, list) or "id" not in columns or not isinstance(rows, list):
        return
    at = columns.index("id")
    ids = [row[at] for row in rows if isinstance(row, list) and len(row) > at]
    stated = [[None, account, role, True] for account in ids for role in Role.values]
    for number, row in enumerate(stated, start=1):
        row[0] = number
    tables["stated_lists"] = {"columns": ["id", "account_id", "role", "complete"], "rows": stated}


def _add_new_columns(tables):
    """An older export lacks the columns added since (see SCHEMA_VERSION): give each row their
    defaults. Any other difference of columns is left for read() to report."""
    for table in TABLES:
        given, expected = tables[table.name].get("columns"), table.columns
        if not isinstance(table, Table) or not isinstance(given, list) or given == expected:
            continue
        if [column for column in expected if column in given] != given:
            continue
        fields = {f.attname: f for f in table.model._meta.concrete_fields}
        added = [column for column in expected if column not in given]
        # A default, or "" for a text field that may be blank (Field.get_default() gives it).
        if not all(
            fields[c].has_default() or fields[c].null or (fields[c].blank and fields[c].empty_strings_allowed)
            for c in added
        ):
            continue
        defaults = {column: None if fields[column].null else fields[column].get_default() for column in added}
        position = {column: i for i, column in enumerate(given)}
        tables[table.name]["rows"] = [
            [row[position[c]] if c in position else defaults[c] for c in expected]
            for row in tables[table.name].get("rows", [])
        ]
        tables[table.name]["columns"] = expected


def import_document(stream) -> ImportReport:
    """Raises ImportError_ (the file is no export) or InvalidExport (rows that fail validation,
    each named); in either case nothing is written."""
    document = read(stream)
    tables = document["tables"]
    if any(table.model._base_manager.exists() for table in TABLES if isinstance(table, Table)):
        validate(tables)  # a comparison needs well-formed rows too
        return compare(tables)
    validate(tables)
    reason = f"Imported from the export made on {document.get('made_on')}"
    report = ImportReport()
    with transaction.atomic():
        m.RegistryVersion.bump()  # bulk writes send no signals
        loading = ""
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL can go on after a refused row
                for table in TABLES:
                    loading = table.name
                    report.loaded[table.name] = _load(table, tables[table.name]["rows"], reason)
                loading = "citations"
                report.loaded["citations"] = _load_citations(tables["citations"]["rows"], reason)
                connection.check_constraints()
        except (IntegrityError, DataError) as error:
            # Rules between rows (a slug or ISO code twice, duplicate facts): the database says which.
            raise InvalidExport([f"{loading}: the database refused the rows: {error}"]) from None
        _reset_sequences()
    return report


def _load(table, records, reason) -> int:
    columns = table.columns
    if isinstance(table, PairTable):
        through = table.through
        through.objects.bulk_create([through(**dict(zip(columns, r, strict=True))) for r in records], BATCH)
        return len(records)
    objects = [table.model(**dict(zip(columns, r, strict=True))) for r in records]
    if hasattr(table.model, "history"):
        m.bulk_create_recorded(objects, table.model, reason=reason, batch_size=BATCH)
    else:
        table.model._base_manager.bulk_create(objects, BATCH)
    return len(objects)


def _load_citations(records, reason) -> int:
    types = ContentType.objects.get_for_models(*TABLE_OF_MODEL, for_concrete_models=False)
    type_of_table = {TABLE_OF_MODEL[model]: content_type.pk for model, content_type in types.items()}
    citations = [
        m.Citation(
            id=pk,
            content_type_id=type_of_table[table],
            object_id=fact_id,
            source_id=source_id,
            locator=locator,
            quote=quote,
        )
        for pk, table, fact_id, source_id, locator, quote in records
    ]
    m.bulk_create_recorded(citations, m.Citation, reason=reason, batch_size=BATCH)
    return len(citations)


def _reset_sequences():
    """PostgreSQL's id sequences continue after the imported ids (SQLite needs nothing)."""
    models = [t.model for t in TABLES if isinstance(t, Table)] + [
        t.through for t in TABLES if isinstance(t, PairTable)
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), [*models, m.Citation])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def compare(tables) -> ImportReport:
    """How the file and the stored registry differ, row by row, by id (nothing is written)."""
    report = ImportReport()
    pair_tables = {t.name for t in TABLES if isinstance(t, PairTable)}
    for name, columns, stored_rows in sections():  # rows as JSON values, as in the file
        key = tuple if name in pair_tables else (lambda r: r[0])  # pairs have no id of their own
        stored = {key(r): r for r in stored_rows}
        given = {key(r): r for r in tables[name]["rows"]}
        for row_key, values in given.items():
            if row_key not in stored:
                report.missing[name] = report.missing.get(name, 0) + 1
            elif stored[row_key] != values:
                changed = [c for c, a, b in zip(columns, stored[row_key], values, strict=True) if a != b]
                report.conflicts.append(f"{name} {row_key}: {', '.join(changed)} differ")
        extra = len(set(stored) - set(given))
        if extra:
            report.extra[name] = extra
    return report
