"""An export file checked before anything of it is written: its shape, every row with the models'
own validation (types, choices, lengths, validators, check constraints), ids, and references
between tables. Each problem names the table, the row's id (or position) and the field.

What needs the rows in the database (unique constraints, foreign keys) the database checks as the
importer loads them, inside a transaction it rolls back on the first refusal
(importer.import_document). The rules a curator's edit must follow against other rows (clean():
overlapping participations) are not applied: an export holds the registry as it was, seeded
facts included, which those rules never governed."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from .. import models as m
from .tables import CITATION_COLUMNS, TABLE_OF_MODEL, TABLES, PairTable, Table

MAX_ID = 2**63 - 1  # a 64-bit id (BigAutoField on SQLite and PostgreSQL)
MAX_PROBLEMS = 50  # reported at most: a file with more is reported as "… and N more"


class Problems(list):
    def add(self, table: str, where: str, field: str, message):
        """where: "id 12" (a row with a valid id) or "row 3" (its position in the file)."""
        self.append(f"{table}, {where}, {field}: {message}")


def where(row, position) -> str:
    return f"id {row[0]}" if isinstance(row, list) and row and is_id(row[0]) else f"row {position}"


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(text) for e in errors for text in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(text) for text in error.messages]}


def check_rows(name: str, columns: list[str], rows) -> list[list]:
    """The rows that have the table's shape; the others are reported."""
    problems = Problems()
    if not isinstance(rows, list):
        problems.add(name, "all rows", "rows", "not a list")
        raise InvalidExport(problems)
    shaped = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            size = len(row) if isinstance(row, list) else type(row).__name__
            problems.add(name, f"row {position}", "-", f"{size} values where {len(columns)} columns are")
        else:
            shaped.append(row)
    if problems:
        raise InvalidExport(problems)
    return shaped


class InvalidExport(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        super().__init__("\n".join(shown + ([f"… and {more} more"] if more > 0 else [])))


def validate(tables: dict) -> None:
    """Raises InvalidExport listing every problem found; returns when the file may be loaded."""
    problems = Problems()
    ids: dict[type[models.Model], set[int]] = {}
    for table in TABLES:
        given = tables[table.name]
        rows = check_rows(table.name, given["columns"], given.get("rows"))
        if isinstance(table, PairTable):
            continue
        ids[table.model] = _check_ids(table.name, rows, problems)
    for table in TABLES:
        rows = tables[table.name]["rows"]
        if isinstance(table, PairTable):
            _check_pairs(table, rows, ids, problems)
        else:
            _check_records(table, rows, ids, problems)
    _check_citations(
        check_rows("citations", CITATION_COLUMNS, tables["citations"].get("rows")), ids, problems
    )
    if problems:
        raise InvalidExport(problems)


def _check_ids(name, rows, problems) -> set[int]:
    seen = set()
    for position, row in enumerate(rows, start=1):
        key = row[0]
        if not is_id(key):
            problems.add(name, f"row {position}", "id", f"{key!r} is not a whole number from 1 to {MAX_ID}")
        elif key in seen:
            problems.add(name, f"id {key}", "id", "appears twice")
        else:
            seen.add(key)
    return seen


def _references(model):
    """(column, referenced model, nullable) of each foreign key."""
    return [
        (f.attname, f.related_model._meta.concrete_model, f.null)
        for f in model._meta.concrete_fields
        if f.is_relation
    ]


def _check_records(table: Table, rows, ids, problems):
    model = table.model
    references = _references(model)
    foreign_names = [f.name for f in model._meta.concrete_fields if f.is_relation]
    checks = [c for c in model._meta.constraints if isinstance(c, models.CheckConstraint)]
    columns = table.columns
    for position, row in enumerate(rows, start=1):
        key = where(row, position)
        values = dict(zip(columns, row, strict=True))
        for column, target, nullable in references:
            value = values[column]
            if value is None:
                if not nullable:
                    problems.add(table.name, key, column, "is required")
            elif not is_id(value) or value not in ids.get(target, set()):
                problems.add(table.name, key, column, f"refers to {value!r}, which is not in the file")
        try:
            instance = model(**values)
            # Field by field (types, choices, lengths, validators) and the check constraints; the
            # foreign keys were checked against the file above (their rows are not stored yet).
            instance.clean_fields(exclude=foreign_names)
            for constraint in checks:
                constraint.validate(model, instance, exclude=set(foreign_names))
        except ValidationError as error:
            for field, texts in messages(error).items():
                for text in texts:
                    problems.add(table.name, key, "record" if field == NON_FIELD_ERRORS else field, text)
        except (TypeError, ValueError, OverflowError) as error:
            problems.add(table.name, key, "-", f"unreadable values ({error})")


def _check_pairs(table: PairTable, rows, ids, problems):
    through = table.through
    seen = set()
    for position, row in enumerate(rows, start=1):
        values = dict(zip(table.columns, row, strict=True))
        for column, target, _nullable in _references(through):
            value = values[column]
            if not is_id(value) or value not in ids.get(target, set()):
                problems.add(
                    table.name, f"row {position}", column, f"refers to {value!r}, which is not in the file"
                )
        pair = tuple(row)
        if pair in seen:
            problems.add(table.name, f"row {position}", "-", "the same pair appears twice")
        seen.add(pair)


def _check_citations(rows, ids, problems):
    model_of_table = {name: model for model, name in TABLE_OF_MODEL.items()}
    seen = set()
    for position, (key, table, fact_id, source_id, locator, quote) in enumerate(rows, start=1):
        at = f"id {key}" if is_id(key) else f"row {position}"
        if not is_id(key) or key in seen:
            problems.add("citations", f"row {position}", "id", f"{key!r} is not a new whole number")
        seen.add(key)
        model = model_of_table.get(table)
        if model is None:
            problems.add("citations", at, "table", f"{table!r} is no table of facts")
        elif not is_id(fact_id) or fact_id not in ids.get(model._meta.concrete_model, set()):
            problems.add("citations", at, "fact_id", f"{table} {fact_id!r} is not in the file")
        if not is_id(source_id) or source_id not in ids.get(m.SourceDocument, set()):
            problems.add(
                "citations", where, "source_id", f"refers to {source_id!r}, which is not in the file"
            )
        if not isinstance(locator, str) or not locator.strip():
            problems.add("citations", at, "locator", "a citation needs a locator (text)")
        if not isinstance(quote, str):
            problems.add("citations", at, "quote", "must be text")
