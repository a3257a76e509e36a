"""The registry's tables as exported: which models, in which order (every table after the tables
it refers to), their columns, and their rows, as of a date or complete.

Rows keep the registry's ids, the identifiers the API and the pages use, so that references
between tables are plain ids and an export read back into an empty database is the same
registry. A foreign key is the column `<field>_id`; a many-to-many relation is a table of pairs;
a citation names its fact by table and id.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .. import models as m

# 2: the aliases' `display` and the participants' `name_language` (names in each language).
# 3: the table seed_keys (which record each fixture entry became: see models.SeedKey).
# 4: "account" for what a source says of a process: process_accounts and account_id (were
#    process_snapshots and snapshot_id).
# 5: the sources' `kind` and `web_address` (sources of any kind, not only IOM papers), and their
#    stored copy: its file name in MEDIA_ROOT (the file is not in the export), SHA-256, size, type.
# 6: how processes change shape: the tables status_periods (status over time) and successions,
#    and the process aliases' period (start, end and their precisions: names over time).
# 7: which role lists each account states, complete or partial (stated_lists), and the departures
#    sources state (departures). An older export's accounts state every list, complete.
SCHEMA_VERSION = 7
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7)  # an older file gets the newer columns' defaults and tables empty
CHUNK_SIZE = 2000  # rows read from the database at a time: what an export holds in memory


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]

    @property
    def columns(self) -> list[str]:
        return [field.attname for field in self.model._meta.concrete_fields]


@dataclass(frozen=True)
class PairTable:
    """The pairs of a many-to-many field (its through table)."""

    name: str
    model: type[models.Model]
    field: str

    @property
    def through(self):
        return self.model._meta.get_field(self.field).remote_field.through

    @property
    def columns(self) -> list[str]:
        return [f.attname for f in self.through._meta.concrete_fields if f.is_relation]


TABLES = [
    Table("sources", m.SourceDocument),
    Table("regions", m.Region),
    Table("processes", m.Process),
    Table("process_aliases", m.ProcessAlias),
    Table("status_periods", m.StatusPeriod),
    Table("successions", m.Succession),
    Table("participants", m.Participant),
    Table("participant_aliases", m.ParticipantAlias),
    Table("process_accounts", m.ProcessAccount),
    Table("stated_lists", m.StatedList),
    Table("stated_totals", m.StatedTotal),
    Table("priorities", m.Priority),
    Table("working_groups", m.WorkingGroup),
    Table("phases", m.Phase),
    Table("participations", m.Participation),
    Table("departures", m.Departure),
    Table("iom_offices", m.IomOffice),
    Table("iom_office_aliases", m.IomOfficeAlias),
    Table("iom_roles", m.IomRole),
    PairTable("iom_role_offices", m.IomRole, "offices"),
    Table("events", m.Event),
    PairTable("event_organizers", m.Event, "organizers"),
    Table("regional_groupings", m.RegionalGrouping),
    # So that an import followed by `manage.py seed` neither duplicates what curators renamed nor
    # brings back what they deleted.
    Table("seed_keys", m.SeedKey),
]
TABLE_OF_MODEL = {
    table.model: table.name for table in TABLES if isinstance(table, Table) and table.model is not m.SeedKey
}
CITATION_COLUMNS = ["id", "table", "fact_id", "source_id", "locator", "quote"]


def queryset(table, as_of: date | None):
    """The rows of a table, in id order; as of a date, only the facts valid then: the
    participations by the registry's "as of" rule, the IOM roles of the account in force, the
    events that had started (undated ones are kept)."""
    if isinstance(table, PairTable):
        rows = table.through.objects.order_by(*table.columns)
        if as_of is not None and table.model is m.Event:
            rows = rows.filter(event__in=queryset(TABLES_BY_NAME["events"], as_of))
        return rows
    rows = table.model._base_manager.order_by("pk")
    if as_of is None:
        return rows
    if table.model is m.Participation:
        return m.Participation.objects.as_of(as_of).order_by("pk")
    if table.model is m.IomRole:
        return m.IomRole.objects.as_of(as_of).order_by("pk")
    if table.model is m.Event:
        return rows.filter(models.Q(start__isnull=True) | models.Q(start__lte=as_of))
    return rows


TABLES_BY_NAME = {table.name: table for table in TABLES}


def rows(table, as_of: date | None = None):
    """The table's rows as lists of JSON values (dates as ISO strings), streamed."""
    columns = table.columns
    for values in queryset(table, as_of).values_list(*columns).iterator(chunk_size=CHUNK_SIZE):
        yield [value.isoformat() if isinstance(value, date) else value for value in values]


def citation_rows(as_of: date | None = None):
    """Every citation as [id, table, fact id, source id, locator, quote], by id; as of a date,
    only those of the facts exported."""
    types = ContentType.objects.get_for_models(*TABLE_OF_MODEL, for_concrete_models=False)
    table_of_type = {content_type.pk: TABLE_OF_MODEL[model] for model, content_type in types.items()}
    citations = m.Citation.objects.order_by("pk")
    if as_of is not None:
        kept = models.Q()
        for model, content_type in types.items():
            facts = queryset(TABLES_BY_NAME[TABLE_OF_MODEL[model]], as_of).values("pk")
            kept |= models.Q(content_type=content_type, object_id__in=facts)
        citations = citations.filter(kept)
    columns = ("pk", "content_type_id", "object_id", "source_id", "locator", "quote")
    for pk, type_id, fact_id, source_id, locator, quote in citations.values_list(*columns).iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield [pk, table_of_type[type_id], fact_id, source_id, locator, quote]


def sections(as_of: date | None = None):
    """(name, columns, rows) of every table, then of the citations: what an export holds."""
    for table in TABLES:
        yield table.name, table.columns, rows(table, as_of)
    yield "citations", CITATION_COLUMNS, citation_rows(as_of)
