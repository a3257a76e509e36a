"""Reading the fixture files: sources and regions, participants, offices, processes with each
source's account, events and groupings (see fixtures/README.md for the format)."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify

from .. import models as m
from ..choices import IomFunction, IomRoleStatus, ParticipantKind, Role
from ..dates import parse_partial_date
from .aliases import ParticipantNames
from .events import EventsAndGroupings
from .later_sources import LaterSources
from .store import SEED_REASON, FixtureError, SeedReport, Store, as_list, parse_cite

# libyaml's parser is several times faster than the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

IOM_COLUMNS = {
    IomFunction.SECRETARIAT: "Secretariat Functions Provided by IOM",
    IomFunction.EXPERT: "Expert Contributions Provided by IOM",
    IomFunction.RESEARCH: "Research and Information Dissemination by IOM",
    IomFunction.CAPACITY: "Capacity-Building and Technical Cooperation Provided by IOM",
}


class Loader(ParticipantNames, EventsAndGroupings, LaterSources, Store):
    def __init__(self, fixtures_dir: Path, report: SeedReport, later_sources: bool = True):
        super().__init__(report)
        self.later_sources = later_sources
        self.dir = Path(fixtures_dir)
        self.regions: dict[str, m.Region] = {}
        self.participants: dict[str, m.Participant] = {}
        self.name_index: dict[str, str] = {}  # normalized name -> participant slug
        self.processes: dict[str, m.Process] = {}
        self.offices: dict[str, m.IomOffice] = {}
        # participant slug -> {normalized spelling -> {"name", "language", "cites": [(source, locator)]}}
        self.alias_usage: dict[str, dict[str, dict]] = defaultdict(dict)
        self._event_slugs: set[str] = set()

    # ----------------------------------------------------------------- generic helpers

    def read(self, name: str):
        with open(self.dir / name, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=_YAML_LOADER)
        _refuse_empty_keys(document, name)
        return document

    # ----------------------------------------------------------------- the files
    def load(self):
        self.load_sources()
        self.load_participants()
        self.load_offices()
        process_files = sorted((self.dir / "processes").glob("*.yaml"))
        documents = [self.read(f"processes/{path.name}") for path in process_files]
        for doc in documents:  # processes first: organizations may be bodies of processes
            self.load_process(doc)
        self.link_process_bodies()
        for doc in documents:
            for account in doc.get("accounts", []):
                self.load_account(self.processes[doc["slug"]], account)
        self.load_events(self.read("events.yaml"))
        self.load_groupings(self.read("groupings.yaml"))
        self.load_participant_aliases()
        self.write_history()
        if self.later_sources:
            self.load_later_sources()  # through the account recorder, once the papers are written
            self.link_process_bodies()
        self.load_note_translations(self.read("note-translations.yaml"))

    def load_note_translations(self, data):
        """The registry's own notes in French and Spanish (NoteTranslation), keyed by the English
        text: each created when missing; one a curator has since changed is left as it is."""
        label = "note translations"
        known = set(m.NoteTranslation.objects.values_list("english", flat=True))
        new = []
        for item in data["notes"]:
            english = item["en"].strip()
            if english in known:
                self.report.existing[label] += 1
                continue
            known.add(english)
            french, spanish = item.get("fr", ""), item.get("es", "")
            new.append(m.NoteTranslation(english=english, french=french, spanish=spanish))
        m.NoteTranslation.objects.bulk_create(new)
        self.report.created[label] += len(new)

    def load_sources(self):
        data = self.read("sources.yaml")
        for item in data["sources"]:
            date, date_precision = parse_partial_date(item["date"])
            as_of, as_of_precision = parse_partial_date(item["as_of"])
            self.sources[item["symbol"]] = self.ensure(
                m.SourceDocument,
                {"symbol": item["symbol"]},
                {
                    "slug": item["slug"],
                    "title": item["title"],
                    "body": item.get("body", ""),
                    "date": date,
                    "date_precision": date_precision,
                    "as_of": as_of,
                    "as_of_precision": as_of_precision,
                    "languages": item.get("languages", ""),
                    "description": item.get("description", "").strip(),
                },
            )
        for symbol, scheme in data["regions"].items():
            source = self.sources[symbol]
            for position, item in enumerate(scheme["items"], start=1):
                region = self.ensure(
                    m.Region,
                    {"slug": item["slug"]},
                    {"name": item["name"], "source": source, "position": position},
                )
                self.regions[item["slug"]] = region
                self.cite(region, source, scheme["locator"])

    def load_participants(self):
        data = self.read("participants.yaml")
        entries = [(ParticipantKind.STATE, item) for item in data["states"]]
        entries += [(ParticipantKind.TERRITORY, item) for item in data["territories"]]
        entries += [(ParticipantKind.ORGANIZATION, item) for item in data["organizations"]]
        self._pending_bodies = {}
        for kind, item in entries:
            slug = item.get("slug") or slugify(item["name"])
            values = {
                "name": item["name"],
                "kind": kind,
                "iso_code": item.get("iso"),
                "acronym": item.get("acronym", ""),
                "name_language": item.get("name_language", "en"),
                "organization_type": item.get("type", ""),
                "note": item.get("note", ""),
            }
            participant = self.ensure(m.Participant, {"slug": slug}, values, label="participants")
            if participant is None:
                continue
            self.participants[slug] = participant
            self.index_name(item["name"], slug)
            if item.get("acronym"):
                self.index_name(item["acronym"], slug)
            for variant in item.get("variants", []):
                if isinstance(variant, str):
                    variant = {"name": variant}
                self.index_name(variant["name"], slug)
                language = variant.get("language", "en")
                self.register_alias(slug, variant["name"], language, display=variant.get("display", ""))
                for cite in as_list(variant.get("cite")):
                    source, locator = parse_cite(cite, None, None, self.sources)
                    self.register_alias(slug, variant["name"], language, source, locator)
            if item.get("process"):
                self._pending_bodies[slug] = item["process"]

    def link_process_bodies(self):
        """Link each organization that is a process's body to it (only one this seeding created: a
        curator's change stands). A process that only a later source records (PIDC) is linked once
        the later sources are loaded; without them, its body stays unlinked."""
        for slug, process_slug in list(self._pending_bodies.items()):
            process = self.processes.get(process_slug) or m.Process.objects.filter(slug=process_slug).first()
            if process is None:
                continue
            del self._pending_bodies[slug]
            participant = self.participants[slug]
            if getattr(participant, "_seed_created", False):
                participant.process = process
                participant._change_reason = SEED_REASON
                participant.save(update_fields=["process"])

    def load_offices(self):
        for item in self.read("offices.yaml")["offices"]:
            country = None
            if item.get("country"):
                country = m.Participant.objects.get(iso_code=item["country"])
            office = self.ensure(
                m.IomOffice,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "kind": item["kind"],
                    "city": item.get("city", ""),
                    "country": country,
                },
            )
            if office is None:
                continue
            self.offices[item["slug"]] = office
            self.cite_all(office, item.get("cite"), None)
            variant_cites = item.get("variant_cites") or {}
            for variant in item.get("variants", []):
                alias = self.ensure(
                    m.IomOfficeAlias,
                    {"office": office, "name": variant, "language": "en"},
                    {"kind": "variant"},
                )
                self.cite_all(alias, variant_cites.get(variant) or item.get("cite"), None)

    def load_process(self, doc, source: m.SourceDocument | None = None):
        """A process and its aliases; `source` is the one bare locators in `cite` point into."""
        process = self.ensure(
            m.Process,
            {"slug": doc["slug"]},
            {
                "name": doc["name"],
                "short_name": doc["short_name"],
                "kind": doc["kind"],
                "status": doc["status"],
                "status_note": doc.get("status_note", ""),
            },
        )
        if process is None:
            return
        self.processes[doc["slug"]] = process
        self.cite_all(process, doc.get("cite"), source)
        for alias_data in doc.get("aliases", []):
            alias = self.ensure(
                m.ProcessAlias,
                {
                    "process": process,
                    "name": alias_data["name"],
                    "language": alias_data.get("language", "en"),
                },
                {"kind": alias_data.get("kind", "variant"), "display": alias_data.get("display", "")},
            )
            self.cite_all(alias, alias_data.get("cite"), source)

    def load_account(self, process: m.Process, data):
        source = self.sources[data["source"]]
        locator = data["locator"]
        account = self.ensure(
            m.ProcessAccount,
            {"process": process, "source": source},
            {
                "name_as_listed": data["name_as_listed"],
                "region": self.regions[data["region"]] if data.get("region") else None,
                "year_established": data.get("year_established"),
                "secretariat_kind": data.get("secretariat_kind", ""),
                "secretariat": data.get("secretariat", "").strip(),
                "main_areas": data.get("main_areas", "").strip(),
                "current_priorities": data.get("current_priorities", "").strip(),
                "participation_notes": data.get("participation_notes", "").strip(),
                "iom_offices_note": (data.get("iom") or {}).get("offices_note", "").strip(),
                "notes": data.get("notes", "").strip(),
            },
        )
        if account is None:
            return
        self.cite(account, source, locator)
        if (data.get("iom") or {}).get("locator"):
            self.cite(account, source, f"{data['iom']['locator']}, column 'Primary IOM Office(s) Involved'")
        for position, text in enumerate(data.get("priorities", []), start=1):
            self.ensure(m.Priority, {"account": account, "position": position}, {"text": text.strip()})
        for total in data.get("totals", []):
            stated = self.ensure(
                m.StatedTotal,
                {"account": account, "role": total.get("role", Role.MEMBER)},
                {"stated": total["stated"], "note": total.get("note", "").strip()},
            )
            self.cite_all(stated, total.get("cite") or "column 'Governments'", source, locator)
        # A paper's account states every role's list, complete; a later source's states those its
        # fixture names ({role: complete | partial}).
        stated = data.get("lists_stated") or dict.fromkeys(Role.values, "complete")
        for role, how in stated.items():
            if role not in Role.values or how not in ("complete", "partial"):
                raise FixtureError(f"{process.slug}: lists_stated {role}: {how} (complete or partial)")
            self.ensure(m.StatedList, {"account": account, "role": role}, {"complete": how == "complete"})
        position = 0
        for group in data.get("participations", []):
            for entry in group["names"]:
                position += 1
                self.load_participation(process, account, source, locator, group, entry, position)
        if data.get("iom"):
            self.load_iom_roles(process, account, source, data["iom"])
        for position, wg in enumerate(data.get("working_groups", []), start=1):
            group = self.ensure(
                m.WorkingGroup,
                {"process": process, "name": wg["name"]},
                {
                    "account": account,
                    "position": position,
                    "chair": self.resolve(wg["chair"]) if wg.get("chair") else None,
                    "co_chair": self.resolve(wg["co_chair"]) if wg.get("co_chair") else None,
                    "note": wg.get("note", ""),
                },
            )
            wg_locator = f"{locator}, column 'Main Areas of Discussion'"
            self.cite_all(group, wg.get("cite") or wg_locator, source, locator)
            for role in ("chair", "co_chair"):
                if wg.get(role):
                    self.use_name(self.resolve(wg[role]), wg[role], source, wg_locator)
        for position, phase in enumerate(data.get("phases", []), start=1):
            start, start_precision = parse_partial_date(phase["start"]) if phase.get("start") else (None, "")
            end, end_precision = (
                parse_partial_date(phase["end"], end=True) if phase.get("end") else (None, "")
            )
            obj = self.ensure(
                m.Phase,
                {"process": process, "name": phase["name"]},
                {
                    "position": position,
                    "start": start,
                    "start_precision": start_precision,
                    "end": end,
                    "end_precision": end_precision,
                    "description": phase.get("description", ""),
                },
            )
            self.cite_all(obj, phase.get("cite") or "column 'Main Areas of Discussion'", source, locator)
        for event in data.get("events", []):
            self.load_event(event, source, process, locator)

    def load_participation(self, process, account, source, locator, group, entry, position):
        if isinstance(entry, str):
            entry = {"name": entry}
        as_cited = entry.get("as_cited", entry["name"])
        participant = self.resolve(entry["name"], entry.get("participant"))
        start_text = entry.get("start", group.get("start"))
        end_text = entry.get("end", group.get("end"))
        start, start_precision = parse_partial_date(start_text) if start_text else (None, "")
        end, end_precision = parse_partial_date(end_text, end=True) if end_text else (None, "")
        if entry.get("cite"):
            cites = as_list(entry["cite"])
        elif group.get("cite"):
            cites = as_list(group["cite"])
        else:
            cites = [f"column '{group['column']}'"]
        notes = [text for text in (group.get("note"), entry.get("note")) if text]
        participation = self.ensure(
            m.Participation,
            {
                "process": process,
                "participant": participant,
                "role": entry.get("role", group["role"]),
                "account": account,
                "start": start,
                "end": end,
            },
            {
                "start_precision": start_precision,
                "end_precision": end_precision,
                "name_as_cited": as_cited,
                "group_label": group.get("group", ""),
                "status_note": " ".join(notes),
                "suspended": bool(entry.get("suspended", False)),
                "counted_in_total": bool(entry.get("counted", group.get("counted", False))),
                "position": position,
            },
        )
        for text in cites:
            cited_source, cited_locator = parse_cite(text, source, locator, self.sources)
            self.cite(participation, cited_source, cited_locator)
            if "as_cited" not in entry:
                self.use_name(participant, as_cited, cited_source, cited_locator)

    def load_iom_roles(self, process, account, source, iom):
        """SCPF/30 Annex I gives a cell per function (cited by row and column); MC/INF/266 describes
        IOM's role in prose, so each role there gives its own `cite` and, where they differ, `offices`."""
        for function, cell in iom["roles"].items():
            status = cell.get("status", IomRoleStatus.DESCRIBED)
            role = self.ensure(
                m.IomRole,
                {"account": account, "function": function},
                {
                    "process": process,
                    "status": status,
                    "description": cell.get("text", "").strip(),
                    "note": cell.get("note", ""),
                },
            )
            if role is None:
                continue
            if getattr(role, "_seed_created", False):
                role.offices.set([self.offices[slug] for slug in cell.get("offices", iom.get("offices", []))])
            if cell.get("cite"):
                self.cite_all(role, cell["cite"], source)
            else:
                self.cite(role, source, f"{iom['locator']}, column '{IOM_COLUMNS[function]}'")


def seed(fixtures_dir: Path, later_sources: bool | None = None) -> SeedReport:
    """Load the fixtures in one transaction: on any error nothing is written. `later_sources`:
    whether the sources after the papers (fixtures/sources/) load too; by default the setting
    REGISTRY_SEED_LATER_SOURCES (on, but for the test suite's shared data: see tests/conftest.py)."""
    if later_sources is None:
        later_sources = getattr(settings, "REGISTRY_SEED_LATER_SOURCES", True)
    report = SeedReport()
    started = time.perf_counter()
    with transaction.atomic():
        m.RegistryVersion.bump()  # bulk writes send no signals
        Loader(fixtures_dir, report, later_sources).load()
    if connection.vendor == "postgresql":
        # Statistics for the rows just written in bulk: without them (autovacuum has not run yet)
        # the planner took the as-of query for a few rows and nested it into minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report.seconds = time.perf_counter() - started
    return report


def _refuse_empty_keys(node, file_name: str):
    """No fixture field is ever left empty: a key without a value is YAML's reading of an unquoted
    comma in a {…} mapping ("name: United Nations Educational, Scientific and …" cuts the name)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                raise FixtureError(
                    f"{file_name}: {key!r} has no value; quote a text that holds a comma inside {{…}}"
                )
            _refuse_empty_keys(value, file_name)
    elif isinstance(node, list):
        for item in node:
            _refuse_empty_keys(item, file_name)
