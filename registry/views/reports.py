"""The papers' annex tables regenerated from the registry, as of any date: the overview of the
principal RCPs (SCPF/30 Annex II, MC/INF/266 Annex II) and IOM's role per function (SCPF/30
Annex I). Each process appears as the account in force on the date describes it, grouped by that
account's region; printable pages, and CSV or JSON with ?format=."""

from collections import defaultdict
from datetime import date
from itertools import groupby
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import local_names
from .. import models as m
from ..choices import IomFunction, IomRoleStatus, Role
from ..dates import PartialDateError, day_label, parse_as_of
from ..forms import SingleSelect
from ..presentation import as_of, download, download_format

OTHER_ROLES = [Role.OBSERVER, Role.PARTNER, Role.OBSERVER_OR_PARTNER, Role.PARTICIPANT_STATUS]


def _accounts(request, day, *prefetches):
    """The accounts in force on the day, by region (in the source's order) and process name;
    ?source= (a source's slug) keeps that source's accounts (the paper's own table)."""
    accounts = m.ProcessAccount.objects.filter(pk__in=m.accounts_in_force(day))
    source = request.GET.get("source", "").strip()
    if source:
        accounts = accounts.filter(source__slug=source)
    accounts = (
        accounts.select_related("process", "source", "region")
        .prefetch_related(*prefetches)
        .order_by("region__position", "region__name", "name_as_listed", "process__name")
    )
    return accounts


PROCESSES_PER_PAGE = 25  # a report page holds this many processes; the downloads hold them all
CHANGES_PROCESSES_PER_PAGE = 10  # the change report lists every participant that changed,
CHANGES_SHOWN_PER_PROCESS = 30  # up to this many a process, unless that process alone is asked for


def _page(request, accounts):
    """The accounts of the page asked for (?page=), or all of them for a download."""
    if download_format(request):
        return None, accounts
    page = Paginator(accounts, PROCESSES_PER_PAGE).get_page(request.GET.get("page"))
    return page, page.object_list


def _regions(rows):
    return [(region, list(group)) for region, group in groupby(rows, key=lambda row: row["region"])]


def overview(request):
    """Process, year, governments (listed, with the stated total), observers and partners,
    secretariat, main areas, current priorities."""
    when = as_of(request)
    accounts = _accounts(request, when.day, "priorities", "stated_totals")
    page, accounts = _page(request, accounts)
    accounts = list(accounts)
    # What the table shows of the accounts' lists, read as values, not rows: at 100 times the data
    # the 25 accounts of a page list some 2,500 members and 750 others, and building them as
    # objects was most of the page's time. The members counted, the others' names.
    listed = m.Participation.objects.filter(account__in=accounts).order_by()
    members = dict(listed.filter(role=Role.MEMBER).values_list("account").annotate(n=Count("pk")))
    others = defaultdict(list)
    for account_id, cited, name, role in (
        listed.filter(role__in=OTHER_ROLES)
        .order_by("position", "pk")
        .values_list("account", "name_as_cited", "participant__name", "role")
    ):
        # the role only where the source says which
        suffix = "" if role == Role.OBSERVER_OR_PARTNER else f" ({Role(role).label})"
        others[account_id].append((cited or name) + suffix)
    rows = []
    for account in accounts:
        stated = next((t.stated for t in account.stated_totals.all() if t.role == Role.MEMBER), None)
        priorities = [p.text for p in account.priorities.all()] or [account.current_priorities]
        rows.append(
            {
                "region": account.region.name if account.region else "",
                "process": account.name_as_listed or account.process.name,
                "slug": account.process.slug,
                "source": account.source.key,
                "year": account.year_established,
                "governments_listed": members.get(account.pk, 0),
                "governments_stated": stated,
                "observers_and_partners": others[account.pk],
                "secretariat": account.secretariat or account.get_secretariat_kind_display(),
                "main_areas": account.main_areas,
                "current_priorities": [text for text in priorities if text],
            }
        )
    if download_format(request):
        return download(request, "rcp-overview", rows, as_of=when.day, report="Overview of principal RCPs")
    _label_sources(rows, accounts)
    context = {"as_of": when, "regions": _regions(rows), "count": page.paginator.count, "page": page}
    return render(request, "registry/report_overview.html", context)


def _label_sources(rows, accounts):
    """The pages name each row's source as citations do ("SCPF/30", or its title); the
    spreadsheets keep the key (its symbol, or else its slug)."""
    for row, account in zip(rows, accounts, strict=True):
        row["source_label"] = account.source.label


def iom_roles(request):
    """Process × IOM function: what the account in force says IOM does, with the offices."""
    when = as_of(request)
    roles = m.IomRole.objects.prefetch_related("offices").order_by("function")
    accounts = _accounts(request, when.day, Prefetch("iom_roles", queryset=roles, to_attr="roles"))
    page, accounts = _page(request, accounts)
    functions = list(IomFunction)
    rows = []
    for account in accounts:
        by_function = {role.function: role for role in account.roles}
        row = {
            "region": account.region.name if account.region else "",
            "process": account.name_as_listed or account.process.name,
            "slug": account.process.slug,
            "source": account.source.key,
        }
        for function in functions:
            role = by_function.get(function)
            if role is None:
                row[function.value] = ""
            elif role.status == IomRoleStatus.DESCRIBED:
                offices = ", ".join(office.name for office in role.offices.all())
                row[function.value] = role.description + (f" [{offices}]" if offices else "")
            else:
                row[function.value] = str(IomRoleStatus(role.status).label)
        rows.append(row)
    if download_format(request):
        return download(request, "rcp-iom-roles", rows, as_of=when.day, report="IOM's role per function")
    _label_sources(rows, accounts)
    context = {
        "as_of": when,
        "functions": [(f.value, f.label) for f in functions],
        "regions": _regions(rows),
        "count": page.paginator.count,
        "page": page,
    }
    return render(request, "registry/report_iom_roles.html", context)


def _day(request, name, default):
    """A date parameter (YYYY, YYYY-MM or YYYY-MM-DD, the last day of a year or month)."""
    given = request.GET.get(name, "").strip()
    try:
        return parse_as_of(given) or default, ""
    except PartialDateError as error:
        return default, _("%(name)s “%(value)s”: %(error)s") % {"name": name, "value": given, "error": error}


CHANGE_LABELS = {m.JOINED: _("joined"), m.LEFT: _("left"), m.ROLE_CHANGED: _("role changed")}


def changes(request):
    """Between two dates (?from=, ?to=): which states and organizations joined or left which
    processes, and whose role changed (chairs and presidencies included), by the "as of" rule
    applied on each date, grouped by process; ?process= and ?region= narrow it. Then the edits
    recorded in the registry's history between them, a batch (the initial load) in one line."""
    today = timezone.localdate()
    start, start_error = _day(request, "from", date(2003, 12, 31))
    end, end_error = _day(request, "to", today)
    if end < start:
        start, end = end, start
    regions = m.Region.objects.select_related("source").order_by("source__as_of", "position", "name")
    region = regions.filter(slug=request.GET.get("region", "")).first()
    wanted = m.Process.objects.all()
    if region is not None:
        wanted = wanted.filter(accounts__region=region).distinct()
    chosen = request.GET.get("process", "")
    if chosen:
        wanted = wanted.filter(slug=chosen)
    wanted_ids = set(wanted.values_list("pk", flat=True))
    # The page's processes first (10 a page, in name order in the language), then their changes
    # alone: a page costs the same however many processes there are. A download takes them all.
    ranks = local_names.name_ranks("process")
    ordered = sorted(wanted_ids, key=lambda pk: ranks.get(pk, len(ranks)))
    page = None
    if not download_format(request):
        page = Paginator(ordered, CHANGES_PROCESSES_PER_PAGE).get_page(request.GET.get("page"))
        ordered = list(page.object_list)
    before = m.Participation.objects.as_of(start).filter(process__in=ordered).roles_by_pair()
    after = m.Participation.objects.as_of(end).filter(process__in=ordered).roles_by_pair()
    processes_by_id = {
        row["pk"]: SimpleNamespace(**row)
        for row in m.Process.objects.values("pk", "slug", "name", "short_name")
    }
    listed = {participant for _process, participant in set(before) | set(after)}
    participants_by_id = {
        row["pk"]: SimpleNamespace(**row)
        for row in m.Participant.objects.filter(pk__in=listed).values(
            "pk", "slug", "name", "iso_code", "name_language", "kind"
        )
    }
    processes = {pk: (p.slug, p.name) for pk, p in processes_by_id.items()}
    participants = {pk: (p.slug, p.name) for pk, p in participants_by_id.items()}
    rows = []
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], participants[k[1]][1])):
        old, new = before.get(key, set()), after.get(key, set())
        change = m.change_of_roles(old, new)
        if change is None:
            continue
        rows.append(
            {
                "process": processes[key[0]][1],
                "process_slug": processes[key[0]][0],
                "participant": participants[key[1]][1],
                "participant_slug": participants[key[1]][0],
                "process_id": key[0],
                "participant_id": key[1],
                "change": change,
                "roles_before": sorted(str(Role(r).label) for r in old),
                "roles_after": sorted(str(Role(r).label) for r in new),
            }
        )
    edits = m.Participation.history.filter(
        history_date__date__gte=start, history_date__date__lte=end, process_id__in=wanted_ids
    )
    if download_format(request):
        meta = {"from": start, "to": end, "report": "Changes between two dates"}
        return download(request, "rcp-changes", rows, **meta)
    names = local_names.book()
    for row in rows:  # the page shows the names in its language; the downloads keep the registry's
        participant = participants_by_id[row["participant_id"]]
        row["participant_local"] = names.participant_name(participant)
        row["participant_url"] = reverse(
            "registry:organization_detail" if participant.kind == "organization" else "registry:state_detail",
            args=[participant.slug],
        )
        row["change_label"] = CHANGE_LABELS[row["change"]]
    by_process = []
    rows_of = {
        process_id: list(group) for process_id, group in groupby(rows, key=lambda row: row["process_id"])
    }
    for process_id in ordered:  # every process of the page, those without a change too
        group = rows_of.get(process_id, [])
        # Several processes a page: each shows its first changes and links to all of them.
        shown = group if chosen else group[:CHANGES_SHOWN_PER_PROCESS]
        by_process.append(
            {
                "process": processes_by_id[process_id],
                "name": names.process_short_name(processes_by_id[process_id]),
                "rows": shown,
                "more": len(group) - len(shown),
                "counts": {
                    kind.replace(" ", "_"): sum(1 for row in group if row["change"] == kind)
                    for kind in CHANGE_LABELS
                },
            }
        )
    context = {
        "as_of": as_of(request),
        "start": start,
        "end": end,
        "start_label": day_label(start),
        "end_label": day_label(end),
        "errors": [e for e in (start_error, end_error) if e],
        "by_process": by_process,
        "page": page,
        "regions": regions,
        "region": region,
        # A list of every process up to SingleSelect's bound; beyond, a box for the slug.
        "process_choices": sorted(
            ((p.slug, names.process_short_name(p).text) for p in processes_by_id.values()),
            key=lambda choice: local_names.sort_key(choice[1]),
        )
        if len(processes_by_id) <= SingleSelect.max_options
        else None,
        "chosen": chosen,
        "counts": {
            kind.replace(" ", "_"): sum(1 for row in rows if row["change"] == kind)
            for kind in (m.JOINED, m.LEFT, m.ROLE_CHANGED)
        },
        "edit_batches": _edit_batches(edits, processes, participants),
        "edit_count": edits.count(),
    }
    return render(request, "registry/report_changes.html", context)


BATCH = 10  # edits with one reason on one day beyond this many are told in one line
BATCH_LINES = {
    "+": _("%(number)s participations recorded at once"),
    "~": _("%(number)s participations changed at once"),
    "-": _("%(number)s participations deleted at once"),
}


def _edit_batches(edits, processes, participants) -> list[dict]:
    """What changed and why (who did it is for signed-in staff: the history API), the latest
    first; the edits of one reason on one day (the initial load: 807 rows) summed up in one line
    when there are more than BATCH of them. Two queries, whatever the number of edits."""
    batches = list(
        edits.values("history_change_reason", "history_date__date", "history_type")
        .annotate(n=Count("history_id"))
        .order_by("-history_date__date")
    )
    lines, small = [], []
    for batch in batches:
        if batch["n"] > BATCH:
            lines.append(
                {
                    "date": batch["history_date__date"],
                    "label": day_label(batch["history_date__date"]),
                    "count": batch["n"],
                    "summary": BATCH_LINES[batch["history_type"]] % {"number": f"{batch['n']:,}"},
                    "reason": batch["history_change_reason"] or "",
                }
            )
        else:
            small.append(batch)
    if small:
        reasons = {(b["history_change_reason"], b["history_date__date"], b["history_type"]) for b in small}
        for edit in edits.order_by("-history_date")[:200]:
            if (edit.history_change_reason, edit.history_date.date(), edit.history_type) not in reasons:
                continue
            lines.append(
                {
                    "date": edit.history_date.date(),
                    "label": f"{day_label(edit.history_date.date())} {edit.history_date:%H:%M}",
                    "kind": edit.get_history_type_display(),
                    "process": processes.get(edit.process_id, ("", "?"))[1],
                    "participant": participants.get(edit.participant_id, ("", "?"))[1],
                    "reason": edit.history_change_reason or "",
                }
            )
    return sorted(lines, key=lambda line: line["date"], reverse=True)
