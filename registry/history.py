"""Reading the audit history (django-simple-history) in bulk: the changes to all the facts of a
record, each with its author, reason and field-level diff, in a constant number of queries."""

from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models


def _resolve_foreign_keys(objects):
    """Fill the foreign-key caches of many objects with one query per related model (records
    deleted since as their last history row has them), enough to name each with reference()."""
    wanted = defaultdict(set)
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.is_relation and getattr(obj, field.attname) is not None:
                wanted[field.related_model].add(getattr(obj, field.attname))
    loaded = {model: load_referenced(model, ids) for model, ids in wanted.items()}
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.is_relation and getattr(obj, field.attname) is not None:
                related = loaded[field.related_model].get(getattr(obj, field.attname))
                if related is not None:
                    field.set_cached_value(obj, related)


def compared_fields(model):
    """The fields a change is told by: the model's own concrete fields, not its id nor the name
    key derived from its name."""
    return [
        f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField) and f.name != "name_key"
    ]


def _diff(record, previous, fields):
    """(field, old, new) of each field that differs between two historical records."""
    return [
        (f, getattr(previous, f.attname), getattr(record, f.attname))
        for f in fields
        if getattr(previous, f.attname) != getattr(record, f.attname)
    ]


def related_changes(models_with_history, owner_id, limit=100, owner_field="process_id"):
    """The latest `limit` changes to the records of the given models that belong to one owner
    (e.g. a process), newest first: [{"record", "model", "label", "delta": [(field, old, new)]}]."""
    entries = []
    for model in models_with_history:
        history_model = model.history.model
        records = list(
            history_model.objects.filter(**{owner_field: owner_id})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        fields = compared_fields(model)
        previous_by_object = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            delta = []
            if previous is not None and record.history_type == "~":
                delta = [(f.attname, old, new) for f, old, new in _diff(record, previous, fields)]
            entries.append({"record": record, "model": model._meta.verbose_name, "delta": delta})
            previous_by_object[record.id] = record
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    entries = entries[:limit]
    objects = [entry["record"].history_object for entry in entries]
    _resolve_foreign_keys(objects)
    for entry, obj in zip(entries, objects, strict=True):
        entry["label"] = str(obj)
    return entries


def reference(obj):
    """How the API and the change feed name a linked record: a source by its key (its symbol, or
    else its slug), an account by its source's key (/api/processes/{slug}/accounts/{source}/),
    any other by its slug, or else its id. None for none."""
    if obj is None:
        return None
    if hasattr(obj, "instance_type"):  # a history row: the record as it was
        obj = obj.instance
    label = obj._meta.label_lower
    if label == "registry.sourcedocument":
        return obj.symbol or obj.slug
    if label == "registry.processaccount":
        return reference(obj.source)
    return getattr(obj, "slug", None) or obj.pk


# What reference() reads beyond the record itself, loaded with it.
_REFERENCE_NEEDS = {"registry.processaccount": ["source"]}


def load_referenced(model, ids) -> dict:
    """{id: record} of the records to name with reference(), in one query (deleted ones as their
    last history row has them)."""
    needs = _REFERENCE_NEEDS.get(model._meta.label_lower, [])
    loaded = model._base_manager.select_related(*needs).in_bulk(ids)
    missing = set(ids) - set(loaded)
    if missing and hasattr(model, "history"):
        for row in model.history.model.objects.filter(id__in=missing).order_by("id", "-history_id"):
            loaded.setdefault(row.id, row.instance)
    return loaded


def _api_value(value, field, resolved):
    if value is None:
        return None
    if field.is_relation:
        related = resolved.get(field.related_model, {}).get(value)
        return reference(related) if related is not None else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def object_changes(model, pk):
    """Every recorded change of one object, newest first: [{"record", "delta": [(field, old, new)]}],
    foreign keys given by the related record's slug (or symbol), in a constant number of queries."""
    records = list(
        model.history.model.objects.filter(id=pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = compared_fields(model)
    entries, previous = [], None
    for record in records:
        entries.append({"record": record, "delta": _delta(record, previous, fields)})
        previous = record
    _with_api_values(entries)
    entries.reverse()
    return entries


def _delta(record, previous, fields):
    """(field, old, new): what an update changed, or every value a creation set."""
    if previous is not None and record.history_type == "~":
        return _diff(record, previous, fields)
    if record.history_type == "+":
        return [
            (f, None, getattr(record, f.attname))
            for f in fields
            if getattr(record, f.attname) not in (None, "")
        ]
    return []


def _with_api_values(entries):
    """The deltas' foreign keys as the related record's slug (or symbol): a query per related model."""
    wanted = defaultdict(set)
    for entry in entries:
        for field, old, new in entry["delta"]:
            if field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
    resolved = {related: load_referenced(related, ids) for related, ids in wanted.items()}
    for entry in entries:
        entry["delta"] = [
            (field.name, _api_value(old, field, resolved), _api_value(new, field, resolved))
            for field, old, new in entry["delta"]
        ]


def _label(change) -> str:
    """The record named as the admin names it; its key when that name needs a record that no
    longer exists and left no history."""
    if change.record is None:
        return change.key
    try:
        return str(change.record)
    except ObjectDoesNotExist:
        return change.key


def feed_entries(changes) -> list[dict]:
    """A page of the change feed (Change rows): each with what changed, field by field, read from
    the history rows of its records — a few queries per kind of record, none per change — and
    whether the record still exists."""
    by_model = defaultdict(list)
    for change in changes:
        by_model[change.model].append(change)
    found = {}
    for label, group in by_model.items():
        model = apps.get_model(label)
        ids = {change.object_id for change in group}
        newest = max(change.history_id for change in group)
        rows = model.history.model.objects.filter(id__in=ids, history_id__lte=newest).order_by(
            "id", "history_id"
        )
        previous, before = {}, {}
        for row in rows:
            before[row.history_id] = previous.get(row.id)
            previous[row.id] = row
            found[(label, row.history_id)] = row
        existing = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        fields = compared_fields(model)
        for change in group:
            record = found.get((label, change.history_id))
            change.exists = change.object_id in existing
            change.delta = _delta(record, before.get(change.history_id), fields) if record else []
    # Each change's record as it was then, named as the admin names it (links read in bulk).
    for change in changes:
        record = found.get((change.model, change.history_id))
        change.record = record.instance if record is not None else None
    _resolve_foreign_keys([change.record for change in changes if change.record is not None])
    for change in changes:
        change.label = _label(change)
    entries = [{"change": change, "delta": change.delta} for change in changes]
    _with_api_values(entries)
    for entry in entries:
        entry["change"].delta = entry["delta"]
    return entries
