"""The registry in the Popolo standard (https://www.popoloproject.com/): processes, states,
territories and organizations are Popolo organizations; each participation is a membership of a
state or organization in a process, with its role, partial start and end dates (YYYY, YYYY-MM or
YYYY-MM-DD, as precise as the source) and its sources."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min

from .. import models as m
from ..choices import NAME_KINDS, DatePrecision, ParticipantKind
from . import tables
from .formats import dumps, header
from .tables import TABLES_BY_NAME, queryset

LENGTH = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7, DatePrecision.DAY: 10}


def partial(value: date | None, precision: str) -> str | None:
    return value.isoformat()[: LENGTH.get(precision, 10)] if value else None


def participant_id(slug: str, kind: str) -> str:
    return f"{'organization' if kind == ParticipantKind.ORGANIZATION else 'state'}/{slug}"


class Sources:
    """Each fact's citations as Popolo sources ({"url", "note"}), read a model at a time."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.slugs = dict(m.SourceDocument.objects.values_list("pk", "slug"))
        self.symbols = dict(m.SourceDocument.objects.values_list("pk", "symbol"))

    def of(self, model, ids=None) -> dict[int, list[dict]]:
        citations = m.Citation.objects.filter(content_type=ContentType.objects.get_for_model(model))
        if ids is not None:
            citations = citations.filter(object_id__in=ids)
        found = defaultdict(list)
        rows = citations.order_by("object_id", "pk").values_list("object_id", "source_id", "locator")
        for fact_id, source_id, locator in rows.iterator(chunk_size=tables.CHUNK_SIZE):
            found[fact_id].append(
                {
                    "url": f"{self.base_url}/sources/{self.slugs[source_id]}/",
                    "note": f"{self.symbols[source_id]}, {locator}",
                }
            )
        return found


def organizations(as_of, sources: Sources) -> Iterator[dict]:
    aliases = defaultdict(list)
    for alias in m.ProcessAlias.objects.order_by("pk"):
        other = {"name": alias.name, "note": f"{alias.kind}, language {alias.language}"}
        if alias.start:  # a name over time (Popolo's other_name start_date/end_date)
            other["start_date"] = partial(alias.start, alias.start_precision)
        if alias.end:
            other["end_date"] = partial(alias.end, alias.end_precision)
        aliases[alias.process_id].append(other)
    founded = dict(
        m.ProcessAccount.objects.filter(year_established__isnull=False)
        .values("process")
        .annotate(year=Min("year_established"))
        .values_list("process", "year")
    )
    cited = sources.of(m.Process)
    former = _former_slugs(m.Process)
    for process in m.Process.objects.order_by("pk"):
        organization = {
            "id": f"process/{process.slug}",
            "name": process.name,
            "classification": f"regional consultative process on migration ({process.kind})",
            "other_names": [{"name": process.short_name, "note": "short name"}, *aliases[process.pk]],
            "sources": cited[process.pk],
        }
        if process.pk in founded:
            organization["founding_date"] = f"{founded[process.pk]:04d}"
        if former[process.pk]:
            organization["identifiers"] = [
                {"scheme": FORMER_ID, "identifier": f"process/{slug}"} for slug in former[process.pk]
            ]
        yield organization
    names = defaultdict(list)
    aliases = m.ParticipantAlias.objects.filter(kind__in=NAME_KINDS).order_by("pk")
    for participant_id_, name, language in aliases.values_list("participant_id", "name", "language"):
        names[participant_id_].append({"name": name, "note": f"language {language}" if language else ""})
    cited = sources.of(m.Participant)
    former = _former_slugs(m.Participant)
    for participant in m.Participant.objects.order_by("pk").iterator(chunk_size=tables.CHUNK_SIZE):
        organization = {
            "id": participant_id(participant.slug, participant.kind),
            "name": participant.name,
            "classification": participant.kind,
            "other_names": names[participant.pk],
            "sources": cited[participant.pk],
        }
        identifiers = [{"scheme": "ISO 3166-1 alpha-2", "identifier": participant.iso_code}]
        identifiers = identifiers if participant.iso_code else []
        identifiers += [
            {"scheme": FORMER_ID, "identifier": participant_id(slug, participant.kind)}
            for slug in former[participant.pk]
        ]
        if identifiers:
            organization["identifiers"] = identifiers
        yield organization


# The scheme of an id the registry gave a record under a slug it no longer has (models/slugs.py).
FORMER_ID = "rcp-registry former id"


def _former_slugs(model) -> dict[int, list[str]]:
    """{record id: its former slugs}, in one query."""
    kind = ContentType.objects.get_for_model(model)
    former = defaultdict(list)
    for object_id, slug in m.FormerSlug.objects.filter(content_type=kind).values_list("object_id", "slug"):
        former[object_id].append(slug)
    return former


def memberships(as_of, sources: Sources, chunk_size=tables.CHUNK_SIZE) -> Iterator[dict]:
    rows = queryset(TABLES_BY_NAME["participations"], as_of).values_list(
        "pk",
        "process__slug",
        "participant__slug",
        "participant__kind",
        "role",
        "start",
        "start_precision",
        "end",
        "end_precision",
        "name_as_cited",
    )
    batch = []
    for row in rows.iterator(chunk_size=tables.CHUNK_SIZE):
        batch.append(row)
        if len(batch) == tables.CHUNK_SIZE:
            yield from _memberships(batch, sources)
            batch = []
    yield from _memberships(batch, sources)


def _memberships(batch, sources: Sources) -> Iterator[dict]:
    cited = sources.of(m.Participation, [row[0] for row in batch])
    for pk, process, participant, kind, role, start, start_precision, end, end_precision, as_cited in batch:
        membership = {
            "id": f"participation/{pk}",
            "organization_id": f"process/{process}",
            "member": {"@type": "Organization", "id": participant_id(participant, kind)},
            "role": role,
            "label": as_cited or None,
            "start_date": partial(start, start_precision),
            "end_date": partial(end, end_precision),
            "sources": cited[pk],
        }
        yield {key: value for key, value in membership.items() if value is not None}


def popolo_document(
    as_of: date | None = None, made_on: date | None = None, base_url: str = ""
) -> Iterator[str]:
    """{"meta": {...}, "organizations": [...], "memberships": [...]}, one object a line."""
    sources = Sources(base_url)
    yield '{"meta":' + dumps(header(as_of, made_on))
    for name, items in (
        ("organizations", organizations(as_of, sources)),
        ("memberships", memberships(as_of, sources)),
    ):
        yield f',\n"{name}":['
        for number, item in enumerate(items):
            yield f"{',' if number else ''}\n{dumps(item)}"
        yield "]"
    yield "}\n"
