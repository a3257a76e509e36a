"""The reconciliation index: every process, state and organization under every name the registry
knows it by, to match other people's lists of names against (the W3C reconciliation API,
registry/api/reconcile.py, serves it).

A record's names are its name, short name or acronym, ISO code, aliases in any language and, for
states and territories, the CLDR names in the site's languages (the same names an account's lists
are resolved by: `participant_names`). A query written exactly as one of them (case, accents,
apostrophes and a leading "the" ignored) scores 100, and is a *match* only when it names one
record alone; any other name scores by its similarity (rapidfuzz's WRatio), at most 95.

Built from a handful of queries, whatever the registry's size; kept per registry version by the
caller (registry.cache.versioned).
"""

from bisect import bisect_left
from dataclasses import dataclass, field, replace

from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

from ..choices import OrganizationType, ParticipantKind, ProcessKind, Role
from ..matching import normalize_name
from .accounts import ProcessAccount
from .participants import Participant
from .participations import Participation
from .processes import Process, ProcessAlias
from .resolution import participant_names

__all__ = ["ENTITY_TYPES", "EXACT", "PROPERTIES", "Entity", "ReconciliationIndex", "Scored"]

ENTITY_TYPES = {
    "process": _("Regional consultative process"),
    "state": _("State or territory"),
    "organization": _("Organization"),
}
PROPERTIES = {
    "iso_code": (_("ISO 3166-1 code"), _("The state's or territory's two-letter code, e.g. AT.")),
    "member_of": (
        _("Member of a process"),
        _("A process (its identifier, slug or any of its names) the record was listed as a member of."),
    ),
}
EXACT = 100.0
FUZZY_CEILING = 95.0  # a name that is not exactly one of the record's scores at most this
FUZZY_CUTOFF = 60.0  # below this similarity a record is no candidate
FUZZY_MIN_LENGTH = 4


@dataclass(frozen=True)
class Entity:
    id: str  # "process:budapest-process", "state:austria", "organization:unhcr"
    type: str  # a key of ENTITY_TYPES
    slug: str
    name: str
    kind: object  # what it is, in words (a lazy translation), when its type does not say it all
    detail: str  # its code, acronym or year of establishment, when it has one
    iso_code: str
    member_of: frozenset = frozenset()  # ids of the processes it was listed as a member of


@dataclass(frozen=True)
class Scored:
    entity: Entity
    score: float
    matched: str  # the name that matched, as the registry writes it (empty: by properties only)
    conditions: dict = field(default_factory=dict)  # property id -> satisfied
    match: bool = False  # certain: the only record scoring 100


def entity_id(kind: str, slug: str) -> str:
    return f"{kind}:{slug}"


class ReconciliationIndex:
    def __init__(self):
        self.entities: dict[str, Entity] = {}
        self.keys: dict[str, set[str]] = {}  # normalized name -> entity ids
        self.shown: dict[str, str] = {}  # normalized name -> a spelling of it
        self.codes: dict[str, set[str]] = {}  # upper-case ISO code, acronym or slug -> entity ids
        self.names_of: dict[str, list[str]] = {}  # entity id -> its normalized names
        self._load_processes()
        self._load_participants()
        # Names of fewer than 4 letters (UK, ILO, AU) are matched exactly only: as fuzzy choices
        # they would be "found" inside every longer name that contains them.
        fuzzy = [key for key in self.keys if len(key) >= FUZZY_MIN_LENGTH]
        self.fuzzy_keys = {t: [k for k in fuzzy if self._has_type(self.keys[k], t)] for t in ENTITY_TYPES}
        self.fuzzy_keys[""] = fuzzy
        # Every name and every word-start suffix of it, sorted: a prefix is a bisect away.
        self.prefixes = sorted(
            {(key[i:], key) for key in self.keys for i in range(len(key)) if i == 0 or key[i - 1] == " "}
        )

    # Loading -------------------------------------------------------------------------------------

    def _add(self, name: str, entity: str):
        key = normalize_name(name)
        if key:
            self.keys.setdefault(key, set()).add(entity)
            self.shown.setdefault(key, name)
            names = self.names_of.setdefault(entity, [])
            if key not in names:
                names.append(key)

    def _code(self, code: str, entity: str):
        if code:
            self.codes.setdefault(code.upper(), set()).add(entity)

    def _load_processes(self):
        years = dict(
            ProcessAccount.objects.values("process")
            .annotate(first=Min("year_established"))
            .values_list("process", "first")
        )
        kinds = dict(ProcessKind.choices)
        ids = {}
        for process in Process.objects.order_by():
            key = entity_id("process", process.slug)
            ids[process.pk] = key
            year = years.get(process.pk)
            self.entities[key] = Entity(
                id=key,
                type="process",
                slug=process.slug,
                name=process.name,
                kind=kinds.get(process.kind, ENTITY_TYPES["process"]),
                detail=" · ".join(filter(None, [process.short_name, str(year or "")])),
                iso_code="",
            )
            for name in (process.name, process.short_name):
                self._add(name, key)
            self._code(process.slug, key)
        for process_id, name in ProcessAlias.objects.values_list("process_id", "name"):
            self._add(name, ids[process_id])
        self.process_ids = ids

    def _load_participants(self):
        participants = list(Participant.objects.order_by())
        members: dict[int, set[str]] = {}
        listed = Participation.objects.filter(role=Role.MEMBER).order_by()
        for participant_id, process_id in listed.values_list("participant_id", "process_id").distinct():
            members.setdefault(participant_id, set()).add(self.process_ids[process_id])
        territory, organization_types = ParticipantKind.TERRITORY.label, dict(OrganizationType.choices)
        ids = {}
        for p in participants:
            kind = "organization" if p.kind == ParticipantKind.ORGANIZATION else "state"
            key = ids[p.pk] = entity_id(kind, p.slug)
            self.entities[key] = Entity(
                id=key,
                type=kind,
                slug=p.slug,
                name=p.name,
                # A state is said by its type; a territory and an organization's type say more.
                kind=organization_types.get(p.organization_type, "")
                if kind == "organization"
                else (territory if p.kind == ParticipantKind.TERRITORY else ""),
                detail=p.iso_code or p.acronym or "",
                iso_code=p.iso_code or "",
                member_of=frozenset(members.get(p.pk, ())),
            )
            for code in (p.iso_code, p.acronym, p.slug):
                self._code(code or "", key)
        for participant_id, name in participant_names(participants):
            self._add(name, ids[participant_id])

    def _has_type(self, ids, kind: str) -> bool:
        return any(self.entities[i].type == kind for i in ids)

    # Reading -------------------------------------------------------------------------------------

    def processes_named(self, value: str) -> set[str]:
        """The ids of the processes a value names: an id, a slug or any name of theirs."""
        value = str(value).strip()
        if value in self.entities:
            return {value} if self.entities[value].type == "process" else set()
        found = self.keys.get(normalize_name(value), set()) | self.codes.get(value.upper(), set())
        return {i for i in found if self.entities[i].type == "process"}

    def named_exactly(self, query: str) -> set[str]:
        """The records one of whose names, codes or identifier the query is exactly."""
        query = " ".join(query.split())
        if query in self.entities:
            return {query}
        return self.keys.get(normalize_name(query), set()) | self.codes.get(query.upper(), set())

    def reconcile(self, query: str, types=(), conditions=(), limit: int = 5) -> list[Scored]:
        """The best candidates for a name (and/or property conditions), best first.

        `types`: restrict to these entity types (all when empty). `conditions`: (property id,
        values) pairs every candidate must satisfy: iso_code (codes) and member_of (process ids).
        """
        allowed = self._allowed(types, conditions)
        found: dict[str, Scored] = {}
        if query:
            key = normalize_name(query)
            for i in self.named_exactly(query):
                if allowed(i):
                    found[i] = self._scored(i, EXACT, self.shown.get(key, query), conditions)
            choices = self._fuzzy_choices(types)
            for choice, similarity, _index in fuzzy.extract(
                key, choices, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF, limit=max(limit * 4, 20)
            ):
                score = round(min(similarity * FUZZY_CEILING / 100, FUZZY_CEILING), 1)
                for i in self.keys[choice]:
                    if allowed(i) and (i not in found or found[i].score < score):
                        found[i] = self._scored(i, score, self.shown[choice], conditions)
        else:  # properties alone: every record satisfying them
            for i in self.entities:
                if allowed(i):
                    found[i] = self._scored(
                        i, EXACT if self._identifies(conditions) else 50.0, "", conditions
                    )
        ranked = sorted(found.values(), key=lambda s: (-s.score, s.entity.name, s.entity.id))
        if sum(s.score == EXACT for s in ranked) == 1:
            ranked[0] = replace(ranked[0], match=True)
        return ranked[:limit]

    def suggest(self, prefix: str, types=(), start: int = 0, size: int = 10) -> tuple[list[Entity], bool]:
        """Records one of whose names (or a word of it) begins with the prefix, or whose identifier
        or code it is: exact names first, then by name. Returns (page, more follow)."""
        key = normalize_name(prefix)
        exact = (
            sorted(self.named_exactly(prefix), key=lambda i: self.entities[i].name) if prefix.strip() else []
        )
        starting: set[str] = set()
        if key:
            position = bisect_left(self.prefixes, (key, ""))
            while position < len(self.prefixes) and self.prefixes[position][0].startswith(key):
                starting |= self.keys[self.prefixes[position][1]]
                position += 1
        rest = sorted(starting - set(exact), key=lambda i: (self.entities[i].name, i))
        ordered = [self.entities[i] for i in exact + rest if not types or self.entities[i].type in types]
        return ordered[start : start + size], len(ordered) > start + size

    # Helpers -------------------------------------------------------------------------------------

    def _fuzzy_choices(self, types) -> list[str]:
        if not types or set(types) >= set(ENTITY_TYPES):
            return self.fuzzy_keys[""]
        return sorted({key for t in types for key in self.fuzzy_keys[t]})

    def _allowed(self, types, conditions):
        def allowed(i: str) -> bool:
            entity = self.entities[i]
            if types and entity.type not in types:
                return False
            return all(self._satisfies(entity, pid, values) for pid, values in conditions)

        return allowed

    @staticmethod
    def _satisfies(entity: Entity, pid: str, values: set) -> bool:
        if pid == "iso_code":
            return entity.iso_code in values
        if pid == "member_of":
            return bool(entity.member_of & values)
        return False

    @staticmethod
    def _identifies(conditions) -> bool:
        """Conditions that single a record out by themselves (an ISO code)."""
        return any(pid == "iso_code" for pid, _values in conditions)

    def _scored(self, i: str, score: float, matched: str, conditions) -> Scored:
        return Scored(self.entities[i], score, matched, {pid: True for pid, _values in conditions})
