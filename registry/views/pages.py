"""Public pages: the home page, search and the page not found. The processes' pages are in
views/processes.py, the states' and organizations' in views/participants.py.

Every page can be viewed as of a date (?as_of=, see presentation.as_of); lists take the same
filters as the API (registry/filtersets.py) and download as CSV or JSON (?format=csv|json).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render

from .. import local_names
from .. import models as m
from ..choices import ParticipantKind, Role
from ..matching import normalize_name
from ..presentation import as_of, page_by_name


def home(request):
    """What the registry is, its counts, a search box, and the processes as each source describes
    them (50 a page)."""
    # Counted by a subquery per account, not a join grouped by every column of the account, its
    # source and region (a sort of wide rows: 25 ms of 56 at 100 times the data).
    members = m.Participation.objects.filter(account=OuterRef("pk"), role=Role.MEMBER).order_by()
    accounts = (
        m.ProcessAccount.objects.select_related("source", "region")
        .annotate(
            listed_members=_count(members),
            counted_members=_count(members.filter(counted_in_total=True)),
        )
        .order_by("source__as_of")
    )
    processes = m.Process.objects.prefetch_related(
        Prefetch("accounts", queryset=accounts), "accounts__stated_totals"
    )
    takes_part = m.Participation.objects.filter(participant=OuterRef("pk"))
    kinds = dict(
        m.Participant.objects.filter(Exists(takes_part))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    page = page_by_name(request, processes, processes=True)
    context = {
        "as_of": as_of(request),
        "page": page,
        "sources": m.SourceDocument.objects.all(),
        "counts": {
            "processes": page.paginator.count,
            "states": kinds.get(ParticipantKind.STATE, 0) + kinds.get(ParticipantKind.TERRITORY, 0),
            "organizations": kinds.get(ParticipantKind.ORGANIZATION, 0),
            "participations": m.Participation.objects.count(),
        },
    }
    return render(request, "registry/home.html", context)


def _count(members):
    """The number of these participations of each account (0 for none), as a subquery."""
    counted = members.values("account").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def search(request):
    """Processes by any alias in any language, states by any name variant (and the world's names
    of them), organizations by name or acronym; case and accents do not matter, and a misspelling
    finds the close names (local_names.close_slugs: the registry's one matcher). Each result says
    which of its names matched when it is not the one shown."""
    query = request.GET.get("q", "").strip()[:200]
    results = {"processes": [], "states": [], "organizations": []}
    close = False
    if query:
        found = m.Process.objects.search(query).values("pk")
        processes = m.Process.objects.filter(
            Q(pk__in=found) | Q(slug__in=local_names.close_slugs(query, "process"))
        )
        results["processes"] = local_names.sort_by_name(processes[:50], local_names.process_sort_key)
        found = m.Participant.objects.search(query).values("pk")
        close_participants = local_names.close_slugs(query, "state", "organization")
        participants = m.Participant.objects.filter(Q(pk__in=found) | Q(slug__in=close_participants))
        participants = local_names.sort_by_name(participants.order_by("name")[:100])
        results["states"] = [p for p in participants if not p.is_organization]
        results["organizations"] = [p for p in participants if p.is_organization]
        close = not found.exists() and not m.Process.objects.search(query).exists()
        _mark_matched(query, results)
    context = {"as_of": as_of(request), "query": query, "results": results, "close": close}
    context["total"] = sum(len(rows) for rows in results.values())
    return render(request, "registry/search.html", context)


def _mark_matched(query, results):
    """Each result's `matched`: the name of theirs the query is in ("Proceso de Puebla" for the
    RCM), or the close one it was taken for, when it is not in their names as shown (in the
    language of the page: "Proceso de Rabat" is not repeated beside itself)."""
    index, names = local_names.reconciliation_index(), local_names.book()
    for row in results["processes"]:  # shown as its short name, then its name
        shown = f"{names.process_short_name(row).text} {names.process_name(row).text}"
        row.matched = _matched_name(index, f"process:{row.slug}", query, shown)
    for row in results["states"]:
        shown = names.participant_name(row).text
        row.matched = _matched_name(index, f"state:{row.slug}", query, shown)
    for row in results["organizations"]:  # the acronym is shown beside the name
        shown = f"{names.participant_name(row).text} {names.participant_short_name(row).text}"
        row.matched = _matched_name(index, f"organization:{row.slug}", query, shown)


def _matched_name(index, entity_id, query, shown_name) -> str:
    key, names = normalize_name(query), index.names_of.get(entity_id, [])
    if key in normalize_name(shown_name):
        return ""
    containing = next((name for name in names if key in name), None)
    if containing is not None:
        return index.shown[containing]
    close = index.reconcile(query, limit=3)
    taken = next((s.matched for s in close if s.entity.id == entity_id), "")
    return "" if normalize_name(taken) in normalize_name(shown_name) else taken


def page_not_found(request, exception=None):
    return render(request, "registry/404.html", {"path": request.path}, status=404)
