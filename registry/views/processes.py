"""The processes' pages: the list (filtered like the API's /api/processes/) and a process as of a
date, with its accounts, participants by role, IOM's role, events and the sources behind each.
Each page runs a constant number of queries, whatever the number of rows."""

from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..choices import Role
from ..presentation import (
    as_of,
    download,
    download_format,
    filtered,
    name_ordering,
    page_by_name,
    page_by_size,
    paginate,
    size_ordering,
)
from ..world_map import image_size
from . import attestation, linked_data, maps
from .participants import participation_row

ACCOUNTS = Prefetch(
    "accounts",
    queryset=m.ProcessAccount.objects.select_related("source", "region").order_by("source__as_of"),
)


def process_list(request):
    when = as_of(request)
    # The filterset annotates the summary (members as of its date); the unfiltered fallback too.
    base = m.Process.objects.prefetch_related(ACCOUNTS)
    filterset, processes = filtered(request, f.ProcessFilterSet, base, base.with_summary(when.day))
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
