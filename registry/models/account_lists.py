"""What a document's lists of participants are made of, before they become an account
(models/recording.py): the names pasted, the leaders with their start, a participant to create,
each name and who it is, and the preview of what the account would change."""

import re
from dataclasses import dataclass, field, fields

from ..choices import LEADERSHIP_ROLES, DepartureKind, ParticipantKind
from .accounts import ProcessAccount
from .participants import Participant
from .resolution import Resolution

__all__ = [
    "LEADERSHIP_ROLES",
    "ASPECT_FIELDS",
    "AccountAspects",
    "AccountPreview",
    "Entry",
    "LEAVING_KINDS",
    "SUSPENDED",
    "Leaving",
    "Leader",
    "NewParticipant",
    "RoleChange",
    "split_names",
]

LEADERSHIP_ROLES = LEADERSHIP_ROLES  # the roles a document names a holder of, with a start
MAX_NAME = 300  # Participation.name_as_cited
# Names in one account, all lists together: the longest real list (a UN conference's, ~200 states)
# many times over; above it an account is refused before any name is resolved (a 400, not a worker
# killed by its timeout).
MAX_NAMES = 2500


def split_names(text: str) -> list[str]:
    """A pasted list: one name per line, or else comma-separated. Bullets, numbering and final
    punctuation go; "..., Austria and Belgium." ends with two names when the registry knows both
    and not the whole ("NZ and Australia" is two; "Bosnia and Herzegovina" stays one, as does an
    unknown "X and Y"), by the registry's names, codes and the world's names of states."""
    text = str(text or "").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    parts = lines if len(lines) > 1 else re.split(r"[,;]", text)
    names = [
        " ".join(re.sub(r"^\s*(?:[-*•·–]|\d+[.)])\s+", "", part).split()).strip(" .;,") for part in parts
    ]
    if len(lines) <= 1 and names:
        last = re.sub(r"^and\s+", "", names[-1])
        head, joined, tail = last.rpartition(" and ")
        known = Participant.objects.named
        if joined and known(head).exists() and known(tail).exists() and not known(last).exists():
            names[-1:] = [head, tail]
        else:
            names[-1] = last
    return [name for name in names if name]


@dataclass(frozen=True)
class NewParticipant:
    """A participant the curator creates on the spot for a name that did not resolve."""

    name: str
    kind: str = ParticipantKind.STATE
    iso_code: str = ""
    acronym: str = ""
    organization_type: str = ""
    note: str = ""

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class Leader:
    """A chair, co-chair or presidency the document names, from a start ("2024-06"), and until an
    end for a past holder ("Past Chairs: Lithuania (2018-2020)"), with a note where the document
    qualifies it. One participant may hold the role twice, in periods with different starts."""

    role: str
    name: str
    start: str = ""
    end: str = ""
    note: str = ""


# What a document can say of a participant that no longer simply holds a role: it left or withdrew
# (a Departure), or it is suspended (still listed, marked so).
SUSPENDED = "suspended"
LEAVING_KINDS = (*DepartureKind.values, SUSPENDED)


@dataclass(frozen=True)
class Leaving:
    """A participant the document says left, withdrew from or was suspended from a role."""

    role: str
    name: str
    kind: str = DepartureKind.LEFT


@dataclass(frozen=True)
class AccountAspects:
    """What else a document states of the process: each None when it does not say (the account
    then keeps what it holds, and the pages what the last source stating it gave)."""

    region: str | None = None  # the regional heading, as the source writes it
    year_established: int | None = None
    mechanism_type: str | None = None  # MechanismType: how IOM classifies it (RCP, IRF, global)
    secretariat_kind: str | None = None
    secretariat: str | None = None
    main_areas: str | None = None

    def given(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if value is not None}


ASPECT_FIELDS = tuple(f.name for f in fields(AccountAspects))  # the form and API fields of the aspects


@dataclass
class Entry:
    """One name of a list as written, and who it is."""

    role: str
    name: str
    position: int
    participant: Participant | NewParticipant | None = None
    resolution: Resolution | None = None  # what the registry's names say (candidates included)
    start: str = ""  # a leader's
    end: str = ""  # a past leader's
    note: str = ""  # what the document says of a leader's period
    leaving: str = ""  # one of LEAVING_KINDS when the document says it left, withdrew, is suspended
    picked: bool = False  # the curator said who it is (so the name becomes an alias of that record)


@dataclass(frozen=True)
class RoleChange:
    participant: Participant | NewParticipant
    roles: list[str]
    previous_roles: list[str]
    names: list[str]  # as written
    departure: str = ""  # how the document says it left; "" when a complete list omits it


@dataclass
class AccountPreview:
    in_force: ProcessAccount | None
    joined: list[RoleChange] = field(default_factory=list)
    left: list[RoleChange] = field(default_factory=list)
    changed: list[RoleChange] = field(default_factory=list)
    unchanged: list[RoleChange] = field(default_factory=list)
    unresolved: list[Resolution] = field(default_factory=list)
    totals: dict[str, dict] = field(default_factory=dict)  # role -> {"stated": n, "listed": n}
    errors: dict[str, list[str]] = field(default_factory=dict)
    existing: ProcessAccount | None = None  # the source's account of the process, when it has one
    picked: list[Entry] = field(default_factory=list)  # the names the curator said who they are

    @property
    def valid(self) -> bool:
        return not self.errors and not self.unresolved
