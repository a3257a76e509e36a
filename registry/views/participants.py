"""The states' and organizations' pages: the lists (filtered like the API's) and one participant
as of a date: the processes it takes part in, with its roles, since when, the statements behind
them, and the states sharing the most processes with it."""

from collections import defaultdict
from types import SimpleNamespace

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..choices import ParticipantKind, Role
from ..presentation import as_of, download, download_format, filtered, name_ordering, page_by_name, paginate
from ..world_map import image_size
from . import attestation, linked_data


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
    filterset, participants = filtered(request, filterset_class, base)
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
