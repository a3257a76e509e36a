"""The loader's store: create what is missing, never change what a curator made (report the
conflict), bring a record no one changed since it was loaded up to the corrected fixtures, never
create again what a curator deleted, and write the audit history of what it creates.

A record is found by the identity its fixture entry had when it was first loaded (SeedKey: the
natural key, related records by id), whatever a curator changed since: a renamed slug is still
the same record, and a deleted record's key outlives it. A database seeded before the keys existed
is matched by natural key, then by the natural keys its history shows the record once had."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from .. import models as m

SEED_REASON = "Loaded from the curated fixtures (manage.py seed)"
UPDATE_REASON = "Updated to the corrected fixtures (manage.py seed)"

# Records nothing else refers to while loading: inserted in bulk at the end (a round trip per row
# costs seconds on PostgreSQL). Their citations are attached once they have ids.
BULK_MODELS = (
    m.Participation,
    m.ParticipantAlias,
    m.ProcessAlias,
    m.IomOfficeAlias,
    m.StatedList,
    m.StatedTotal,
    m.Priority,
    m.WorkingGroup,
    m.Phase,
    m.RegionalGrouping,
)

# Seed keys are digests of the names a record had when it was first seeded: a model or field
# renamed since is keyed by its first name, so that a database seeded before the rename is still
# recognized ("account" was "snapshot" until schema 4 of the export).
FIRST_NAMES = {"registry.processaccount": "registry.processsnapshot", "account_id": "snapshot_id"}


@dataclass
class Known:
    by_pk: dict
    existing: dict  # natural key -> record
    past: dict  # a natural key the history shows a stored record had -> its id
    deleted: set  # natural keys of deleted records


class FixtureError(ValueError):
    """The fixtures are inconsistent (an unknown name, an ambiguous variant, a bad date)."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    existing: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    conflicts: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped_deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"Loaded the curated fixtures in {self.seconds:.2f} s."]
        for label in sorted(set(self.created) | set(self.existing)):
            created, existing = self.created.get(label, 0), self.existing.get(label, 0)
            out.append(f"  {label}: {created} created, {existing} already there")
        if self.updated:
            out.append(
                f"{len(self.updated)} value(s) no one had changed since loaded, updated to the fixtures:"
            )
            out += [f"  {u}" for u in self.updated]
        if self.conflicts:
            out.append(f"{len(self.conflicts)} curated value(s) differ from the fixtures and were kept:")
            out += [f"  {c}" for c in self.conflicts]
        if self.skipped_deleted:
            out.append(f"{len(self.skipped_deleted)} record(s) deleted by a curator were not created again:")
            out += [f"  {s}" for s in self.skipped_deleted]
        return out


def parse_cite(text: str, default_source: m.SourceDocument | None, base_locator: str | None, sources):
    """'SCPF/30: Annex II, row X' (explicit source), "column 'X'" (appended to the base locator)
    or a locator in the default source."""
    text = str(text).strip()
    head, sep, rest = text.partition(": ")
    if sep and head in sources:
        return sources[head], rest.strip()
    if default_source is None:
        raise FixtureError(f"Citation without a source: {text!r}")
    if text.startswith("column ") and base_locator:
        return default_source, f"{base_locator}, {text}"
    return default_source, text


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Store:
    """Creates records by natural key; knows what exists and what curators deleted."""

    def __init__(self, report: SeedReport):
        self.report = report
        self.sources: dict[str, m.SourceDocument] = {}
        self._cache: dict = {}
        self._pending_history: dict = defaultdict(list)
        self._deferred_citations: list[m.Citation] = []
        self._deferred: dict = defaultdict(list)
        self._seed_keys: dict[str, int] | None = None
        self._new_seed_keys: list = []  # (key, record): recorded once the record has its id
        self._updated: set = set()  # (model, id) of the records this load brought to the fixtures

    def ensure(self, model: type[models.Model], key: dict, values: dict, label: str | None = None):
        """Get the record the fixture entry became (by its seed key; else by its natural key, now
        or in the history), or create it; never change an existing record. Returns None when a
        curator deleted it (it is then not created again)."""
        label = label or str(model._meta.verbose_name_plural)
        key_attnames = tuple(self._attname(model, name) for name in key)
        key_values = tuple(v.pk if isinstance(v, models.Model) else v for v in key.values())
        known = self._known(model, key_attnames)
        described = f"{model._meta.verbose_name} {self._describe(key)}"
        seed_key = self.seed_key(model, key_attnames, key_values)
        if seed_key in self.seed_keys():
            obj = known.by_pk.get(self.seed_keys()[seed_key])
            if obj is None:  # the record it became was deleted by a curator
                self.report.skipped_deleted.append(described)
                return None
        else:
            obj = known.existing.get(key_values) or known.by_pk.get(known.past.get(key_values))
            if obj is None and key_values in known.deleted:
                self.report.skipped_deleted.append(described)
                return None
            if obj is not None:
                self._new_seed_keys.append((seed_key, obj))
        if obj is not None:
            obj.fixture_key = {**values, **key}  # what the fixtures call it, even if a curator renamed it
            self.report.existing[label] += 1
            self._compare(obj, {**key, **values}, described)
            return obj
        obj = model(**key, **values)
        obj.fixture_key = {**values, **key}
        obj._seed_created = True
        obj._change_reason = SEED_REASON
        if model is m.Citation:
            self._deferred_citations.append(obj)  # leaves: inserted in bulk at the end
        elif model in BULK_MODELS:
            if hasattr(obj, "before_save"):
                obj.before_save()  # what save() would derive
            self._deferred[model].append(obj)
        else:
            # Per-save history costs ~1 ms a record; it is written in bulk at the end. Models with
            # a many-to-many keep the flag until then, so that setting the m2m records nothing.
            obj.skip_history_when_saving = True
            obj.save()
            if not model._meta.many_to_many:
                del obj.skip_history_when_saving
            self._pending_history[model].append(obj)
        known.existing[key_values] = obj
        self._new_seed_keys.append((seed_key, obj))
        self.report.created[label] += 1
        return obj

    def _compare(self, obj, wanted: dict, described: str):
        """Where the stored record differs from its fixture entry: a value a curator made is kept
        and reported; a record no one changed since the seed loaded it (its history holds only the
        seed's rows, and the last of them is what is stored) takes the corrected fixture's values,
        with a history row that says so. Both are listed in the report."""
        differences = {}
        for name, value in wanted.items():
            attname = self._attname(type(obj), name)
            value = value.pk if isinstance(value, models.Model) else value
            if getattr(obj, attname) != value:
                differences[attname] = (getattr(obj, attname), value)
        if not differences:
            return
        updated_now = (type(obj), obj.pk) in self._updated  # two fixture entries disagree: say so
        if updated_now or not self._untouched_since_seeded(obj, differences):
            self.report.conflicts += [
                f"{described}: {name} is {current!r} in the database, {value!r} in the fixtures"
                for name, (current, value) in differences.items()
            ]
            return
        for name, (_current, value) in differences.items():
            setattr(obj, name, value)
        obj._change_reason = UPDATE_REASON
        obj.save()  # whole, so that what save() derives (a name key, a period) follows
        self._updated.add((type(obj), obj.pk))
        self.report.updated += [
            f"{described}: {name} {current!r} → {value!r}" for name, (current, value) in differences.items()
        ]

    @staticmethod
    def _untouched_since_seeded(obj, fields) -> bool:
        rows = list(type(obj).history.filter(id=obj.pk).order_by("history_date", "history_id"))
        if not rows or any(row.history_change_reason not in (SEED_REASON, UPDATE_REASON) for row in rows):
            return False
        return all(getattr(rows[-1], name) == getattr(obj, name) for name in fields)  # no unrecorded write

    @staticmethod
    def _attname(model, name: str) -> str:
        return model._meta.get_field(name).attname

    def _known(self, model, key_attnames) -> Known:
        """The stored rows by id and by natural key, the natural keys their history shows they had
        before (renamed records), and those of rows a curator deleted (per model, read once)."""
        cache_key = (model, key_attnames)
        if cache_key not in self._cache:
            by_pk = {obj.pk: obj for obj in model.objects.all()}
            existing = {tuple(getattr(obj, a) for a in key_attnames): obj for obj in by_pk.values()}
            history = model.history.model.objects.values_list(*key_attnames, "id", "history_type")
            past, deleted = {}, set()
            for *natural_key, pk, history_type in history:
                natural_key = tuple(natural_key)
                if natural_key in existing:
                    continue
                if pk in by_pk:
                    past[natural_key] = pk
                elif history_type == "-":
                    deleted.add(natural_key)
            self._cache[cache_key] = Known(by_pk, existing, past, deleted - set(past))
        return self._cache[cache_key]

    @staticmethod
    def seed_key(model, key_attnames, key_values) -> str:
        """The model and a digest of its natural key (compact: every seeded record has one, and
        the export carries them all)."""
        names = [FIRST_NAMES.get(name, name) for name in key_attnames]
        pairs = json.dumps(dict(zip(names, key_values, strict=True)), sort_keys=True, default=str)
        label = FIRST_NAMES.get(model._meta.label_lower, model._meta.label_lower)
        return f"{label}:{hashlib.sha256(pairs.encode()).hexdigest()[:24]}"

    def seed_keys(self) -> dict[str, int]:
        if self._seed_keys is None:
            self._seed_keys = dict(m.SeedKey.objects.values_list("key", "object_id"))
        return self._seed_keys

    def record_seed_keys(self):
        rows = {key: obj.pk for key, obj in self._new_seed_keys if obj.pk is not None}
        rows = {key: pk for key, pk in rows.items() if key not in self.seed_keys()}
        m.SeedKey.objects.bulk_create([m.SeedKey(key=key, object_id=pk) for key, pk in rows.items()])
        self.seed_keys().update(rows)
        self._new_seed_keys = []

    def write_history(self):
        for model, objects in self._deferred.items():
            model.objects.bulk_create(objects, batch_size=500)
            self._pending_history[model].extend(objects)
            for obj in objects:
                for source, locator in obj.__dict__.get("_seed_citations", []):
                    self._deferred_citations.append(
                        m.Citation(
                            content_type=m.Citation.content_type_for(obj),
                            object_id=obj.pk,
                            source=source,
                            locator=locator,
                        )
                    )
        m.Citation.objects.bulk_create(self._deferred_citations, batch_size=500)
        self._pending_history[m.Citation].extend(self._deferred_citations)
        citation_key = ("content_type_id", "object_id", "source_id", "locator")
        self._new_seed_keys += [
            (self.seed_key(m.Citation, citation_key, tuple(getattr(c, a) for a in citation_key)), c)
            for c in self._deferred_citations
        ]
        self.record_seed_keys()
        for model, objects in self._pending_history.items():
            records = model.history.bulk_history_create(
                objects, batch_size=500, default_change_reason=SEED_REASON
            )
            m.record_history(records, model)  # the change feed
            for m2m_field in model._meta.many_to_many:
                self._write_m2m_history(model, m2m_field, objects, records)
            for obj in objects:
                obj.__dict__.pop("skip_history_when_saving", None)
        # Written: a later phase of the load (the later sources) starts afresh.
        self._deferred, self._pending_history = defaultdict(list), defaultdict(list)
        self._deferred_citations = []
        self._cache = {}  # the rows read before they were written: read again when next needed

    @staticmethod
    def _write_m2m_history(model, field, objects, records):
        """The m2m rows of each new historical record (what simple-history writes per save)."""
        history_model = model.history.model
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = defaultdict(list)
        rows = through.objects.filter(**{f"{source}__in": objects}).values_list(
            "id", f"{source}_id", f"{target}_id"
        )
        for link_id, source_id, target_id in rows:
            links[source_id].append((link_id, target_id))
        m2m_history = apps.get_model(model._meta.app_label, f"{history_model.__name__}_{field.name}")
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    history_id=record.pk, id=link_id, **{f"{source}_id": obj.pk, f"{target}_id": target_id}
                )
                for obj, record in zip(objects, records, strict=True)
                for link_id, target_id in links[obj.pk]
            ],
            batch_size=500,
        )

    @staticmethod
    def _describe(key: dict) -> str:
        return ", ".join(f"{k}={v}" for k, v in key.items())

    def cite(self, obj, source: m.SourceDocument, locator: str):
        if obj is None:
            return
        if obj.pk is None:  # a new record still to be inserted in bulk: it has no citation yet
            if (source, locator) not in obj.__dict__.setdefault("_seed_citations", []):
                obj._seed_citations.append((source, locator))
                self.report.created["citations"] += 1
            return
        content_type = m.Citation.content_type_for(obj)
        self.ensure(
            m.Citation,
            {"content_type": content_type, "object_id": obj.pk, "source": source, "locator": locator},
            {},
            label="citations",
        )

    def cite_all(self, obj, cites, default_source, base_locator=None):
        for text in as_list(cites):
            source, locator = parse_cite(text, default_source, base_locator, self.sources)
            self.cite(obj, source, locator)
