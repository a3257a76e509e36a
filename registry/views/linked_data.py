"""JSON-LD (schema.org) embedded in the process, state and organization pages, for search engines
and linked-data harvesters: the record as an `Organization` (a state as the
`GovernmentOrganization` that takes part for it), its names, and each participation as a
schema.org `Role` (the "role" pattern: the Role stands between the two records and carries
`roleName`, `startDate`, `endDate`) with the sources it cites.

Each record's `@id` is its API address, the same whatever the page's language; `url` is the page.
Built from what the view already loaded: no query of its own.
"""

import json

from django.utils.safestring import mark_safe

from ..addresses import page_url
from ..choices import ParticipantKind, Role
from ..dates import iso_partial_date
from ..serving.cache import per_request

CONTEXT = "https://schema.org"
# What a <script> element must not contain (as django.utils.html.json_script escapes).
SCRIPT_ESCAPES = {">": "\\u003E", "<": "\\u003C", "&": "\\u0026"}


def script(data: dict) -> str:
    """The JSON-LD as a <script type="application/ld+json"> element (a data block: the
    Content-Security-Policy, which allows no inline script, does not apply to it). Compact, and
    escaped by replace(): str.translate walks a 30 KB document a character at a time."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in SCRIPT_ESCAPES.items():
        text = text.replace(character, escaped)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def process_id(request, process) -> str:
    return _absolute(request, page_url("api:process-detail", process.slug))


def participant_id(request, participant) -> str:
    name = (
        "api:organization-detail" if participant.kind == ParticipantKind.ORGANIZATION else "api:state-detail"
    )
    return _absolute(request, page_url(name, participant.slug))


def participant_type(participant) -> str:
    if (
        participant.kind == ParticipantKind.ORGANIZATION
        and participant.organization_type != "government_agency"
    ):
        return "Organization"
    return "GovernmentOrganization"


def citations(request, cited) -> list[dict]:
    works = [(_source_work(request, citation.source), citation.locator) for citation in cited.citation_list]
    return [{**before, "description": locator, **after} for (before, after), locator in works]


def _source_work(request, source) -> tuple[dict, dict]:
    """A source as a CreativeWork (what comes before the citation's place, and after), built once
    per request: a page cites the same few sources for each of its rows."""

    def build():
        before = {
            "@type": "CreativeWork",
            "name": source.label,
            "url": _absolute(request, source.get_absolute_url()),
        }
        return before, {
            **({"sameAs": source.web_address} if source.web_address else {}),
            **_published(source),
        }

    return per_request(request, ("linked-data-source", source.pk), build)


def _published(source) -> dict:
    published = iso_partial_date(source.date, source.date_precision)
    return {"datePublished": published} if published else {}


def role(request, participation, property_name: str, target: dict) -> dict:
    """One participation as a Role: the member (or the process) inside it, its dates, its sources."""
    entry = {
        "@type": "Role",
        "roleName": str(Role(participation.role).label)
        if participation.role in Role.values
        else participation.role,
        property_name: target,
    }
    start = iso_partial_date(participation.start, participation.start_precision)
    end = iso_partial_date(participation.end, participation.end_precision)
    if start:
        entry["startDate"] = start
    if end:
        entry["endDate"] = end
    cited = citations(request, participation)
    if cited:
        entry["citation"] = cited
    return entry


def process_document(request, process, participations, accounts) -> dict:
    """The process with the participations shown on its page (those valid on the date in use)."""
    years = sorted(a.year_established for a in accounts if a.year_established)
    names = [process.short_name] if process.short_name != process.name else []
    names += sorted({alias.name for alias in process.aliases.all()} - {process.name, process.short_name})
    document = {
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": process_id(request, process),
        "url": _absolute(request, process.get_absolute_url()),
        "name": process.name,
        "alternateName": names,
        "member": [
            role(
                request,
                p,
                "member",
                {
                    "@type": participant_type(p.participant),
                    "@id": participant_id(request, p.participant),
                    "name": p.participant.name,
                },
            )
            for p in participations
        ],
        "citation": citations(request, process),
    }
    if years:
        document["foundingDate"] = str(years[0])
    return document


def participant_document(request, participant, statements) -> dict:
    """The state or organization with every participation its page lists, each with its source."""
    document = {
        "@context": CONTEXT,
        "@type": participant_type(participant),
        "@id": participant_id(request, participant),
        "url": _absolute(request, participant.get_absolute_url()),
        "name": participant.name,
        "alternateName": sorted(
            {a.name for a in participant.aliases.all() if a.is_a_name} - {participant.name}
        ),
        "memberOf": [
            role(
                request,
                s,
                "memberOf",
                {"@type": "Organization", "@id": process_id(request, s.process), "name": s.process.name},
            )
            for s in statements
        ],
    }
    if participant.iso_code:
        document["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ISO 3166-1 alpha-2",
            "value": participant.iso_code,
        }
    if participant.acronym:
        document["alternateName"].insert(0, participant.acronym)
    return document
