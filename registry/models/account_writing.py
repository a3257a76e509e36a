"""Writing a recorded account (AccountDraft.apply, models/recording.py): in one transaction, with
one history reason and one bump of the registry version.

Recording the same account again writes nothing: a PUT whose lists, totals, chair, locator and
name are what the account holds leaves every row, history and version as they were ("unchanged").
A PUT that changes some of it writes only the difference: a participation the account still lists
(the same participant in the same role) keeps its row and its id — updated in place where its
name as cited, position or start changed — those it no longer lists are deleted, new ones created;
stated totals, the lists it states (complete or partial) and its departures likewise, by role. An
aspect the draft does not give (region, year, secretariat, main areas) keeps what the account
holds."""

import re

from ..choices import AliasKind, Role
from ..dates import parse_partial_date
from ..matching import normalize_name
from .account_lists import SUSPENDED
from .accounts import ProcessAccount, StatedList, StatedTotal
from .changes import bulk_create_recorded
from .participants import ParticipantAlias
from .participations import Departure, Participation
from .processes import Region
from .slugs import unique_slug
from .sources import Citation

__all__ = ["AccountWriter"]

# What a listed participation holds of its entry: compared to tell an unchanged row.
ROW_FIELDS = (
    "name_as_cited",
    "position",
    "counted_in_total",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "status_note",
    "suspended",
)
DEPARTURE_FIELDS = ("kind", "name_as_cited")


class AccountWriter:
    """The writing half of AccountDraft (which gives process, source, locator, entries, stated
    totals, picks, replacing and name_as_listed)."""

    def unchanged(self) -> bool:
        """Whether applying would write nothing: the account replaced already holds exactly this."""
        self.preview()  # the names resolved
        account = self.replacing
        if account is None or self._new_participants() or self._new_aliases():
            return False
        if (
            self._name_as_listed(account) != account.name_as_listed
            or self._old_locator(account) != self.locator
            or not self._holds_aspects(account)
        ):
            return False
        if dict(account.stated_lists.values_list("role", "complete")) != self._wanted_lists():
            return False
        held_departures = set(
            account.departures.values_list("participant_id", "role", "kind", "name_as_cited")
        )
        if held_departures != {
            (d.participant_id, d.role, d.kind, d.name_as_cited) for d in self._departure_rows(account, {})
        }:
            return False
        held = {_row_key(row): row for row in account.participations.all()}
        wanted = self._rows(account, {})
        if set(held) != {_row_key(row) for row in wanted}:
            return False
        if any(_differs(held[_row_key(row)], row) for row in wanted):
            return False
        totals = {
            role: (stated, note)
            for role, stated, note in account.stated_totals.values_list("role", "stated", "note")
        }
        return totals == {
            role: (stated, self.total_notes.get(role, "")) for role, stated in self.stated_totals.items()
        }

    # ---------------------------------------------------------------------------------------------

    def _name_as_listed(self, account) -> str:
        return self.name_as_listed or account.name_as_listed or self.process.name

    def _old_locator(self, account) -> str | None:
        """The locator the account cites its source at (None for a new account)."""
        if account is None or account.pk is None:
            return None
        citation = account.citations.filter(source=self.source).order_by("pk").first()
        return citation.locator if citation else None

    def _holds_aspects(self, account) -> bool:
        """Whether the account already holds each aspect the draft gives."""
        for name, value in self.aspects.given().items():
            held = (
                getattr(account, name)
                if name != "region"
                else account.region.name
                if account.region_id
                else ""
            )
            if held != (" ".join(value.split()) if name == "region" else value):
                return False
        return True

    def _region(self, name, reason) -> Region | None:
        """The source's regional heading of that name, created (citing the source) when it is new."""
        name = " ".join(name.split())
        if not name:
            return None
        region = Region.objects.filter(source=self.source, name=name).first()
        if region is None:
            slug = unique_slug(Region.objects.all(), f"{name} {self.source.key}", "region")
            region = Region(source=self.source, name=name, slug=slug)
            region._change_reason = reason
            region.full_clean()
            region.save()
            region.cite(self.source, self.locator, reason=reason)
        return region

    def _account(self, reason, user) -> ProcessAccount:
        account = self.replacing or ProcessAccount(process=self.process, source=self.source)
        changed = account.pk is None
        for name, value in [("name_as_listed", self._name_as_listed(account)), *self.aspects.given().items()]:
            value = self._region(value, reason) if name == "region" else value
            if getattr(account, name) != value:
                setattr(account, name, value)
                changed = True
        if changed:
            account._change_reason = reason
            account._history_user = user
            account.full_clean()
            account.save()
        self._recite(account, reason)
        return account

    def _recite(self, fact, reason):
        """The fact cites the source at this draft's locator (and no longer at another place of it)."""
        for citation in fact.citations.filter(source=self.source).exclude(locator=self.locator):
            citation._change_reason = reason
            citation.delete()
        fact.cite(self.source, self.locator, reason=reason)

    def _rows(self, account, created) -> list[Participation]:
        """The participations the entries make (unsaved)."""
        totals = {role for role in self.stated_totals if role in Role.values}
        rows = []
        for entry in self.entries:
            if entry.leaving not in ("", SUSPENDED):  # a departure: see _departure_rows
                continue
            participant = created.get(entry.participant, entry.participant)
            row = Participation(
                process=self.process,
                participant=participant,
                role=entry.role,
                account=account,
                name_as_cited=entry.name,
                position=entry.position,
                counted_in_total=entry.role in totals,
                suspended=entry.leaving == SUSPENDED,
            )
            if entry.start:
                row.start, row.start_precision = parse_partial_date(entry.start)
            if entry.end:
                row.end, row.end_precision = parse_partial_date(entry.end, end=True)
            row.status_note = entry.note
            row.before_save()
            rows.append(row)
        return rows

    def _participations(self, account, created, reason, user, relocated: bool):
        wanted = self._rows(account, created)
        self._write(account.participations.all(), wanted, ROW_FIELDS, reason, user, relocated)
        self._aliases(created, reason, user)

    def _write(self, held_rows, wanted, fields, reason, user, relocated: bool):
        """What the account holds made what the draft wants, by participant and role: a row still
        wanted keeps its id (updated in place where `fields` differ), the others are deleted, the
        new created and cited (one implementation for participations and departures)."""
        held = {_row_key(row): row for row in held_rows}
        new = []
        for row in wanted:
            kept = held.pop(_row_key(row), None)
            if kept is None:
                new.append(row)
                continue
            if any(getattr(kept, name) != getattr(row, name) for name in fields):
                for name in fields:
                    setattr(kept, name, getattr(row, name))
                kept._change_reason, kept._history_user = reason, user
                kept.save()
            if relocated:
                self._recite(kept, reason)
        for gone in held.values():
            gone._change_reason, gone._history_user = reason, user
            gone.delete()
        if new:
            self._cite_all(bulk_create_recorded(new, type(new[0]), reason=reason, user=user), reason, user)

    def _wanted_lists(self) -> dict[str, bool]:
        """{role: complete} of the lists the account states: those given (a suspension alone
        states its role's list in part)."""
        complete = self.complete_roles()
        wanted = {role: role in complete for role in self.lists}
        wanted.update({leader.role: True for leader in self.leaders})
        for entry in self.entries:
            if entry.leaving == SUSPENDED:
                wanted.setdefault(entry.role, False)
        return wanted

    def _stated_lists(self, account, reason, user):
        held = {stated.role: stated for stated in account.stated_lists.all()}
        for role, complete in self._wanted_lists().items():
            stated = held.pop(role, None) or StatedList(account=account, role=role)
            if stated.pk is None or stated.complete != complete:
                stated.complete = complete
                stated._change_reason, stated._history_user = reason, user
                stated.save()
        for gone in held.values():
            gone._change_reason, gone._history_user = reason, user
            gone.delete()

    def _departure_rows(self, account, created) -> list[Departure]:
        return [
            Departure(
                account=account,
                participant=created.get(entry.participant, entry.participant),
                role=entry.role,
                kind=entry.leaving,
                name_as_cited=entry.name,
            )
            for entry in self.entries
            if entry.leaving not in ("", SUSPENDED)
        ]

    def _departures(self, account, created, reason, user, relocated: bool):
        wanted = self._departure_rows(account, created)
        self._write(account.departures.all(), wanted, DEPARTURE_FIELDS, reason, user, relocated)

    def _cite_all(self, facts, reason, user):
        if not facts:
            return
        content_type = Citation.content_type_for(facts[0])
        citations = [
            Citation(content_type=content_type, object_id=fact.pk, source=self.source, locator=self.locator)
            for fact in facts
        ]
        bulk_create_recorded(citations, Citation, reason=reason, user=user)

    def _new_aliases(self) -> list[tuple]:
        """(participant, spelling) of each name a curator resolved that the participant is not yet
        known by in the source's language."""
        language = _source_language(self.source)
        wanted = {}
        for entry in self.entries:
            if not entry.picked:
                continue
            participant = entry.participant
            key = normalize_name(entry.name)
            if key == normalize_name(participant.name) or (getattr(participant, "pk", None), key) in wanted:
                continue
            wanted[(getattr(participant, "pk", None), key)] = (participant, entry.name)
        known = set(
            ParticipantAlias.objects.filter(
                participant__in=[p.pk for p, _name in wanted.values() if getattr(p, "pk", None)],
                language=language,
            ).values_list("participant_id", "name")
        )
        return [(p, name) for p, name in wanted.values() if (getattr(p, "pk", None), name) not in known]

    def _aliases(self, created, reason, user):
        """A name the registry did not know, resolved by the curator, becomes an alias citing the
        source (so the next account that writes it resolves on its own)."""
        language = _source_language(self.source)
        aliases = []
        for participant, name in self._new_aliases():
            alias = ParticipantAlias(
                participant=created.get(participant, participant),
                name=name,
                language=language,
                kind=AliasKind.AS_CITED,  # remembered for matching; a curator may make it a name
            )
            alias.before_save()
            aliases.append(alias)
        aliases = bulk_create_recorded(aliases, ParticipantAlias, reason=reason, user=user)
        self._cite_all(aliases, reason, user)

    def _stated_totals(self, account, reason, user, relocated: bool):
        held = {total.role: total for total in account.stated_totals.all()}
        for role, stated in self.stated_totals.items():
            total = held.pop(role, None) or StatedTotal(account=account, role=role)
            total._change_reason, total._history_user = reason, user
            note = self.total_notes.get(role, "")
            if total.pk is None or total.stated != stated or total.note != note:
                total.stated, total.note = stated, note
                total.full_clean(exclude=["account"])
                total.save()
                total.cite(self.source, self.locator, reason=reason)
            elif relocated:
                self._recite(total, reason)
        for gone in held.values():
            gone._change_reason, gone._history_user = reason, user
            gone.delete()


def _row_key(row) -> tuple:
    """Who, in which role, from when: a leader may hold a role twice (a departure has no start)."""
    return (row.participant_id, row.role, getattr(row, "start", None))


def _differs(held: Participation, wanted: Participation) -> bool:
    return any(getattr(held, name) != getattr(wanted, name) for name in ROW_FIELDS)


def _source_language(source) -> str:
    """The first language code the source's languages name ("body: es; annexes: en" -> "es")."""
    codes = re.findall(r"\b[a-z]{2,3}\b", source.languages or "")
    return codes[0] if codes else "en"
