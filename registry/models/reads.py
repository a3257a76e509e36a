"""Reads that more than one interface needs (the API, the pages, the admin): the prefetches that
load a page of facts with their citations, aliases and each source's account in a constant
number of queries."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from .accounts import ProcessAccount, StatedTotal
from .base import PREFETCHED_CITATIONS
from .lineage import StatusPeriod, Succession
from .participants import ParticipantAlias
from .participations import Participation
from .processes import ProcessAlias
from .sources import Citation

__all__ = [
    "CITATIONS",
    "PROCESS_ALIASES",
    "LINEAGE",
    "accounts",
    "participant_aliases",
    "stated_totals_with_listed",
]

# Into a plain list (read by CitableModel.citation_list): see there why.
CITATIONS = Prefetch(
    "citations", queryset=Citation.objects.select_related("source"), to_attr=PREFETCHED_CITATIONS
)
PROCESS_ALIASES = Prefetch("aliases", queryset=ProcessAlias.objects.prefetch_related(CITATIONS))


# A process's status over time and the processes before and after it, with their citations.
LINEAGE = (
    Prefetch("statuses", queryset=StatusPeriod.objects.prefetch_related(CITATIONS)),
    Prefetch(
        "succeeds", queryset=Succession.objects.select_related("predecessor").prefetch_related(CITATIONS)
    ),
    Prefetch(
        "succeeded_by", queryset=Succession.objects.select_related("successor").prefetch_related(CITATIONS)
    ),
)


def participant_aliases():
    return Prefetch("aliases", queryset=ParticipantAlias.objects.prefetch_related(CITATIONS))


def stated_totals_with_listed(totals=None):
    """The stated totals (all, or the queryset given) with `listed`: the participations their
    account lists in the role and counts toward the total. The one rule the API, the pages, the
    admin and `check_registry` compare a source's total with."""
    listed = (
        Participation.objects.filter(
            account=OuterRef("account"), role=OuterRef("role"), counted_in_total=True
        )
        .order_by()
        .values("account")
        .annotate(n=Count("pk"))
        .values("n")
    )
    totals = StatedTotal.objects.all() if totals is None else totals
    return totals.select_related("account__source").annotate(
        listed=Coalesce(Subquery(listed, output_field=IntegerField()), 0)
    )


def accounts():
    """Each source's account of a process, oldest source first, with what it states (priorities,
    totals with the listed count, citations): shared by the API and the process page."""
    return Prefetch(
        "accounts",
        queryset=ProcessAccount.objects.select_related("source", "region__source")
        .order_by("source__as_of")
        .prefetch_related("priorities", CITATIONS, Prefetch("stated_totals", stated_totals_with_listed())),
    )
