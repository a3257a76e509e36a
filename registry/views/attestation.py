"""When the sources attest what the pages show: each participation's listings (which sources list
the participant in that role: "listed 2003 (MC/INF/266), April 2009 (SCPF/30)"), why a source's
statement is not the one in force on the date ("superseded by SCPF/30 (April 2009)"), and since
when a participant holds its roles. A few queries per page, none per row."""

from collections import defaultdict
from dataclasses import dataclass

from .. import models as m
from ..dates import format_partial_date
from ..presentation import known_sources


def sources_by_id() -> dict[int, m.SourceDocument]:
    return {source.pk: source for source in known_sources()}


def listings(participations, sources) -> dict[tuple[int, int, str], list]:
    """{(process id, participant id, role): [the sources listing it, oldest first]} of the accounts'
    participations among these (one query)."""
    found = defaultdict(set)
    rows = participations.filter(account__isnull=False).order_by()
    for process_id, participant_id, role, source_id in rows.values_list(
        "process_id", "participant_id", "role", "account__source_id"
    ):
        found[(process_id, participant_id, role)].add(sources[source_id])
    return {key: sorted(listed, key=lambda s: (s.as_of, s.pk)) for key, listed in found.items()}


def mark_listings(rows, listed):
    """Each row's `listed`: the sources that list its participant in its role in its process."""
    for row in rows:
        row.listed = listed.get((row.process_id, row.participant_id, row.role), [])


def mark_statements(statements, valid_ids: set[int], day, sources):
    """Each statement's state on the day: `valid`, else `superseded_by` (the latest source by the
    day, after its own, that speaks again of it: its role's list stated complete, the participant
    listed again in that role, or said to have left), `not_yet` (its source describes a later
    date), or neither (a period that does not cover the day). Two queries for all the statements."""
    statements = list(statements)
    processes = {row.process_id for row in statements}
    speaking = defaultdict(list)  # (process, role) -> [(as_of, account id, source id)], by the day
    for process_id, role, account_id, source_id, as_of in m.StatedList.objects.filter(
        account__process__in=processes, account__source__as_of__lte=day, complete=True
    ).values_list(
        "account__process_id", "role", "account_id", "account__source_id", "account__source__as_of"
    ):
        speaking[(process_id, role)].append((as_of, account_id, source_id))
    departed = defaultdict(list)  # (process, participant, role) -> [...] likewise
    for process_id, participant_id, role, account_id, source_id, as_of in m.Departure.objects.filter(
        account__process__in=processes, account__source__as_of__lte=day
    ).values_list(
        "account__process_id",
        "participant_id",
        "role",
        "account_id",
        "account__source_id",
        "account__source__as_of",
    ):
        departed[(process_id, participant_id, role)].append((as_of, account_id, source_id))
    for row in statements:  # listed again (the statements are all of one participant's)
        if row.account_id and row.account.source.as_of <= day:
            said = (row.account.source.as_of, row.account_id, row.account.source_id)
            departed[(row.process_id, row.participant_id, row.role)].append(said)
    for row in statements:
        row.valid = row.pk in valid_ids
        row.superseded_by = row.not_yet = None
        if row.valid or not row.account_id:
            continue
        own = row.account.source
        if own.as_of > day:
            row.not_yet = own
            continue
        later = [
            said
            for said in (
                *speaking[(row.process_id, row.role)],
                *departed[(row.process_id, row.participant_id, row.role)],
            )
            if (said[0], said[1]) > (own.as_of, row.account_id)
        ]
        if later:
            row.superseded_by = sources.get(max(later)[2])


@dataclass
class Since:
    process: m.Process
    role: str
    start: str  # a dated start ("2006"), or ""
    first_listed: m.SourceDocument | None  # else the oldest source listing it in that role


def since_when(statements) -> list[Since]:
    """For each role a participant holds on the date (its valid statements), since when: the start
    a source dates, or the oldest source that lists it in that role."""
    earliest = {}
    for row in statements:
        if row.account_id:
            key = (row.process_id, row.role)
            source = row.account.source
            if key not in earliest or source.as_of < earliest[key].as_of:
                earliest[key] = source
    answers, seen = [], set()
    for row in statements:
        key = (row.process_id, row.role)
        if not row.valid or key in seen:
            continue
        seen.add(key)
        start = format_partial_date(row.start, row.start_precision) if row.start else ""
        answers.append(Since(row.process, row.role, start, earliest.get(key)))
    return answers
