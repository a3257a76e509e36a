"""Public pages: home and search, processes, states and territories, organizations, sources.

Every page can be viewed as of a date (?as_of=, see presentation.as_of); lists take the same
filters as the API (registry/filtersets.py) and download as CSV or JSON (?format=csv|json).
Each page runs a constant number of queries, whatever the number of rows.
"""

from collections import defaultdict
from itertools import groupby
from types import SimpleNamespace

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..choices import ParticipantKind, Role
from ..matching import normalize_name
from ..presentation import (
    as_of,
    download,
    download_format,
    name_ordering,
    page_by_name,
    page_by_size,
    paginate,
    size_ordering,
)
from ..world_map import image_size
from . import attestation, linked_data, maps

ACCOUNTS = Prefetch(
    "accounts",
    queryset=m.ProcessAccount.objects.select_related("source", "region").order_by("source__as_of"),
)


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
    RCM), or the close one it was taken for, when it is not their name as shown."""
    index = local_names.reconciliation_index()
    for kind, rows in (("process", results["processes"]), ("state", results["states"])):
        for row in rows:
            row.matched = _matched_name(index, f"{kind}:{row.slug}", query, row.name)
    for row in results["organizations"]:  # the acronym is shown beside the name
        row.matched = _matched_name(index, f"organization:{row.slug}", query, f"{row.name} {row.acronym}")


def _matched_name(index, entity_id, query, shown_name) -> str:
    key, names = normalize_name(query), index.names_of.get(entity_id, [])
    if key in normalize_name(shown_name):
        return ""
    containing = next((name for name in names if key in name), None)
    if containing is not None:
        return index.shown[containing]
    close = index.reconcile(query, limit=3)
    taken = next((s.matched for s in close if s.entity.id == entity_id), "")
    return "" if normalize_name(taken) == normalize_name(shown_name) else taken


def _filtered(request, filterset_class, queryset, unfiltered=None):
    """The filterset bound to the request, and its rows; when a filter value is bad, the errors
    are shown with the unfiltered rows (`unfiltered`, or the queryset as given)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return filterset, queryset if unfiltered is None else unfiltered
    return filterset, filterset.qs


def process_list(request):
    when = as_of(request)
    # The filterset annotates the summary (members as of its date); the unfiltered fallback too.
    base = m.Process.objects.prefetch_related(ACCOUNTS)
    filterset, processes = _filtered(request, f.ProcessFilterSet, base, base.with_summary(when.day))
    order = name_ordering(request, filterset)
    if order is not None:
        processes = processes.order_by("short_name")
    if download_format(request):
        rows = [process_row(process, when.day) for process in processes]
        return download(request, "rcp-processes", rows, as_of=when.day)
    largest_first = size_ordering(request, filterset)
    if order is not None:
        page = page_by_name(request, processes, processes=True, **order)
    elif largest_first is not None:
        day, rows = filterset.as_of_day, base.with_first_year()  # the counts: from the kept members
        page = page_by_size(request, processes, day, largest_first=largest_first, rows=rows)
    else:
        page = paginate(request, processes)
    for process in page:  # each aspect as the latest source stating it by the day gives it
        accounts = list(process.accounts.all())
        process.region_account = m.account_stating(accounts, "region", when.day)
        process.secretariat_account = m.account_stating(accounts, "secretariat", when.day)
    context = {"as_of": when, "filterset": filterset, "page": page}
    return render(request, "registry/process_list.html", context)


def _attested_by_aspect(accounts, iom_roles, day, roles) -> list[tuple[str, object]]:
    """(what, the source it rests on by the day) for each aspect a source states: each shown role's
    list (the latest account stating it), IOM's role (the account describing it), the region, the
    secretariat."""
    dated = [a for a in accounts if a.source.as_of <= day]
    lists = {}
    for account in dated:  # oldest first: the latest stating each role wins
        for stated in account.stated_lists.all():
            if stated.role in roles:
                lists[stated.role] = account
    order = {role: index for index, role in enumerate(Role.values)}
    described = [role.account for role in iom_roles if role.account is not None]
    iom = max(described, key=lambda account: account.source.as_of, default=None)
    by_role = sorted(lists.items(), key=lambda item: order[item[0]])
    # The roles one source states together are told once ("lists: SCPF/30"), each other on its own.
    shown, told = [], {}
    for role, account in by_role:
        told.setdefault(account.pk, (account, []))[1].append(str(Role(role).label))
    if len(told) == 1:
        shown.append((_("participants"), next(iter(told.values()))[0]))
    else:
        shown.extend((", ".join(labels), account) for account, labels in told.values())
    stated = [
        *shown,
        (_("IOM's role"), iom),
        (_("type"), m.account_stating(accounts, "mechanism_type", day)),
        (_("region"), m.account_stating(accounts, "region", day)),
        (_("secretariat"), m.account_stating(accounts, "secretariat", day)),
    ]
    return [(what, account.source) for what, account in stated if account is not None]


def process_row(process, day=None) -> dict:
    accounts = list(process.accounts.all())
    region = m.account_stating(accounts, "region", day)
    secretariat = m.account_stating(accounts, "secretariat", day)
    return {
        "slug": process.slug,
        "short_name": process.short_name,
        "name": process.name,
        "kind": process.kind,
        "status": process.status,
        "years_established": [
            f"{a.year_established} ({a.source.label})" for a in accounts if a.year_established
        ],
        "region": region.region.name if region else "",
        "members": process.member_count,
        "secretariat": secretariat.get_secretariat_kind_display() if secretariat else "",
    }


def process_detail(request, slug):
    when = as_of(request)
    # The citations of the process, its names, accounts, participations, IOM roles and events are
    # read together below (attach_citations): one query, not one for each.
    process = get_object_or_404(
        m.Process.objects.prefetch_related(
            Prefetch("aliases", queryset=m.ProcessAlias.objects.order_by("language", "name")),
            m.accounts(cited=False),
            Prefetch("working_groups", queryset=m.WorkingGroup.objects.select_related("chair", "co_chair")),
            "phases",
            *m.LINEAGE,
        ),
        slug=slug,
    )
    # Its banner and headings speak of its own sources: another process's news leaves it as it was.
    when = when.about_process(process, [account.source for account in process.accounts.all()])
    participations = list(
        m.Participation.objects.as_of(when.day)
        .filter(process=process)
        .select_related("participant")
        .order_by("role", "position", "participant__name")
    )
    # Their process and accounts are those already read: not a copy of them joined to each row.
    accounts = {account.pk: account for account in process.accounts.all()}
    for row in participations:
        row.process = process
        if row.account_id in accounts:
            row.account = accounts[row.account_id]
    if download_format(request):
        m.attach_citations(participations)
        rows = [participation_row(row) for row in participations]
        return download(request, f"{process.slug}-participants", rows, process=process.slug, as_of=when.day)
    iom_roles = list(
        m.IomRole.objects.filter(process=process)
        .as_of(when.day)
        .select_related("account__source")
        .prefetch_related("offices")
    )
    events = list(m.Event.objects.filter(process=process).prefetch_related("organizers").order_by("start"))
    aliases = {alias.pk: alias for alias in process.aliases.all()}
    m.attach_citations([process], aliases.values(), process.accounts.all(), participations, iom_roles, events)
    # Grouped by role in the vocabulary's order: members first, then observers, partners, ...
    order = {role: index for index, role in enumerate(Role.values)}
    language, names = local_names.language_code(), local_names.book()
    rows = sorted(
        participations,
        key=lambda p: (  # by the name shown, not the source's order ("France (New Caledonia)")
            order.get(p.role, 99),
            local_names.participant_sort_key(p.participant, language, names),
            p.position,
        ),
    )
    sources = attestation.sources_by_id()
    listed = attestation.listings(m.Participation.objects.filter(process=process), sources)
    attestation.mark_listings(rows, listed)
    roles = [(Role(role).label, list(group)) for role, group in groupby(rows, key=lambda p: p.role)]
    name, short_name = names.process_name(process, language), names.process_short_name(process, language)
    context = {
        "as_of": when,
        "process": process,
        # The translated names cite where they are given (the short name once if it is the name).
        "name_citations": aliases[name.alias_id].citation_list if name.alias_id in aliases else [],
        "short_name_citations": aliases[short_name.alias_id].citation_list
        if short_name.alias_id in aliases and short_name.alias_id != name.alias_id
        else [],
        "accounts": list(process.accounts.all()),
        # The newest source describing the process by the date: what the page rests on.
        "attested": next(
            reversed([a.source for a in process.accounts.all() if a.source.as_of <= when.day]), None
        ),
        "attested_by_aspect": _attested_by_aspect(
            list(process.accounts.all()), iom_roles, when.day, {row.role for row in participations}
        ),
        "aliases": aliases.values(),
        "roles": roles,
        "participation_count": sum(len(rows) for _label, rows in roles),
        "iom_roles": iom_roles,
        "events": events,
        # How it changed shape: its name and status on the date, and who continued it by then.
        "former_name": process.alias_on(when.day),
        "status_then": process.status_on(when.day),
        "continued_then": [s for s in process.succeeded_by.all() if s.in_effect_on(when.day)],
        "map_size": image_size(*maps.iso_codes(rows)),
        "linked_data": linked_data.script(
            linked_data.process_document(request, process, rows, process.accounts.all())
        ),
    }
    return render(request, "registry/process_detail.html", context)


def participation_row(row) -> dict:
    return {
        "process": row.process.slug,
        "participant": row.participant.name,
        "participant_slug": row.participant.slug,
        "kind": row.participant.kind,
        "iso_code": row.participant.iso_code or "",
        "role": row.role,
        "start": row.start,
        "start_precision": row.start_precision,
        "end": row.end,
        "end_precision": row.end_precision,
        "source": row.account.source.key if row.account_id else "",
        "citations": [f"{c.source.key}: {c.locator}" for c in row.citation_list],
    }


def participant_list(request, organizations=False):
    when = as_of(request)
    if organizations:
        base, filterset_class = m.Organization.objects.all(), f.OrganizationFilterSet
    else:
        base, filterset_class = m.State.objects.all(), f.StateFilterSet
    # A correlated count, computed only for the rows of the page shown (not for every participant).
    processes = (
        m.Participation.objects.as_of(when.day)
        .filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(n=Count("process", distinct=True))
        .values("n")
    )
    base = base.annotate(process_count=Coalesce(Subquery(processes, output_field=IntegerField()), 0))
    base = base.order_by("name")
    filterset, participants = _filtered(request, filterset_class, base)
    if download_format(request):
        rows = [
            {
                "slug": p.slug,
                "name": p.name,
                "kind": p.kind,
                "iso_code": p.iso_code or "",
                "acronym": p.acronym,
                "processes": p.process_count,
            }
            for p in participants
        ]
        name = "rcp-organizations" if organizations else "rcp-states"
        return download(request, name, rows, as_of=when.day)
    order = name_ordering(request, filterset)
    if order is not None:
        page = page_by_name(request, participants, 100, **order)
    else:
        page = paginate(request, participants, 100)
    context = {"as_of": when, "filterset": filterset, "page": page, "organizations": organizations}
    return render(request, "registry/participant_list.html", context)


def participant_detail(request, slug, organizations=False):
    when = as_of(request)
    manager = m.Organization.objects if organizations else m.State.objects
    participant = get_object_or_404(
        manager.select_related("process").prefetch_related(
            Prefetch("aliases", queryset=m.ParticipantAlias.objects.prefetch_related(m.CITATIONS))
        ),
        slug=slug,
    )
    statements = (
        m.Participation.objects.filter(participant=participant)
        .select_related("process", "account__source")
        .prefetch_related(m.CITATIONS)
        .order_by("process__short_name", "account__source__as_of", "role")
    )
    valid_ids = set(
        m.Participation.objects.as_of(when.day).filter(participant=participant).values_list("pk", flat=True)
    )
    if download_format(request):
        rows = [participation_row(row) | {"valid_as_of": row.pk in valid_ids} for row in statements]
        name = f"{participant.slug}-participations"
        return download(request, name, rows, participant=participant.slug, as_of=when.day)
    sources = attestation.sources_by_id()
    attestation.mark_statements(statements, valid_ids, when.day, sources)
    by_process = defaultdict(list)
    for row in statements:
        by_process[row.process].append(row)
    by_process = local_names.sort_by_name(
        by_process.items(), lambda item, *args: local_names.process_sort_key(item[0], *args)
    )
    # What a reader comes for, in the first screen of a phone: each process it takes part in on
    # the date, with its roles there; the statements behind them are listed below.
    current = [
        (process, list(dict.fromkeys(row.get_role_display() for row in rows if row.valid)))
        for process, rows in by_process
        if any(row.valid for row in rows)
    ]
    context = {
        "as_of": when,
        "participant": participant,
        "by_process": by_process,
        "current": current,
        "current_count": len(current),
        "since": attestation.since_when(statements),
        "neighbours": [] if organizations else neighbours(participant, when.day),
        "organizations": organizations,
        "map_size": image_size({participant.iso_code}, set()) if participant.iso_code else None,
        "linked_data": linked_data.script(linked_data.participant_document(request, participant, statements)),
    }
    return render(request, "registry/participant_detail.html", context)


def neighbours(participant, day, limit=15):
    """The states that share the most processes (as members, as of the day) with this one."""
    mine = (
        m.Participation.objects.as_of(day).filter(participant=participant, role=Role.MEMBER).values("process")
    )
    shared = (
        m.Participation.objects.as_of(day)
        .filter(
            process__in=mine,
            role=Role.MEMBER,
            participant__kind__in=[ParticipantKind.STATE, ParticipantKind.TERRITORY],
        )
        .exclude(participant=participant)
        .values("participant__pk", "participant__slug", "participant__name", "participant__iso_code")
        .annotate(shared=Count("process", distinct=True))
        .order_by("-shared", "participant__name")[:limit]
    )
    names = local_names.book()
    rows = [
        row
        | {
            "name": names.participant_name(
                SimpleNamespace(
                    pk=row["participant__pk"],
                    name=row["participant__name"],
                    iso_code=row["participant__iso_code"],
                )
            )
        }
        for row in shared
    ]
    language = local_names.language_code()
    return sorted(rows, key=lambda row: (-row["shared"], local_names.sort_key(row["name"].text, language)))


def page_not_found(request, exception=None):
    return render(request, "registry/404.html", {"path": request.path}, status=404)
