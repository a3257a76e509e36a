"""Public pages."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render

from . import models as m
from .choices import ParticipantKind, Role


def home(request):
    """What the registry is, its counts, and every process as each source describes it."""
    snapshots = (
        m.ProcessSnapshot.objects.select_related("source", "region")
        .annotate(
            listed_members=Count("participations", filter=Q(participations__role=Role.MEMBER)),
            counted_members=Count(
                "participations",
                filter=Q(participations__role=Role.MEMBER, participations__counted_in_total=True),
            ),
        )
        .order_by("source__as_of")
    )
    processes = m.Process.objects.prefetch_related(
        Prefetch("snapshots", queryset=snapshots), "snapshots__stated_totals"
    ).order_by("short_name")
    kinds = dict(
        m.Participant.objects.filter(participations__isnull=False)
        .values_list("kind")
        .annotate(n=Count("pk", distinct=True))
        .values_list("kind", "n")
    )
    context = {
        "processes": processes,
        "sources": m.SourceDocument.objects.all(),
        "counts": {
            "processes": len(processes),
            "states": kinds.get(ParticipantKind.STATE, 0) + kinds.get(ParticipantKind.TERRITORY, 0),
            "organizations": kinds.get(ParticipantKind.ORGANIZATION, 0),
            "participations": m.Participation.objects.count(),
        },
    }
    return render(request, "registry/home.html", context)
