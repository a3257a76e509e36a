"""The About page (what the registry is, its sources, the "as of" rule with worked examples, how to
cite it, the data's licence) and the index of the reports."""

from datetime import date

from django.conf import settings
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from .. import models as m
from ..choices import Role
from ..dates import day_label
from ..presentation import as_of, known_sources

EXAMPLE_PROCESS = "budapest-process"  # described by both papers; any process with two accounts will do


def _worked_examples() -> list[dict]:
    """The same process read on two dates: between its first two sources, and today."""
    processes = m.Process.objects.annotate(n=Count("accounts__source", distinct=True)).filter(n__gte=2)
    process = processes.filter(slug=EXAMPLE_PROCESS).first() or processes.order_by("slug").first()
    if process is None:
        return []
    accounts = list(process.accounts.select_related("source").order_by("source__as_of"))
    first, second = accounts[0].source, accounts[1].source
    between = min(date(first.as_of.year + 2, 12, 31), second.as_of.replace(day=1))
    examples = []
    for day, source in ((between, first), (timezone.localdate(), accounts[-1].source)):
        members = m.Participation.objects.as_of(day).filter(process=process, role=Role.MEMBER)
        examples.append(
            {
                "process": process,
                "day": day,
                "label": day_label(day),
                "source": source,
                "members": members.count(),
                "given": day.isoformat(),
            }
        )
    return examples


def about(request):
    context = {
        "as_of": as_of(request),
        "sources": known_sources(),
        "examples": _worked_examples(),
        "licence": settings.REGISTRY_DATA_LICENCE,
    }
    return render(request, "registry/about.html", context)


def report_index(request):
    return render(request, "registry/report_index.html", {"as_of": as_of(request)})
