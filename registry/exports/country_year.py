"""The country-year download, in the shape of the Correlates of War (COW) IGO data's dyadic
(country-IGO-year) table: one row per state, process and year, with a status code.

Rows: each process with each state or territory any source (or curator) ever lists in it, for
every year from the earliest year of establishment of any process in the registry to the as-of
year (a balanced panel, as COW's), so that a year before a process existed reads −1 rather than
being missing. Each year is read as of its last day (the as-of date itself for the last year) by
the registry's one rule, Participation.objects.as_of, the rule of every page and export.

Status codes (docs/open-data.md):

    1   full member: member, or a leadership role a source gives a participating government
        (chair, co-chair, presidency pro tempore, steering group, thematic coordinator)
    3   observer: observer, partner, "observer or partner", participant status, invited, other
    0   not a participant: the account in force that year lists the process's participants and
        not this state (nor does a curated fact)
    −1  the process not yet established that year (before the earliest year any source states)
    −9  missing: established, but no source describes its participants by then (before the first
        account's date)

`roles` keeps the registry's own roles, so the coding loses nothing; `source` names what supports
the row: the sources of the roles, the account in force for a 0, the account stating the year of
establishment for a −1.
"""

from collections.abc import Iterator
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .. import models as m
from ..choices import Role

COLUMNS = [
    "year",
    "as_of",
    "process",
    "process_name",
    "state",
    "iso_code",
    "state_name",
    "status",
    "roles",
    "source",
]
FULL_MEMBER, OBSERVER, NOT_PARTICIPANT, NOT_ESTABLISHED, MISSING = 1, 3, 0, -1, -9
FULL_MEMBER_ROLES = {
    Role.MEMBER,
    Role.CHAIR,
    Role.CO_CHAIR,
    Role.PRESIDENCY_PRO_TEMPORE,
    Role.STEERING_GROUP,
    Role.THEMATIC_COORDINATOR,
}
ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def status_of(roles: set[str]) -> int:
    if not roles:
        return NOT_PARTICIPANT
    return FULL_MEMBER if roles & FULL_MEMBER_ROLES else OBSERVER


class Panel:
    """What every year's rows need, read once: the processes, the states each ever had, the years
    of establishment, the sources' keys and the curated facts' citations."""

    def __init__(self):
        states = m.Participant.objects.states_and_territories()
        self.sources = {s.pk: s.key for s in m.SourceDocument.objects.all()}
        self.processes = {p.pk: p for p in m.Process.objects.order_by("slug")}
        self.states = {s.pk: s for s in states}
        pairs = (
            m.Participation.objects.filter(participant__in=states)
            .order_by()
            .values_list("process_id", "participant_id")
            .distinct()
        )
        self.states_of: dict[int, list] = {}
        for process_id, participant_id in pairs:
            self.states_of.setdefault(process_id, []).append(self.states[participant_id])
        for listed in self.states_of.values():
            listed.sort(key=lambda s: s.slug)
        # The earliest year each process's sources state, and which source states it.
        self.established: dict[int, tuple[int, str]] = {}
        stated = m.ProcessAccount.objects.filter(year_established__isnull=False).order_by(
            "year_established", "source__as_of"
        )
        for process_id, year, source_id in stated.values_list("process_id", "year_established", "source_id"):
            self.established.setdefault(process_id, (year, self.sources[source_id]))
        # Curated facts (no account) cite their sources.
        curated = m.Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(m.Participation),
            object_id__in=m.Participation.objects.filter(account__isnull=True).values("pk"),
        )
        self.cited: dict[int, set[str]] = {}
        for participation_id, source_id in curated.values_list("object_id", "source_id"):
            self.cited.setdefault(int(participation_id), set()).add(self.sources[source_id])

    def first_year(self) -> int | None:
        years = [year for year, _source in self.established.values()]
        return min(years) if years else None


def rows(as_of: date | None = None) -> Iterator[list]:
    """The table's rows, year by year (then by process and state): one year in memory at a time."""
    last_day = as_of or timezone.localdate()
    panel = Panel()
    first = panel.first_year()
    if first is None:
        return
    for year in range(first, last_day.year + 1):
        day = min(date(year, 12, 31), last_day)
        yield from _year_rows(panel, year, day)


def _year_rows(panel: Panel, year: int, day: date) -> Iterator[list]:
    in_force = dict(
        m.ProcessAccount.objects.filter(pk__in=m.accounts_in_force(day)).values_list(
            "process_id", "source_id"
        )
    )
    roles: dict[tuple[int, int], set[str]] = {}
    supported: dict[tuple[int, int], set[str]] = {}
    described: set[int] = set(in_force)
    # A subquery, not the ids: 20,000 of them at 100 times the data.
    states = m.Participant.objects.states_and_territories().values("pk")
    valid = m.Participation.objects.as_of(day).filter(participant__in=states).order_by()
    for pk, process_id, participant_id, role, account_id, source_id in valid.values_list(
        "pk", "process_id", "participant_id", "role", "account_id", "account__source_id"
    ):
        pair = (process_id, participant_id)
        roles.setdefault(pair, set()).add(role)
        keys = {panel.sources[source_id]} if account_id else panel.cited.get(pk, set())
        supported.setdefault(pair, set()).update(keys)
        described.add(process_id)
    for process_id, process in panel.processes.items():
        established = panel.established.get(process_id)
        for state in panel.states_of.get(process_id, ()):
            pair = (process_id, state.pk)
            held = roles.get(pair, set())
            if established and year < established[0] and not held:
                status, source = NOT_ESTABLISHED, established[1]
            elif process_id not in described:
                status, source = MISSING, ""
            else:
                status = status_of(held)
                keys = supported.get(pair) or (
                    {panel.sources[in_force[process_id]]} if process_id in in_force else set()
                )
                source = "; ".join(sorted(keys))
            yield [
                year,
                day.isoformat(),
                process.slug,
                process.short_name or process.name,
                state.slug,
                state.iso_code or "",
                state.name,
                status,
                ";".join(sorted(held, key=lambda r: ROLE_ORDER.get(r, 99))),
                source,
            ]
