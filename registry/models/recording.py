"""A new account of a process recorded as a whole: a document's lists of participants by role
("the Fifth Ministerial Conference was attended by ..."), each complete or partial, the
departures it states, its stated totals, its chair and what else it states of the process
(region, year, secretariat, main areas), with the names as the document writes them. The admin's
"Record a new account" and the API's POST /api/processes/{slug}/accounts/ both go through
AccountDraft: preview() says what would change against what is in force on the source's date,
apply() writes it all in one transaction with one history reason and one bump of the registry
version."""

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
    LEAVING_KINDS,
    MAX_NAME,
    MAX_NAMES,
    SUSPENDED,
    AccountAspects,
    AccountPreview,
    Entry,
    Leader,
    Leaving,
    NewParticipant,
    RoleChange,
)
from .account_writing import AccountWriter
from .accounts import ProcessAccount
from .changes import bulk_create_recorded
from .participants import ISO_CODE_TAKEN, Participant
from .participations import JOINED, LEFT, ROLE_CHANGED, Participation, change_of_roles
from .processes import Process
from .resolution import NameResolver
from .slugs import unique_slugs
from .sources import SourceDocument
from .version import RegistryVersion

__all__ = ["AccountDraft"]


# The roles a document names one holder of, with the day the holder took over.
@dataclass
class AccountDraft(AccountWriter):
    """What a curator or an API consumer gives. `picks` says who a name that did not resolve
    (or resolved to several) is: a Participant, or a NewParticipant to create. Each role's list
    given is complete unless its role is in `partial_roles`; a chair, co-chair or presidency
    named is the whole of that role's list."""

    process: Process
    source: SourceDocument
    locator: str
    lists: dict[str, list[str]]
    stated_totals: dict[str, int] = field(default_factory=dict)
    total_notes: dict[str, str] = field(default_factory=dict)  # role -> why listed and stated differ
    leaders: list[Leader] = field(default_factory=list)
    picks: dict[str, Participant | NewParticipant] = field(default_factory=dict)
    correction: bool = False
    reason: str = ""
    replacing: ProcessAccount | None = None  # PUT on an existing account
    name_as_listed: str = ""
    # The matcher of every participant's names: the caller's kept one (local_names.name_resolver:
    # built once per names version, shared), or built for this draft.
    resolver: NameResolver | None = None
    partial_roles: frozenset[str] = frozenset()
    leavings: list[Leaving] = field(default_factory=list)
    aspects: AccountAspects = field(default_factory=AccountAspects)

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
        given = sum(len(names) for names in self.lists.values() if isinstance(names, list | tuple))
        if given + len(self.leaders) > MAX_NAMES:
            errors.setdefault("lists", []).append(
                _("At most %(most)s names in one account (%(given)s given): record it in parts.")
                % {"most": f"{MAX_NAMES:,}", "given": f"{given:,}"}
            )
            return preview
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
        resolver = self.resolver or NameResolver()
        picks = {" ".join(name.split()): who for name, who in self.picks.items()}
        self.entries = []
        position = 0
        for role, names in self.lists.items():
            for name in names:
                position += 1
                self.entries.append(Entry(role, " ".join(str(name).split()), position))
        for leader in self.leaders:
            position += 1
            name = " ".join(leader.name.split())
            self.entries.append(
                Entry(leader.role, name, position, start=leader.start, end=leader.end, note=leader.note)
            )
        for leaving in self.leavings:
            position += 1
            self.entries.append(
                Entry(leaving.role, " ".join(str(leaving.name).split()), position, leaving=leaving.kind)
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
        if not self.lists and not self.entries and not self.aspects.given():
            lists_errors.append(_("State at least one list, departure or aspect of the process."))
        for role in [*self.lists, *self.partial_roles, *(leaving.role for leaving in self.leavings)]:
            if role not in Role.values:
                lists_errors.append(_("“%(role)s” is not a role.") % {"role": role})
        for leaving in self.leavings:
            if leaving.kind not in LEAVING_KINDS:
                message = _("“%(kind)s”: a departure is one of %(kinds)s.")
                errors.setdefault("departures", []).append(
                    message % {"kind": leaving.kind, "kinds": ", ".join(LEAVING_KINDS)}
                )
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
            # A leader may hold the role again in another period (a different start).
            keys = {
                (entry.role, entry.start, key)
                for key in (normalize_name(entry.name), _identity(entry.participant))
            }
            keys = {key for key in keys if key[2] is not None}
            for key in keys:
                if key in seen:
                    lists_errors.append(
                        _("“%(name)s” is in the %(role)s list twice (also as “%(other)s”).")
                        % {"name": entry.name, "role": label, "other": seen[key]}
                    )
                    break
            for key in keys:
                seen.setdefault(key, entry.name)
        for leader in self.leaders:
            if leader.role not in LEADERSHIP_ROLES:
                errors.setdefault(leader.role, []).append(_("Not a chair, co-chair or presidency."))
            for text, end in ((leader.start, False), (leader.end, True)):
                if text:
                    try:
                        parse_partial_date(text, end=end)
                    except PartialDateError as error:
                        errors.setdefault(leader.role, []).append(str(error))
            if leader.start and leader.end and leader.end < leader.start:
                errors.setdefault(leader.role, []).append(_("A period cannot end before it starts."))
        if lists_errors:
            errors.setdefault("lists", []).extend(dict.fromkeys(lists_errors))

    def _check_new_participants(self, errors):
        """Each participant the account would create, checked as the admin checks one: its own
        values one by one, its uniqueness (slug, ISO code) for all of them at once."""
        made = self._made_participants()
        codes = [p.iso_code for p in made.values() if p.iso_code]
        taken = set(Participant.objects.filter(iso_code__in=codes).values_list("iso_code", flat=True))
        taken |= {code for code in codes if codes.count(code) > 1}
        for new, participant in made.items():
            messages = []
            try:
                participant.clean_fields(exclude=["name_key"])
                participant.clean_values()
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
            if participant.iso_code in taken:
                messages.append(str(ISO_CODE_TAKEN))
            if messages:
                errors.setdefault("new_participants", []).append(f"{new.name}: {' '.join(messages)}")

    def _new_participants(self) -> list[NewParticipant]:
        return list(
            dict.fromkeys(e.participant for e in self.entries if isinstance(e.participant, NewParticipant))
        )

    def _made_participants(self) -> dict[NewParticipant, Participant]:
        """The participants the account would create (unsaved), with their slugs: made once."""
        if getattr(self, "_made", None) is None:
            news = self._new_participants()
            slugs = unique_slugs(Participant.objects.all(), [new.name for new in news], "participant")
            self._made = {
                new: Participant(
                    name=new.name,
                    name_key=normalize_name(new.name),
                    kind=new.kind,
                    iso_code=new.iso_code.upper() or None,
                    acronym=new.acronym,
                    organization_type=new.organization_type,
                    note=new.note,
                    slug=slug,
                )
                for new, slug in zip(news, slugs, strict=True)
            }
        return self._made

    def _check_totals(self, preview):
        for role, stated in self.stated_totals.items():
            if role not in Role.values or not isinstance(stated, int) or stated < 0:
                message = _("“%(role)s”: a role and a whole number of participants.") % {"role": role}
                preview.errors.setdefault("stated_totals", []).append(message)
                continue
            listed = sum(1 for e in self.entries if e.role == role and e.leaving in ("", SUSPENDED))
            preview.totals[role] = {"stated": stated, "listed": listed}

    def complete_roles(self) -> set[str]:
        """The roles whose whole list this account states (a leader named: that role's list)."""
        listed = {role for role in self.lists if role not in self.partial_roles}
        return listed | {leader.role for leader in self.leaders}

    def _compare(self, preview, in_force):
        """Roles per participant before (as of the source's date, by Participation.objects.as_of)
        and after: the same without the account replaced, then this account on top as the newest
        statement — its complete lists supersede the earlier lists of their roles, and what it
        says of a participant in a role (listed again, left, withdrew) supersedes what earlier
        sources said of it."""
        day = self.source.as_of
        rows = Participation.objects.filter(process=self.process).select_related(
            "participant", "account__source"
        )
        before: dict[object, set[str]] = {}
        kept: dict[object, set[str]] = {}
        who: dict[object, Participant | NewParticipant] = {}
        for row in rows.as_of(day):
            before.setdefault(row.participant_id, set()).add(row.role)
            who[row.participant_id] = row.participant
        complete = self.complete_roles()
        spoken_of = {(_identity(entry.participant), entry.role) for entry in self.entries}
        for row in rows.as_of(day, excluding=self.replacing) if self.replacing else rows.as_of(day):
            superseded = (
                row.account_id is not None
                and row.account.source.as_of <= day
                and (row.role in complete or (row.participant_id, row.role) in spoken_of)
            )
            if not superseded:  # curated facts, later sources' dated ones, lists this one leaves
                kept.setdefault(row.participant_id, set()).add(row.role)
                who[row.participant_id] = row.participant
        after = {key: set(roles) for key, roles in kept.items()}
        names: dict[object, list[str]] = {}
        departures: dict[object, str] = {}
        for entry in self.entries:
            key = _identity(entry.participant)
            if key is None:
                continue
            who.setdefault(key, entry.participant)
            names.setdefault(key, []).append(entry.name)
            if entry.leaving in LEAVING_KINDS[:-1]:  # left, withdrew (not suspended)
                departures[key] = entry.leaving
            else:
                after.setdefault(key, set()).add(entry.role)
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
                    departure=departures.get(key, "") if old - new else "",
                )
            )

    # Apply ---------------------------------------------------------------------------------------

    def apply(self, user=None) -> ProcessAccount:
        """Write the account; raises ValidationError (with the preview's errors) when it is not
        valid. All or nothing; nothing at all when the account already holds exactly this
        (`written` is then False: see models/account_writing.py)."""
        preview = self.preview()
        if not preview.valid:
            errors = dict(preview.errors)
            if preview.unresolved:
                errors["unresolved"] = [
                    _("“%(name)s” is not resolved.") % {"name": r.name} for r in preview.unresolved
                ]
            raise ValidationError(errors)
        if self.unchanged():
            self.written = False
            return self.replacing
        reason = self.reason or _("Account of %(process)s by %(source)s recorded") % {
            "process": self.process,
            "source": self.source.label,
        }
        reason = reason[:100]  # the history's column
        with transaction.atomic(), RegistryVersion.one_bump():
            relocated = self._old_locator(self.replacing) not in (None, self.locator)
            created = self._create_participants(reason, user)
            account = self._account(reason, user)
            self._participations(account, created, reason, user, relocated)
            self._stated_lists(account, reason, user)
            self._departures(account, created, reason, user, relocated)
            self._stated_totals(account, reason, user, relocated)
        self.written = True
        return account

    def _create_participants(self, reason, user) -> dict[NewParticipant, Participant]:
        """The new participants (validated by the preview), in a few queries, each citing the source."""
        made = self._made_participants()
        rows = bulk_create_recorded(list(made.values()), Participant, reason=reason, user=user)
        self._cite_all(rows, reason, user)
        return dict(zip(made, rows, strict=True))


def _identity(participant):
    """The key a participant is compared by: its id, or the new one's own value."""
    if participant is None:
        return None
    return participant.pk if isinstance(participant, Participant) else participant
