"""Where sources disagree, found for `manage.py check_registry` (and tests): the registry keeps
every statement side by side, dated and cited; this says where they differ, so a curator (and a
reader) knows.

- an aspect two sources of one process state differently (the year established, IOM's type,
  the secretariat's arrangement);
- one participant's term in a leading role, given with different periods by two sources;
- two versions of one web page (one address) whose accounts of a process differ: the lists they
  both state, or their current leaders.
"""

from collections import defaultdict
from dataclasses import dataclass

from . import models as m
from .choices import LEADERSHIP_ROLES
from .dates import format_partial_date

ASPECTS_COMPARED = {
    "year_established": "year established",
    "mechanism_type": "type, as IOM classifies it",
    "secretariat_kind": "secretariat arrangement",
}


@dataclass(frozen=True)
class Conflict:
    process: str
    what: str
    statements: tuple[str, ...]  # each "value (source, source)"

    def __str__(self):
        return f"{self.process}, {self.what}: " + "; ".join(self.statements)


def conflicts() -> list[Conflict]:
    accounts = list(
        m.ProcessAccount.objects.select_related("process", "source").order_by(
            "process__short_name", "source__as_of", "pk"
        )
    )
    found = _aspects(accounts) + _leader_periods() + _page_versions(accounts)
    return sorted(found, key=lambda conflict: (conflict.process, conflict.what))


def _aspects(accounts) -> list[Conflict]:
    found = []
    by_process = defaultdict(list)
    for account in accounts:
        by_process[account.process].append(account)
    for process, its_accounts in by_process.items():
        for field, label in ASPECTS_COMPARED.items():
            values = defaultdict(list)
            for account in its_accounts:
                value = getattr(account, field)
                if value not in (None, ""):
                    shown = (
                        value if field == "year_established" else getattr(account, f"get_{field}_display")()
                    )
                    values[shown].append(account.source.label)
            if len(values) > 1:
                statements = tuple(f"{value} ({', '.join(labels)})" for value, labels in values.items())
                found.append(Conflict(process.short_name, label, statements))
    return found


def _leader_periods() -> list[Conflict]:
    """The same participant in the same leading role, in periods that overlap but differ."""
    rows = (
        m.Participation.objects.filter(role__in=LEADERSHIP_ROLES, account__isnull=False)
        .exclude(start__isnull=True, end__isnull=True)
        .select_related("process", "participant", "account__source")
        .order_by("process__short_name", "participant__name", "role", "start")
    )
    groups = defaultdict(list)
    for row in rows:
        groups[(row.process.short_name, row.participant.name, row.get_role_display())].append(row)
    found = []
    for (process, participant, role), its_rows in groups.items():
        for i, first in enumerate(its_rows):
            for second in its_rows[i + 1 :]:
                if first.account.source_id != second.account.source_id and _differ(first, second):
                    found.append(
                        Conflict(process, f"{participant} as {role}", (_period(first), _period(second)))
                    )
    return found


def _differ(first, second) -> bool:
    """Overlapping periods whose bounds, where both sources give one, differ (a source that gives
    no end, or no start, does not contradict one that does)."""
    starts = first.start and second.start and first.start != second.start
    ends = first.end and second.end and first.end != second.end
    return bool(starts or ends) and _overlap(first, second)


def _overlap(first, second) -> bool:
    def bounds(row):
        return (row.start or row.end, row.end or row.start)

    (a_start, a_end), (b_start, b_end) = bounds(first), bounds(second)
    return a_start <= b_end and b_start <= a_end


def _period(row) -> str:
    start = format_partial_date(row.start, row.start_precision) if row.start else "…"
    end = format_partial_date(row.end, row.end_precision) if row.end else "…"
    return f"{start} – {end} ({row.account.source.label})"


def _page_versions(accounts) -> list[Conflict]:
    """Accounts of one process by two sources at one web address (two stored versions of a page)."""
    found = []
    by_page = defaultdict(list)
    for account in accounts:
        if account.source.web_address:
            by_page[(account.process, account.source.web_address.split("://", 1)[-1])].append(account)
    for (process, _address), versions in by_page.items():
        for i, first in enumerate(versions):
            for second in versions[i + 1 :]:
                found += _versions_differ(process, first, second)
    return found


def _versions_differ(process, first, second) -> list[Conflict]:
    found = []
    labels = f"{first.source.label} / {second.source.label}"
    stated = {
        account.pk: {s.role: s.complete for s in account.stated_lists.all()} for account in (first, second)
    }
    listed = {account.pk: _listed(account) for account in (first, second)}
    for role in set(stated[first.pk]) & set(stated[second.pk]):
        if role in LEADERSHIP_ROLES:
            continue
        one, other = listed[first.pk].get(role, set()), listed[second.pk].get(role, set())
        if one != other:
            statements = []
            if one - other:
                statements.append(f"only in {first.source.label}: {', '.join(sorted(one - other))}")
            if other - one:
                statements.append(f"only in {second.source.label}: {', '.join(sorted(other - one))}")
            found.append(
                Conflict(
                    process.short_name, f"{role} list, two versions of one page ({labels})", tuple(statements)
                )
            )
    current = {account.pk: _current_leaders(account) for account in (first, second)}
    if current[first.pk] and current[second.pk] and current[first.pk] != current[second.pk]:
        found.append(
            Conflict(
                process.short_name,
                f"current leader, two versions of one page ({labels})",
                (
                    f"{', '.join(sorted(current[first.pk]))} ({first.source.label})",
                    f"{', '.join(sorted(current[second.pk]))} ({second.source.label})",
                ),
            )
        )
    return found


def _listed(account) -> dict[str, set[str]]:
    listed = defaultdict(set)
    for row in account.participations.select_related("participant"):
        listed[row.role].add(row.participant.name)
    return listed


def _current_leaders(account) -> set[str]:
    """Who the account names in a leading role without an end: its current leaders."""
    return {
        row.participant.name
        for row in account.participations.filter(role__in=LEADERSHIP_ROLES, end__isnull=True).select_related(
            "participant"
        )
    }
