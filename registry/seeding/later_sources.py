"""Reading the later sources (fixtures/sources/*.yaml): one file per source — IOM's profile pages
of the consultation mechanisms, its overview tables — each naming the mechanisms it introduces and
giving its accounts of them. The source, the processes it introduces, their aliases, successions
and statuses are seeded like the papers' records; each account goes through the account recorder
(AccountDraft), as a curator's would: only what the source states, each list complete or partial,
the chairs with their periods. An account seeded once is never recorded again: a curator's later
change to it stands, and one a curator deleted is not brought back."""

from __future__ import annotations

from django.utils.text import slugify

from .. import models as m
from ..choices import ParticipantKind, Role
from ..dates import parse_partial_date
from .store import FixtureError, as_list

LATER_SOURCES_DIR = "sources"


class LaterSources:
    """The loader's second phase (see Loader.load): run after the papers are written."""

    def load_later_sources(self):
        documents = [
            (path.name, self.read(f"{LATER_SOURCES_DIR}/{path.name}"))
            for path in sorted((self.dir / LATER_SOURCES_DIR).glob("*.yaml"))
        ]
        # Oldest first: a source is recorded after those it follows, as a curator would.
        documents.sort(key=lambda item: (str(item[1]["source"]["as_of"]), item[0]))
        pending, sources = [], {}
        for name, doc in documents:  # every source and the mechanisms it introduces, first
            sources[name] = source = self.load_later_source(doc["source"])
            for process_doc in doc.get("processes", []):
                self.load_process(process_doc, source)
        for name, doc in documents:  # then what they say of any process, older sources' too
            source = sources[name]
            for alias in doc.get("aliases", []):
                self._later_alias(alias, source)
            for succession in doc.get("successions", []):
                self._succession(succession, source)
            for status in doc.get("statuses", []):
                self._status(status, source)
            pending += [(name, source, account) for account in doc.get("accounts", [])]
        self.write_history()
        resolver = m.NameResolver()
        for name, source, account in pending:
            if self._record_later_account(name, source, account, resolver):
                resolver = m.NameResolver()  # it created participants or aliases: names changed
        self.record_seed_keys()

    def load_later_source(self, data) -> m.SourceDocument:
        as_of, as_of_precision = parse_partial_date(str(data["as_of"]))
        date, date_precision = parse_partial_date(str(data["date"])) if data.get("date") else (None, "day")
        consulted = parse_partial_date(str(data["consulted"]))[0] if data.get("consulted") else None
        source = self.ensure(
            m.SourceDocument,
            {"slug": data["slug"]},
            {
                "symbol": data.get("symbol", ""),
                "kind": data["kind"],
                "title": data["title"],
                "body": data.get("body", ""),
                "web_address": data.get("web_address", ""),
                "date": date,
                "date_precision": date_precision,
                "as_of": as_of,
                "as_of_precision": as_of_precision,
                "consulted": consulted,
                "languages": data.get("languages", ""),
                "description": data.get("description", "").strip(),
            },
        )
        if source is None:
            raise FixtureError(
                f"The source {data['slug']} was deleted by a curator; its accounts cannot load."
            )
        self.sources[source.key] = source
        return source

    def _later_alias(self, data, source):
        """A process's name in the source (`process:` its slug), or a participant's (`participant:`,
        an organization's French name, say)."""
        language, kind = data.get("language", "en"), data.get("kind", "variant")
        display = data.get("display", "")
        if "participant" in data:
            participant = m.Participant.objects.filter(slug=data["participant"]).first()
            if participant is None:
                raise FixtureError(f"aliases: no participant {data['participant']!r} (for {data['name']!r})")
            alias = self.ensure(
                m.ParticipantAlias,
                {"participant": participant, "name": data["name"], "language": language},
                {"kind": kind, "display": display},
                label="participant name variants",
            )
        else:
            alias = self.ensure(
                m.ProcessAlias,
                {"process": self._process(data["process"]), "name": data["name"], "language": language},
                {"kind": kind, "display": display},
            )
        self.cite_all(alias, data.get("cite"), source)

    def _succession(self, data, source):
        date, precision = parse_partial_date(str(data["date"])) if data.get("date") else (None, "")
        succession = self.ensure(
            m.Succession,
            {
                "predecessor": self._process(data["predecessor"]),
                "successor": self._process(data["successor"]),
            },
            {"date": date, "date_precision": precision, "note": data.get("note", "")},
        )
        self.cite_all(succession, data.get("cite"), source)

    def _status(self, data, source):
        start, start_precision = parse_partial_date(str(data["start"]))
        status = self.ensure(
            m.StatusPeriod,
            {"process": self._process(data["process"]), "start": start},
            {"start_precision": start_precision, "status": data["status"], "note": data.get("note", "")},
        )
        self.cite_all(status, data.get("cite"), source)

    def _process(self, slug) -> m.Process:
        process = self.processes.get(slug) or m.Process.objects.filter(slug=slug).first()
        if process is None:
            raise FixtureError(f"No process {slug!r}: a later source introduces it under `processes`.")
        return process

    # ------------------------------------------------------------------------------ the accounts

    def _record_later_account(self, file_name, source, data, resolver) -> bool:
        """Record one account through the recorder (unless seeded before); whether it changed
        the names the registry knows (new participants or aliases)."""
        process = self._process(data["process"])
        key_names, key_values = ("process_id", "source_id"), (process.pk, source.pk)
        seed_key = self.seed_key(m.ProcessAccount, key_names, key_values)
        label = "sources' accounts of processes"
        if seed_key in self.seed_keys():  # seeded before: kept as it is, or deleted by a curator
            self.report.existing[label] += 1
            return False
        existing = m.ProcessAccount.objects.filter(process=process, source=source).first()
        if existing is not None:  # recorded by a curator before the fixture had it
            self._new_seed_keys.append((seed_key, existing))
            self.report.existing[label] += 1
            return False
        draft = self._draft(process, source, data, resolver)
        preview = draft.preview()
        if not preview.valid:
            unresolved = [resolution.name for resolution in preview.unresolved]
            raise FixtureError(
                f"sources/{file_name}: the account of {process.slug}: {dict(preview.errors)}"
                + (
                    f"; names that do not resolve (give `picks` or `new_participants`): {unresolved}"
                    if unresolved
                    else ""
                )
            )
        account = draft.apply()
        self._new_seed_keys.append((seed_key, account))
        self.report.created[label] += 1
        return bool(draft.picks)

    def _draft(self, process, source, data, resolver) -> m.AccountDraft:
        lists = {role: as_list(names) for role, names in (data.get("lists") or {}).items()}
        leaders = [
            m.Leader(
                leader.get("role", Role.CHAIR),
                leader["name"],
                str(leader.get("start", "")),
                str(leader.get("end", "")),
                leader.get("note", ""),
            )
            for leader in data.get("leaders", [])
        ]
        leavings = [
            m.Leaving(leaving.get("role", Role.MEMBER), leaving["name"], leaving["kind"])
            for leaving in data.get("departures", [])
        ]
        aspects = m.AccountAspects(
            region=data.get("region"),
            year_established=data.get("year_established"),
            mechanism_type=data.get("type"),
            secretariat_kind=data.get("secretariat_kind"),
            secretariat=_text(data.get("secretariat")),
            main_areas=_text(data.get("main_areas")),
        )
        return m.AccountDraft(
            process=process,
            source=source,
            locator=data["locator"],
            lists=lists,
            stated_totals=dict(data.get("totals") or {}),
            total_notes=dict(data.get("total_notes") or {}),
            leaders=leaders,
            picks=self._picks(data),
            partial_roles=frozenset(data.get("partial", [])),
            leavings=leavings,
            aspects=aspects,
            name_as_listed=data.get("name_as_listed", ""),
            reason=f"Recorded from {source.label}"[:100],
            resolver=resolver,
        )

    def _picks(self, data) -> dict:
        """Who names that do not resolve by themselves are: a participant's slug (`picks`), or a
        participant to create (`new_participants`), unless an earlier account created it."""
        picks = {}
        for name, slug in (data.get("picks") or {}).items():
            participant = m.Participant.objects.filter(slug=slug).first()
            if participant is None:
                raise FixtureError(f"picks: no participant {slug!r} (for {name!r})")
            picks[name] = participant
        for name, new in (data.get("new_participants") or {}).items():
            made = m.Participant.objects.filter(slug=slugify(new.get("name", name))).first()
            picks[name] = made or m.NewParticipant(
                name=new.get("name", name),
                kind=new.get("kind", ParticipantKind.STATE),
                iso_code=new.get("iso", ""),
                acronym=new.get("acronym", ""),
                organization_type=new.get("type", ""),
                note=new.get("note", ""),
            )
        return picks


def _text(value):
    """A fixture's block text, its lines joined as the source's paragraphs; None when not stated."""
    return None if value is None else str(value).strip()
