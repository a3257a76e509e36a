"""The change feed's entries as consumers read them — `GET /api/changes/` and every webhook
delivery say the same thing about a change, built here once.

An entry names records by their keys, never by row numbers: a process, participant, office,
region or event by its slug, a source by its key (its symbol, or else its slug), an account by its
source's key (as /api/processes/{slug}/accounts/{source}/ does), and a citation by the source and
the fact it cites. Addresses are absolute. Everything is JSON as it is: dates in ISO 8601, a stored
copy by its file name."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse

from . import models as m
from .history import compared_fields, feed_entries, load_referenced, reference
from .models.changes import DETAIL_VIEWS, resource_of

__all__ = ["change_entries"]


def _plain(value):
    """A field's value as JSON has it."""
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(record, facts) -> dict:
    """The record as the change left it: each field by its name, links by reference()."""
    fields = {}
    for field in compared_fields(type(record)):
        if field.name in ("content_type", "object_id") and isinstance(record, m.Citation):
            continue
        if field.is_relation:
            fields[field.name] = reference(getattr(record, field.name, None))
        else:
            fields[field.name] = _plain(getattr(record, field.attname))
    if isinstance(record, m.Citation):
        fields["fact"] = facts.get((record.content_type_id, record.object_id))
    return fields


def _cited_facts(citations, absolute) -> dict:
    """{(content type id, object id): {"resource", "key", "url"}} of the facts the citations cite:
    a query per kind of fact."""
    wanted = {}
    for citation in citations:
        wanted.setdefault(citation.content_type_id, set()).add(citation.object_id)
    facts = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        found = load_referenced(model, ids) if model is not None else {}
        for pk in ids:
            fact = found.get(pk)
            resource = resource_of(model._meta.model_name, fact) if model is not None else None
            key = reference(fact) if fact is not None else str(pk)
            path = _api_path(resource, fact, key)
            facts[(type_id, pk)] = {
                "resource": resource,
                "key": key,
                "url": absolute(path) if path else None,
            }
    return facts


def _api_path(resource, record, key) -> str | None:
    """The API address of a record that still exists, or None."""
    if record is None:
        return None
    if isinstance(record, m.ProcessAccount):
        name, args = "api:process-account", [record.process.slug, key]
    else:
        name, args = DETAIL_VIEWS.get(resource), [key]
    if name is None:
        return None
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _changes(change, facts) -> list[dict]:
    """Each field before and after; a citation's fact by its resource and key, not by row numbers."""
    told = []
    for name, old, new in change.delta:
        if name in ("content_type", "object_id") and change.resource == "citations":
            if name == "content_type" and isinstance(change.record, m.Citation):
                fact = facts.get((change.record.content_type_id, change.record.object_id))
                told.append({"field": "fact", "old": None, "new": fact})
            continue
        told.append({"field": name, "old": _plain(old), "new": _plain(new)})
    return told


def change_entries(changes, absolute, process_slugs=None) -> list[dict]:
    """The feed's entry of each change (Change rows, feed_entries() not yet read), in a constant
    number of queries. `absolute` turns a path into an address ("/api/…" -> "https://…/api/…")."""
    feed_entries(changes)
    records = [change.record for change in changes if change.record is not None]
    facts = _cited_facts([r for r in records if isinstance(r, m.Citation)], absolute)
    if process_slugs is None:
        ids = {change.process_id for change in changes if change.process_id}
        process_slugs = dict(m.Process.objects.filter(pk__in=ids).values_list("pk", "slug")) if ids else {}
    entries = []
    for change in changes:
        record = change.record
        key = str(reference(record)) if record is not None else change.key
        path = _api_path(change.resource, record, key) if change.exists else None
        entries.append(
            {
                "sequence": change.sequence,
                "time": change.time.isoformat().replace("+00:00", "Z"),
                "action": change.action,
                "resource": change.resource,
                "key": key,
                "url": absolute(path) if path else None,
                "process": process_slugs.get(change.process_id),
                "label": change.label,
                "record": _fields(record, facts) if record is not None else None,
                "changes": _changes(change, facts),
                "reason": change.reason,
            }
        )
    return entries
