"""The reconciliation index: every process, state and organization under every name the registry
knows it by, to match other people's lists of names against (the W3C reconciliation API,
registry/api/reconcile.py, serves it).

A record's names are its name, short name or acronym, ISO code, aliases in any language and, for
states and territories, the CLDR names in the site's languages (the same names an account's lists
are resolved by: `participant_names`), and the world's names of a state. The registry's one
matcher (registry/name_matcher.py) scores them: a query written as one of them scores 100, and is
a *match* only when it names one record alone; any other name scores by its similarity, at most 95.

Built from a handful of queries, whatever the registry's size, from the named records alone
(RegistryVersion's NAMED_MODELS): the caller keeps it until a name changes (registry.serving.cache.versioned
with names_only), not after every write. Memberships are read when asked (`members_of`,
`processes_of`), so a participation recorded never rebuilds it.
"""

from bisect import bisect_left
from dataclasses import dataclass, field, replace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from ..choices import OrganizationType, ParticipantKind, ProcessKind, Role
from ..matching import normalize_name
from ..name_matcher import EXACT, NameMatcher
from .accounts import ProcessAccount
from .participants import Participant
from .participations import Participation
from .processes import Process, ProcessAlias
from .resolution import participant_names
from .slugs import FormerSlug

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


@dataclass(frozen=True)
class Entity:
    id: str  # "process:budapest-process", "state:austria", "organization:unhcr"
    type: str  # a key of ENTITY_TYPES
    slug: str
    name: str
    kind: object  # what it is, in words (a lazy translation), when its type does not say it all
    detail: str  # its code, acronym or year of establishment, when it has one
    iso_code: str


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
        self.matcher = NameMatcher()  # every name and code -> entity ids
        self.keys, self.shown, self.names_of = self.matcher.keys, self.matcher.shown, self.matcher.names_of
        self.former: dict[str, str] = {}  # an id under a former slug -> the record's id now
        self._load_processes()
        self._load_participants()
        self._load_former_slugs()
        self.names_by_type = {
            kind: frozenset(key for key, ids in self.keys.items() if self._has_type(ids, kind))
            for kind in ENTITY_TYPES
        }
        self.matcher.freeze()
        # Every name and every word-start suffix of it, sorted: a prefix is a bisect away.
        self.prefixes = sorted(
            {(key[i:], key) for key in self.keys for i in range(len(key)) if i == 0 or key[i - 1] == " "}
        )

    # Loading -------------------------------------------------------------------------------------

    def _add(self, name: str, entity: str):
        self.matcher.add_name(name, entity)

    def _code(self, code: str, entity: str):
        self.matcher.add_code(code, entity)

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
        participants = list(
            Participant.objects.order_by().only(
                "slug", "name", "kind", "organization_type", "iso_code", "acronym"
            )
        )
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
            )
            for code in (p.acronym, p.slug):
                self._code(code or "", key)
            self.matcher.add_iso(p.iso_code or "", key)  # its codes, and the world's names of it
        for participant_id, name in participant_names(participants):
            self._add(name, ids[participant_id])
        self.participant_ids = ids
        # entity id -> its record's pk (processes and participants number their pks apart)
        self.pks = {key: pk for records in (ids, self.process_ids) for pk, key in records.items()}

    def _load_former_slugs(self):
        kinds = {
            ContentType.objects.get_for_model(Process).pk: self.process_ids,
            ContentType.objects.get_for_model(Participant).pk: self.participant_ids,
        }
        for type_id, object_id, slug in FormerSlug.objects.values_list("content_type", "object_id", "slug"):
            key = kinds.get(type_id, {}).get(object_id)
            if key is not None:
                self.former[entity_id(key.split(":")[0], slug)] = key
                self._code(slug, key)

    def entity(self, entity_id_: str) -> Entity | None:
        """The record of an id, also of an id under a slug it had before."""
        return self.entities.get(self.former.get(entity_id_, entity_id_))

    # Memberships, read when asked --------------------------------------------------------------------

    def members_of(self, processes: set[str]) -> frozenset[str]:
        """The ids of the records listed as members of any of these processes (by any source)."""
        pks = [self.pks[i] for i in processes if i in self.pks]
        listed = Participation.objects.filter(role=Role.MEMBER, process__in=pks).order_by()
        ids = listed.values_list("participant_id", flat=True).distinct()
        return frozenset(self.participant_ids[pk] for pk in ids if pk in self.participant_ids)

    def processes_of(self, entity: Entity) -> list[Entity]:
        """The processes a record was listed as a member of (by any source), by name."""
        if entity.type == "process":
            return []
        listed = Participation.objects.filter(role=Role.MEMBER, participant=self.pks[entity.id]).order_by()
        ids = listed.values_list("process_id", flat=True).distinct()
        found = [self.entities[self.process_ids[pk]] for pk in ids if pk in self.process_ids]
        return sorted(found, key=lambda process: process.name)

    def _has_type(self, ids, kind: str) -> bool:
        return any(self.entities[i].type == kind for i in ids)

    # Reading -------------------------------------------------------------------------------------

    def processes_named(self, value: str) -> set[str]:
        """The ids of the processes a value names: an id, a slug or any name of theirs."""
        value = str(value).strip()
        value = self.former.get(value, value)
        if value in self.entities:
            return {value} if self.entities[value].type == "process" else set()
        found = self.keys.get(normalize_name(value), set()) | self.matcher.codes.get(value.upper(), set())
        return {i for i in found if self.entities[i].type == "process"}

    def named_exactly(self, query: str) -> set[str]:
        """The records one of whose names, codes or identifier the query is exactly (or the state
        the world writes it for)."""
        query = " ".join(query.split())
        query = self.former.get(query, query)
        if query in self.entities:
            return {query}
        found, _matched = self.matcher.exactly(query)
        return found or self.matcher.by_world_name(query)

    def reconcile(self, query: str, types=(), conditions=(), limit: int = 5) -> list[Scored]:
        """The best candidates for a name (and/or property conditions), best first.

        `types`: restrict to these entity types (all when empty). `conditions`: (property id,
        values) pairs every candidate must satisfy: iso_code (codes) and member_of (the ids of
        the records satisfying it: members_of() the processes named).
        """
        allowed = self._allowed(types, conditions)
        found: dict[str, Scored] = {}
        if query:
            key = normalize_name(query)
            named = self.named_exactly(query)
            # The name matched: the registry's spelling of it; a code, the record's name; a name
            # the world gives the state, as written.
            world = not (self.keys.get(key) or self.matcher.codes.get(query.strip().upper()))
            for i in named:
                if allowed(i):
                    matched = self.shown.get(key) or (query.strip() if world else self.entities[i].name)
                    found[i] = self._scored(i, EXACT, matched, conditions)
            names = None if not types else frozenset().union(*(self.names_by_type.get(t, ()) for t in types))
            for close in self.matcher.closest(query, allowed=names, limit=max(limit * 4, 20)):
                i = close.record
                if allowed(i) and (i not in found or found[i].score < close.score):
                    found[i] = self._scored(i, close.score, close.matched, conditions)
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
            return entity.id in values
        return False

    @staticmethod
    def _identifies(conditions) -> bool:
        """Conditions that single a record out by themselves (an ISO code)."""
        return any(pid == "iso_code" for pid, _values in conditions)

    def _scored(self, i: str, score: float, matched: str, conditions) -> Scored:
        return Scored(self.entities[i], score, matched, {pid: True for pid, _values in conditions})
