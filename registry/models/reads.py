"""Reads that more than one interface needs (the API, the pages, the admin): the prefetches that
load a page of facts with their citations, aliases and each source's account in a constant
number of queries."""

from functools import reduce
from operator import or_

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from .accounts import ProcessAccount, StatedList, StatedTotal
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
    "attach_citations",
    "participant_aliases",
    "stated_totals_with_listed",
]

# Into a plain list (read by CitableModel.citation_list): see there why.
CITATIONS = Prefetch(
    "citations", queryset=Citation.objects.select_related("source"), to_attr=PREFETCHED_CITATIONS
)
PROCESS_ALIASES = Prefetch("aliases", queryset=ProcessAlias.objects.prefetch_related(CITATIONS))


def attach_citations(*groups):
    """The citations of every fact in the groups, read in one query, where CITATIONS reads them once
    for each kind of fact (a process page cites its process, names, accounts, participations,
    IOM roles and events: six queries), into the same list (CitableModel.citation_list). Facts
    whose citations are already loaded are left as they are."""
    facts = [fact for group in groups for fact in group if PREFETCHED_CITATIONS not in fact.__dict__]
    if not facts:
        return
    ids_by_type: dict[int, set] = {}
    for fact in facts:
        ids_by_type.setdefault(Citation.content_type_for(fact).pk, set()).add(fact.pk)
    cited = Citation.objects.select_related("source").filter(
        reduce(or_, (Q(content_type_id=kind, object_id__in=ids) for kind, ids in ids_by_type.items()))
    )
    by_fact: dict[tuple, list] = {}
    for citation in cited:  # in Citation's order, as CITATIONS
        by_fact.setdefault((citation.content_type_id, citation.object_id), []).append(citation)
    for fact in facts:
        setattr(fact, PREFETCHED_CITATIONS, by_fact.get((Citation.content_type_for(fact).pk, fact.pk), []))


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
    complete = StatedList.objects.filter(account=OuterRef("account"), role=OuterRef("role"), complete=True)
    return totals.select_related("account__source").annotate(
        listed=Coalesce(Subquery(listed, output_field=IntegerField()), 0),
        list_complete=Exists(complete),  # the account states the role's whole list
    )


def accounts(cited: bool = True):
    """Each source's account of a process, oldest source first, with what it states (priorities,
    totals with the listed count, and unless `cited` is False their citations, for
    attach_citations to read with others): shared by the API and the process page."""
    citations = [CITATIONS] if cited else []
    return Prefetch(
        "accounts",
        queryset=ProcessAccount.objects.select_related("source", "region__source")
        .order_by("source__as_of")
        .prefetch_related(
            "priorities", "stated_lists", *citations, Prefetch("stated_totals", stated_totals_with_listed())
        ),
    )
