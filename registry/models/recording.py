"""A new account of a process recorded as a whole: a document's lists of participants by role
("the Fifth Ministerial Conference was attended by ..."), its stated totals and its chair, with
the names as the document writes them. The admin's "Record a new account" and the API's
POST /api/processes/{slug}/accounts/ both go through AccountDraft: preview() says what would
change against the account in force on the source's date, apply() writes it all in one
transaction with one history reason and one bump of the registry version."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Role
from ..dates import PartialDateError, parse_partial_date
from ..matching import normalize_name
from .account_lists import (
    LEADERSHIP_ROLES,
    MAX_NAME,
    AccountPreview,
    Entry,
    Leader,
    NewParticipant,
    RoleChange,
)
from .accounts import ProcessAccount, StatedTotal
from .changes import bulk_create_recorded
from .participants import Participant, ParticipantAlias
from .participations import JOINED, LEFT, ROLE_CHANGED, Participation, change_of_roles
from .processes import Process
from .resolution import NameResolver
from .slugs import unique_slug
from .sources import Citation, SourceDocument
from .version import RegistryVersion

__all__ = ["AccountDraft"]


# The roles a document names one holder of, with the day the holder took over.
@dataclass
class AccountDraft:
    """What a curator or an API consumer gives. `picks` says who a name that did not resolve
    (or resolved to several) is: a Participant, or a NewParticipant to create."""

    process: Process
    source: SourceDocument
    locator: str
    lists: dict[str, list[str]]
    stated_totals: dict[str, int] = field(default_factory=dict)
    leaders: list[Leader] = field(default_factory=list)
    picks: dict[str, Participant | NewParticipant] = field(default_factory=dict)
    correction: bool = False
    reason: str = ""
    replacing: ProcessAccount | None = None  # PUT on an existing account
    name_as_listed: str = ""

    def __post_init__(self):
        self.entries: list[Entry] = []
        self._preview: AccountPreview | None = None

    # Preview -------------------------------------------------------------------------------------

    def preview(self) -> AccountPreview:
        if self._preview is None:
            self._preview = self._make_preview()
        return self._preview

    def _make_preview(self) -> AccountPreview:
        day = self.source.as_of
        accounts = list(
            ProcessAccount.objects.filter(process=self.process)
            .select_related("source")
            .order_by("-source__as_of", "-pk")
        )
        in_force = next((a for a in accounts if a.source.as_of <= day), None)
        preview = AccountPreview(in_force=in_force)
        preview.existing = next((a for a in accounts if a.source_id == self.source.pk), None)
        errors = preview.errors
        self._check_source(accounts, errors)
        self._resolve(preview)
        self._check_lists(errors)
        self._check_new_participants(errors)
        self._check_totals(preview)
        if not errors:  # the names resolved so far are compared; the others are listed unresolved
            self._compare(preview, in_force)
        return preview

    def _check_source(self, accounts, errors):
        today = timezone.localdate()
        if self.source.as_of > today or (self.source.date and self.source.date > today):
            errors.setdefault("source", []).append(_("The source is dated after today."))
        if not str(self.locator or "").strip():
            errors.setdefault("locator", []).append(_("Say where in the source the lists are (a locator)."))
        newest = next((a for a in accounts if a.source.as_of <= today), None)
        if (
            self.replacing is None
            and newest
            and newest.source.as_of > self.source.as_of
            and not self.correction
        ):
            errors.setdefault("correction", []).append(
                _(
                    "%(newest)s (as of %(date)s) is the account in force; this source is older. Mark the "
                    "account as a correction of the past to record it."
                )
                % {"newest": newest.source.label, "date": newest.source.as_of_display}
            )

    def _resolve(self, preview):
        resolver = NameResolver()
        picks = {" ".join(name.split()): who for name, who in self.picks.items()}
        self.entries = []
        position = 0
        for role, names in self.lists.items():
            for name in names:
                position += 1
                self.entries.append(Entry(role, " ".join(str(name).split()), position))
        for leader in self.leaders:
            position += 1
            self.entries.append(
                Entry(leader.role, " ".join(leader.name.split()), position, start=leader.start)
            )
        for entry in self.entries:
            entry.resolution = resolver.resolve(entry.name)
            if entry.name in picks:
                entry.participant, entry.picked = picks[entry.name], True
                if all(e.name != entry.name for e in preview.picked):
                    preview.picked.append(entry)
            elif entry.resolution.resolved:
                entry.participant = entry.resolution.participant
            elif entry.name and all(r.name != entry.name for r in preview.unresolved):
                preview.unresolved.append(entry.resolution)

    def _check_lists(self, errors):
        lists_errors = []
        if not any(names for names in self.lists.values()):
            lists_errors.append(_("List at least one participant."))
        for role in self.lists:
            if role not in Role.values:
                lists_errors.append(_("“%(role)s” is not a role.") % {"role": role})
        seen: dict[tuple[str, object], str] = {}
        for entry in self.entries:
            label = Role(entry.role).label if entry.role in Role.values else entry.role
            if not entry.name:
                lists_errors.append(_("An empty name in the %(role)s list.") % {"role": label})
                continue
            if len(entry.name) > MAX_NAME:
                lists_errors.append(
                    _("“%(name)s…” is longer than 300 characters.") % {"name": entry.name[:40]}
                )
            for key in {normalize_name(entry.name), _identity(entry.participant)} - {None}:
                if (entry.role, key) in seen:
                    lists_errors.append(
                        _("“%(name)s” is in the %(role)s list twice (also as “%(other)s”).")
                        % {"name": entry.name, "role": label, "other": seen[(entry.role, key)]}
                    )
                    break
            for key in {normalize_name(entry.name), _identity(entry.participant)} - {None}:
                seen.setdefault((entry.role, key), entry.name)
        for leader in self.leaders:
            if leader.role not in LEADERSHIP_ROLES:
                errors.setdefault(leader.role, []).append(_("Not a chair, co-chair or presidency."))
            if leader.start:
                try:
                    parse_partial_date(leader.start)
                except PartialDateError as error:
                    errors.setdefault(leader.role, []).append(str(error))
        if lists_errors:
            errors.setdefault("lists", []).extend(dict.fromkeys(lists_errors))

    def _check_new_participants(self, errors):
        for new in self._new_participants():
            try:
                self._participant(new).full_clean()
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
                errors.setdefault("new_participants", []).append(f"{new.name}: {' '.join(messages)}")

    def _new_participants(self) -> list[NewParticipant]:
        return list(
            dict.fromkeys(e.participant for e in self.entries if isinstance(e.participant, NewParticipant))
        )

    @staticmethod
    def _participant(new: NewParticipant) -> Participant:
        return Participant(
            name=new.name,
            kind=new.kind,
            iso_code=new.iso_code.upper() or None,
            acronym=new.acronym,
            organization_type=new.organization_type,
            slug=unique_slug(Participant.objects.all(), new.name, "participant"),
        )

    def _check_totals(self, preview):
        for role, stated in self.stated_totals.items():
            if role not in Role.values or not isinstance(stated, int) or stated < 0:
                message = _("“%(role)s”: a role and a whole number of participants.") % {"role": role}
                preview.errors.setdefault("stated_totals", []).append(message)
                continue
            listed = sum(1 for e in self.entries if e.role == role)
            preview.totals[role] = {"stated": stated, "listed": listed}

    def _compare(self, preview, in_force):
        """Roles per participant before (as of the source's date) and after (the same, with the
        account in force replaced by this one), by the change report's rule."""
        day = self.source.as_of
        rows = Participation.objects.as_of(day).filter(process=self.process).select_related("participant")
        before: dict[object, set[str]] = {}
        kept: dict[object, set[str]] = {}
        who: dict[object, Participant | NewParticipant] = {}
        replaced = {a.pk for a in (in_force, self.replacing) if a is not None}
        for row in rows:
            before.setdefault(row.participant_id, set()).add(row.role)
            who[row.participant_id] = row.participant
            if row.account_id not in replaced:  # curated facts, and later sources' dated ones
                kept.setdefault(row.participant_id, set()).add(row.role)
        after = {key: set(roles) for key, roles in kept.items()}
        names: dict[object, list[str]] = {}
        for entry in self.entries:
            key = _identity(entry.participant)
            if key is None:
                continue
            after.setdefault(key, set()).add(entry.role)
            who.setdefault(key, entry.participant)
            names.setdefault(key, []).append(entry.name)
        buckets = {
            JOINED: preview.joined,
            LEFT: preview.left,
            ROLE_CHANGED: preview.changed,
            None: preview.unchanged,
        }
        order = {role: i for i, role in enumerate(Role.values)}
        for key in sorted(set(before) | set(after), key=lambda k: who[k].name):
            old, new = before.get(key, set()), after.get(key, set())
            change = change_of_roles(old, new)
            buckets[change].append(
                RoleChange(
                    who[key],
                    sorted(new, key=order.get),
                    sorted(old, key=order.get),
                    names.get(key, []),
                )
            )

    # Apply ---------------------------------------------------------------------------------------

    def apply(self, user=None) -> ProcessAccount:
        """Write the account; raises ValidationError (with the preview's errors) when it is not
        valid. All or nothing."""
        preview = self.preview()
        if not preview.valid:
            errors = dict(preview.errors)
            if preview.unresolved:
                errors["unresolved"] = [
                    _("“%(name)s” is not resolved.") % {"name": r.name} for r in preview.unresolved
                ]
            raise ValidationError(errors)
        reason = self.reason or _("Account of %(process)s by %(source)s recorded") % {
            "process": self.process,
            "source": self.source.label,
        }
        reason = reason[:100]  # the history's column
        with transaction.atomic(), RegistryVersion.one_bump():
            created = self._create_participants(reason, user)
            account = self._account(preview, reason, user)
            self._participations(account, created, reason, user)
            self._stated_totals(account, reason, user)
        return account

    def _create_participants(self, reason, user) -> dict[NewParticipant, Participant]:
        created = {}
        for new in self._new_participants():
            participant = self._participant(new)  # validated by the preview
            participant._change_reason = reason
            participant._history_user = user
            participant.save()
            participant.cite(self.source, self.locator, reason=reason)
            created[new] = participant
        return created

    def _account(self, preview, reason, user) -> ProcessAccount:
        account = self.replacing
        if account is None:
            account = ProcessAccount(process=self.process, source=self.source)
        else:
            for rows in (account.participations.all(), account.stated_totals.all()):
                for row in rows:
                    row._change_reason = reason
                    row._history_user = user
                    row.delete()
        account.name_as_listed = self.name_as_listed or account.name_as_listed or self.process.name
        account._change_reason = reason
        account._history_user = user
        account.full_clean()
        account.save()
        account.cite(self.source, self.locator, reason=reason)
        return account

    def _participations(self, account, created, reason, user):
        totals = {role for role in self.stated_totals if role in Role.values}
        rows = []
        for entry in self.entries:
            participant = created.get(entry.participant, entry.participant)
            row = Participation(
                process=self.process,
                participant=participant,
                role=entry.role,
                account=account,
                name_as_cited=entry.name,
                position=entry.position,
                counted_in_total=entry.role in totals,
            )
            if entry.start:
                row.start, row.start_precision = parse_partial_date(entry.start)
            row.before_save()
            rows.append(row)
        rows = bulk_create_recorded(rows, Participation, reason=reason, user=user)
        content_type = Citation.content_type_for(rows[0]) if rows else None
        citations = [
            Citation(content_type=content_type, object_id=row.pk, source=self.source, locator=self.locator)
            for row in rows
        ]
        bulk_create_recorded(citations, Citation, reason=reason, user=user)
        self._aliases(created, reason, user)

    def _aliases(self, created, reason, user):
        """A name the registry did not know, resolved by the curator, becomes an alias citing the
        source (so the next account that writes it resolves on its own)."""
        language = _source_language(self.source)
        aliases, seen = [], set()
        for entry in self.entries:
            if not entry.picked:
                continue
            participant = created.get(entry.participant, entry.participant)
            key = (participant.pk, normalize_name(entry.name))
            if key[1] == normalize_name(participant.name) or key in seen:
                continue
            seen.add(key)
            if ParticipantAlias.objects.filter(
                participant=participant, name=entry.name, language=language
            ).exists():
                continue
            alias = ParticipantAlias(participant=participant, name=entry.name, language=language)
            alias.before_save()
            aliases.append(alias)
        aliases = bulk_create_recorded(aliases, ParticipantAlias, reason=reason, user=user)
        if not aliases:
            return
        content_type = Citation.content_type_for(aliases[0])
        citations = [
            Citation(content_type=content_type, object_id=a.pk, source=self.source, locator=self.locator)
            for a in aliases
        ]
        bulk_create_recorded(citations, Citation, reason=reason, user=user)

    def _stated_totals(self, account, reason, user):
        for role, stated in self.stated_totals.items():
            total = StatedTotal(account=account, role=role, stated=stated)
            total._change_reason = reason
            total._history_user = user
            total.full_clean(exclude=["account"])
            total.save()
            total.cite(self.source, self.locator, reason=reason)


def _identity(participant):
    """The key a participant is compared by: its id, or the new one's own value."""
    if participant is None:
        return None
    return participant.pk if isinstance(participant, Participant) else participant


def _source_language(source) -> str:
    """The first language code the source's languages name ("body: es; annexes: en" -> "es")."""
    codes = re.findall(r"\b[a-z]{2,3}\b", source.languages or "")
    return codes[0] if codes else "en"
