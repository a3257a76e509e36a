"""Pages across processes: who belongs to several processes (the overlap matrix), when processes were
established and what happened (the timeline), and where the members are (the maps)."""

from collections import Counter, defaultdict
from itertools import chain
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import render

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..choices import Role
from ..presentation import (
    STATES,
    as_of,
    download,
    download_format,
    filtered,
    page_of,
    states_of_processes,
)

ROLE_ABBREVIATIONS = {
    Role.MEMBER: "M",
    Role.OBSERVER: "O",
    Role.PARTNER: "P",
    Role.OBSERVER_OR_PARTNER: "O/P",
    Role.PARTICIPANT_STATUS: "PS",
    Role.SECRETARIAT: "S",
    Role.STEERING_GROUP: "SG",
    Role.CHAIR: "C",
    Role.CO_CHAIR: "CC",
    Role.PRESIDENCY_PRO_TEMPORE: "PPT",
    Role.THEMATIC_COORDINATOR: "TC",
    Role.INVITED: "I",
    Role.OTHER: "X",
}


STATES_PER_PAGE, PROCESSES_PER_PAGE = 100, 25


def overlap(request):
    """States and territories × processes, as of the date in use: each cell gives the roles.
    ?region= (a region slug) keeps the processes of that region; ?min= the states in at least that
    many of them (2 by default: who belongs to several). Rows come 100 states a page (?page=) and
    columns 25 processes a page (?columns=), so the matrix stays readable and bounded however many
    processes there are; the count of processes of each state covers all the columns."""
    when = as_of(request)
    regions = m.Region.objects.select_related("source")
    region = regions.filter(slug=request.GET.get("region", "")).first()
    try:
        minimum = max(1, int(request.GET.get("min", 2)))
    except ValueError:
        minimum = 2
    processes = m.Process.objects.existing_on(when.day).order_by("short_name", "pk")
    if region is not None:
        processes = processes.filter(accounts__region=region).distinct()
    process_ids = _in_name_order(processes)
    # Every state with enough processes, with its number of processes, in name order in the language
    # in use (see presentation.page_by_name); the rows of the page are then read by id.
    states_of = states_of_processes(when.day)
    if region is None:
        counts = states_of.counts
    else:
        counts = Counter(chain.from_iterable(states_of.sets.get(pk, ()) for pk in process_ids))
    states = local_names.name_ranks("participant")
    qualified = sorted(
        ((state, n) for state, n in counts.items() if n >= minimum),
        key=lambda row: states.get(row[0], len(states)),
    )
    columns = page_of(process_ids, request.GET.get("columns"), m.Process.objects, PROCESSES_PER_PAGE)
    rows = (
        qualified
        if download_format(request)
        else Paginator(qualified, STATES_PER_PAGE).get_page(request.GET.get("page"))
    )
    matrix = _matrix(list(rows), list(columns), m.Participation.objects.as_of(when.day))
    if download_format(request):
        data = [
            {"state": s.name, "iso_code": s.iso_code or "", "processes": n}
            | {p.slug: cell for p, cell in zip(columns, row, strict=True)}
            for s, row, n in matrix
        ]
        meta = {
            "as_of": when.day,
            "columns": f"processes {columns.start_index()}-{columns.end_index()} "
            f"of {columns.paginator.count} (?columns=)",
            "roles": {v: str(k.label) for k, v in ROLE_ABBREVIATIONS.items()},
        }
        return download(request, "rcp-overlap", data, **meta)
    context = {
        "as_of": when,
        "processes": columns,
        "labels": column_labels(columns),
        "page": rows,
        "matrix": matrix,
        "regions": regions,
        "region": region,
        "minimum": minimum,
        "legend": [(abbr, Role(role).label) for role, abbr in ROLE_ABBREVIATIONS.items()],
    }
    return render(request, "registry/overlap.html", context)


def _in_name_order(processes) -> list[int]:
    """The processes' ids in name order in the language in use: only the ids are read (2,000
    processes at 100 times the data), the rows only for the page shown (page_of)."""
    names = local_names.name_ranks("process")
    ids = processes.order_by("short_name", "pk").values_list("pk", flat=True)
    return sorted(ids, key=lambda pk: names.get(pk, len(names)))


def column_label(name: str) -> str:
    """A matrix column's short label: the short name when short, else its first word (two when
    the first is very short: "Abu Dhabi"); the full name goes to the legend and the header's
    accessible name."""
    if len(name) <= 10:
        return name
    words = name.split()
    return " ".join(words[:2]) if len(words[0]) <= 3 and len(words) > 1 else words[0]


def column_labels(processes) -> list[tuple]:
    """(process, short label, full name in the language) for each column."""
    names = local_names.book()
    return [
        (process, column_label(names.process_short_name(process).text), names.process_name(process).text)
        for process in processes
    ]


def shared_members(request):
    """Processes × processes, as of the date in use: how many states and territories are members
    of both (the diagonal: of each). 25 rows (?page=) and 25 columns (?columns=) a page."""
    when = as_of(request)
    process_ids = _in_name_order(m.Process.objects.existing_on(when.day))
    rows = page_of(process_ids, request.GET.get("page"), m.Process.objects, PROCESSES_PER_PAGE)
    columns = page_of(process_ids, request.GET.get("columns"), m.Process.objects, PROCESSES_PER_PAGE)
    shown = {p.pk for p in rows} | {p.pk for p in columns}
    members = defaultdict(set)
    listed = m.Participation.objects.as_of(when.day).filter(
        role=Role.MEMBER, participant__kind__in=STATES, process__in=shown
    )
    for process_id, participant_id in listed.order_by().values_list("process_id", "participant_id"):
        members[process_id].add(participant_id)
    matrix = [(row, [len(members[row.pk] & members[column.pk]) for column in columns]) for row in rows]
    context = {
        "as_of": when,
        "processes": columns,
        "labels": column_labels(columns),
        "page": rows,
        "matrix": matrix,
    }
    return render(request, "registry/overlap_processes.html", context)


def _matrix(rows, processes, participations):
    """(state, cells, number of processes) for the (state id, number) rows shown, a cell per
    process shown."""
    ids = [state_id for state_id, _n in rows]
    states = m.Participant.objects.in_bulk(ids)
    cells = defaultdict(lambda: defaultdict(set))
    shown = participations.filter(process__in=[p.pk for p in processes])
    if len(ids) <= STATES_PER_PAGE:  # a page; a download takes all the rows
        shown = shown.filter(participant__in=ids)
    for participant_id, process_id, role in shown.order_by().values_list(
        "participant_id", "process_id", "role"
    ):
        cells[participant_id][process_id].add(role)
    return [
        (
            states[state_id],
            [
                "+".join(sorted(ROLE_ABBREVIATIONS[r] for r in cells[state_id].get(p.pk, ())))
                for p in processes
            ],
            n,
        )
        for state_id, n in rows
    ]


def timeline(request):
    """Processes by the year each source says they were established, and dated events, by year;
    events filter like the API's /api/events/."""
    when = as_of(request)
    filterset, events = filtered(request, f.EventFilterSet, m.Event.objects.select_related("process"))
    events = events.filter(start__isnull=False, start__lte=when.day).order_by("start", "title")
    accounts = m.ProcessAccount.objects.filter(
        year_established__isnull=False, year_established__lte=when.day.year
    )
    accounts = accounts.select_related("process", "source").order_by(
        "year_established", "process__short_name"
    )
    if download_format(request):
        data = [
            {
                "year": a.year_established,
                "what": "established",
                "process": a.process.slug,
                "title": a.process.short_name,
                "start": "",
                "source": a.source.key,
            }
            for a in accounts
        ] + [
            {
                "year": e.start.year,
                "what": e.kind,
                "process": e.process.slug if e.process else "",
                "title": e.title,
                "start": e.start,
                "source": "",
            }
            for e in events
        ]
        return download(request, "rcp-timeline", data, as_of=when.day)
    page = Paginator(_timeline_keys(accounts, events), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "as_of": when,
        "filterset": filterset,
        "page": page,
        "years": _timeline_years(page, accounts, events),
    }
    return render(request, "registry/timeline.html", context)


ENTRIES_PER_PAGE = 200


def _timeline_keys(accounts, events):
    """Every entry's sort key (when, entry, title, id), from a few columns of each row, in one
    query that the paginator counts and slices: in each year, establishment first (by process;
    "1991-00-00", before any day of 1991), then events by date ("1991-05-14"). The page's rows
    are read in full afterwards. `when` is text, so that both sort together on any database."""
    founded = accounts.order_by().annotate(  # one entry a process and year, whatever the sources
        when=Concat(Cast("year_established", CharField()), Value("-00-00")),
        entry=Value(0),
        title_=F("process__short_name"),
        ref=F("process_id"),
    )
    dated = events.order_by().annotate(
        when=Cast("start", CharField()), entry=Value(1), title_=F("title"), ref=F("pk")
    )
    columns = ("when", "entry", "title_", "ref")
    founded = founded.values_list(*columns).distinct()
    return founded.union(dated.values_list(*columns), all=True).order_by(*columns)


def _timeline_years(page, accounts, events):
    """[(year, {"established": [...], "events": [...]})] for the entries of the page: each process's
    establishment in a year once, saying every source that gives that year."""
    page = [(int(when[:4]), entry, title, ref) for when, entry, title, ref in page]
    founded = {(key[0], key[-1]) for key in page if key[1] == 0}
    wanted_events = [key[-1] for key in page if key[1] == 1]
    rows = accounts.filter(process__in={process for _year, process in founded}).prefetch_related(m.CITATIONS)
    foundings = {}
    for account in rows.order_by("source__as_of", "pk"):
        key = (account.year_established, account.process_id)
        if key in founded:
            founding = foundings.setdefault(
                key, SimpleNamespace(process=account.process, accounts=[], citations=[])
            )
            founding.accounts.append(account)
            founding.citations += account.citation_list
            founding.sources = ", ".join(a.source.label for a in founding.accounts)
    events = events.prefetch_related(m.CITATIONS).in_bulk(wanted_events)
    years = defaultdict(lambda: {"established": [], "events": []})
    for key in page:
        if key[1] == 0:
            years[key[0]]["established"].append(foundings[(key[0], key[-1])])
        else:
            years[key[0]]["events"].append(events[key[-1]])
    return list(years.items())
