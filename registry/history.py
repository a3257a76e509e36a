"""Reading the audit history (django-simple-history) in bulk: the changes to all the facts of a
record, each with its author, reason and field-level diff, in a constant number of queries."""

from collections import defaultdict

from django.db import models


def _resolve_foreign_keys(objects):
    """Fill the foreign-key caches of many objects with one query per related model."""
    wanted = defaultdict(set)
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.is_relation and getattr(obj, field.attname) is not None:
                wanted[field.related_model].add(getattr(obj, field.attname))
    loaded = {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items()}
    for obj in objects:
        for field in obj._meta.concrete_fields:
            if field.is_relation and getattr(obj, field.attname) is not None:
                related = loaded[field.related_model].get(getattr(obj, field.attname))
                if related is not None:
                    field.set_cached_value(obj, related)


def _diff(record, previous, names):
    return [
        (name, getattr(previous, name), getattr(record, name))
        for name in names
        if getattr(previous, name) != getattr(record, name)
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
        # Fields compared in memory: the model's own concrete fields (not the m2m, not the ids).
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.AutoField) and f.name not in {"name_key"}
        ]
        previous_by_object = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            delta = (
                _diff(record, previous, names) if previous is not None and record.history_type == "~" else []
            )
            entries.append({"record": record, "model": model._meta.verbose_name, "delta": delta})
            previous_by_object[record.id] = record
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    entries = entries[:limit]
    objects = [entry["record"].history_object for entry in entries]
    _resolve_foreign_keys(objects)
    for entry, obj in zip(entries, objects, strict=True):
        entry["label"] = str(obj)
    return entries
