"""What the public pages share: the date a page is viewed "as of", and list downloads (CSV and
JSON) with the filters in use."""

import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import local_names
from . import models as m
from .choices import ParticipantKind, Role
from .dates import day_label, normalize
from .forms import AsOfField
from .serving.cache import ProcessSets, process_sets, versioned
from .spreadsheets import csv_cell


def known_sources() -> list:
    """The registry's sources, oldest first: read once until a source (a shared record) changes,
    shared by the date band, the footer, the downloads' metadata and the attestations."""
    return versioned(
        ("sources",), lambda: list(m.SourceDocument.objects.order_by("as_of", "pk")), shared_only=True
    )


@dataclass
class AsOf:
    """The day a page shows the registry as of: today, or the `as_of` query parameter."""

    day: date
    given: str = ""
    error: str = ""
    presets: list = field(default_factory=list)
    newest: object = None  # the newest source (SourceDocument), when there is one
    # The process the page is about, when it is one process's page: `newest` is then the newest
    # source about that process, not about any (another process's news leaves its page as it was).
    process: object = None

    def about_process(self, process, sources) -> "AsOf":
        """The same day told by one process's sources (its accounts' sources)."""
        sources = sorted(set(sources), key=lambda source: (source.as_of, source.pk), reverse=True)
        newest = sources[0] if sources else None
        return replace(self, newest=newest, process=process, presets=_presets(sources))

    @property
    def beyond_sources(self) -> bool:
        """Whether the day is after the period the newest source describes: the registry then
        shows its latest known state, which the pages say rather than present it as the day's."""
        if self.newest is None:
            return False
        return self.day > normalize(self.newest.as_of, self.newest.as_of_precision, end=True)

    @property
    def phrase(self) -> str:
        """ "as of 30 April 2009", or past the sources "latest known: sources up to April 2009"."""
        if self.beyond_sources:
            return _("latest known: sources up to %(month)s") % {"month": self.newest.as_of_display}
        return _("as of %(day)s") % {"day": self.label}

    @property
    def is_today(self) -> bool:
        return not self.given or self.error != ""

    @property
    def label(self) -> str:
        return day_label(self.day)

    @property
    def query(self) -> str:
        """ "?as_of=..." to carry the date along links; "" for today."""
        return "" if self.is_today else "?" + urlencode({"as_of": self.given})


def _presets(sources) -> list[tuple[str, str]]:
    """The dates offered under the header: today, then each source's day (the newest first)."""
    today = timezone.localdate()
    return [(today.isoformat(), _("today"))] + [
        (source.as_of_param, f"{source.as_of_display} \u2014 {source.label}") for source in sources
    ]


def as_of(request) -> AsOf:
    """Read ?as_of= (YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its last day). A bad value
    falls back to today with a message, never an error page."""
    today = timezone.localdate()
    given = request.GET.get("as_of", "").strip()
    sources = known_sources()[::-1]  # the newest first
    presets = _presets(sources)
    newest = sources[0] if sources else None
    if not given:
        return AsOf(today, presets=presets, newest=newest)
    try:
        day = AsOfField().clean(given)
    except forms.ValidationError as error:
        return AsOf(today, given=given, error=" ".join(error.messages), presets=presets, newest=newest)
    return AsOf(day or today, given=given, presets=presets, newest=newest)


def filtered(request, filterset_class, queryset, unfiltered=None):
    """The filterset bound to the request, and its rows; when a filter value is bad, the errors
    are shown with the unfiltered rows (`unfiltered`, or the queryset as given)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return filterset, queryset if unfiltered is None else unfiltered
    return filterset, filterset.qs


def paginate(request, rows, per_page=50):
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def name_ordering(request, filterset) -> dict | None:
    """How a list sorts by a name in the language (page_by_name's options), or None when ?ordering=
    asks for another field. No ?ordering=, or bad filter values, give the name order."""
    ordering = "" if filterset.errors else request.GET.get("ordering", "")
    field = ordering.lstrip("-")
    if field not in ("", "name", "short_name", "acronym"):
        return None
    return {"reverse": ordering.startswith("-"), "by": field}


def page_by_name(request, queryset, per_page=50, *, processes=False, reverse=False, by=""):
    """A page of the rows in name order in the active language ("Côte d'Ivoire" after "Costa
    Rica", in Spanish "Söderköping" among the S; by="acronym": "ACNUR" among the A). SQL collations
    differ between databases and know no language, and the names shown are not all columns, so the
    order of all the names is computed in Python once per registry version and language
    (local_names.name_ranks); a request sorts its ids by it and reads the rows of the page by id,
    with the queryset's annotations and prefetches."""
    if processes:  # a process's short name is its heading: the default order
        kind = "process-name" if by == "name" else "process"
    else:
        kind = "participant-acronym" if by == "acronym" else "participant"
    ranks = local_names.name_ranks(kind)
    last = len(ranks)  # a row newer than the order (created meanwhile) goes last
    ids = sorted(queryset.order_by().values_list("pk", flat=True), key=lambda pk: ranks.get(pk, last))
    if reverse:
        ids.reverse()
    return page_of(ids, request.GET.get("page"), queryset, per_page)


def page_of(ids: list[int], number, queryset, per_page=50):
    """The page `number` of the ids, in their order, holding the queryset's rows for them: only the
    rows of the page are read (by id, with the queryset's annotations and prefetches). A row deleted
    meanwhile is left out."""
    page = Paginator(ids, per_page).get_page(number)
    rows = queryset.order_by().in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return page


STATES = [ParticipantKind.STATE, ParticipantKind.TERRITORY]


def size_ordering(request, filterset) -> bool | None:
    """True for ?ordering=-size (the most members first), False for ?ordering=size, None for any
    other order (and for bad filter values, which give the name order)."""
    ordering = "" if filterset.errors else request.GET.get("ordering", "")
    return {"-size": True, "size": False}.get(ordering)


def members_of_processes(day: date) -> dict[int, frozenset[int]]:
    """{process id: its members as of the day} (as ProcessQuerySet.with_summary counts them), kept
    in this worker: after a write to one process's facts only its members are read again."""
    return process_sets(("members-as-of", day), partial(_members_by_process, day)).sets


def _members_by_process(day, process_ids=None) -> dict[int, frozenset[int]]:
    """{process id: its members as of the day}, for the processes of `process_ids`, or all."""
    members = m.Participation.objects.as_of(day).filter(role=Role.MEMBER)
    if process_ids is not None:
        return members.filter(process__in=process_ids).participants_by_process()
    # Every participant, by a subquery: it filters nothing, but leads SQLite to read the
    # participations' covering index rather than the rows by account (0.39 → 0.14 s at 100 times
    # the data), as the overlap's states do.
    return members.filter(participant__in=m.Participant.objects.values("pk")).participants_by_process()


def states_of_processes(day) -> ProcessSets:
    """Each process's states and territories as of the day, and in how many processes each is,
    kept in this worker: after a write to one process's facts only its states are read again."""
    return process_sets(("states-as-of", day), partial(_states_by_process, day))


def _states_by_process(day, process_ids=None) -> dict[int, frozenset[int]]:
    """{process id: its states and territories with any role as of the day}, for the processes
    that existed on the day (those of `process_ids`, or all)."""
    participations = m.Participation.objects.as_of(day).filter(
        process__in=m.Process.objects.existing_on(day).values("pk")
    )
    # All: the states by a subquery, so that SQLite reads the participations' covering index alone
    # (0.2 s at 100 times the data; 0.5 s by a join). A few processes: by a join, so that it reads
    # their rows by the process index (4 ms; 12 ms by the subquery).
    if process_ids is None:
        states = m.Participant.objects.filter(kind__in=STATES).values("pk")
        participations = participations.filter(participant__in=states)
    else:
        participations = participations.filter(process__in=process_ids, participant__kind__in=STATES)
    return participations.participants_by_process()


def page_by_size(request, queryset, day: date, per_page=50, *, largest_first=True, rows=None):
    """A page of the processes by their number of members as of the day, then by name. Ordering
    by the SQL count counts the members of every process on every request after a write (2,000
    processes at 100 times the data: 0.13 s); the kept members (members_of_processes) make it a
    sort of the ids, and only the rows of the page are read. With `rows` (the queryset without
    with_summary's `member_count`) the page's counts come from the kept members too (10 ms of
    SQL counts for 50 rows at 100 times the data); else from the queryset's annotation."""
    members, ranks = members_of_processes(day), local_names.name_ranks("process")
    last, sign = len(ranks), -1 if largest_first else 1
    ids = sorted(
        queryset.order_by().values_list("pk", flat=True),
        key=lambda pk: (sign * len(members.get(pk, ())), ranks.get(pk, last)),
    )
    page = page_of(ids, request.GET.get("page"), queryset if rows is None else rows, per_page)
    if rows is not None:
        for process in page.object_list:
            process.member_count = len(members.get(process.pk, ()))
    return page


DOWNLOAD_FORMATS = ("csv", "json")


def download_format(request) -> str | None:
    """ "csv" or "json" when ?format= asks for the list as a file, else None (the page)."""
    fmt = request.GET.get("format")
    return fmt if fmt in DOWNLOAD_FORMATS else None


def download(request, name: str, rows: list[dict], **meta) -> HttpResponse:
    """The list as CSV (UTF-8, RFC 4180, one header row) or JSON ({"meta": ..., "rows": [...]}),
    as ?format= asks. Every JSON download's meta carries the filters in use, when it was made and
    the registry's sources, besides what the view adds (as_of, the process, ...). A list read as
    of a date carries it in every row (`as_of`) and in the file's name, so two downloads of
    different dates never look alike; the changes between two dates carry both in the name."""
    day = meta.get("as_of")
    if day is not None:
        rows = [row | {"as_of": day.isoformat()} for row in rows]
        name = f"{name}-as-of-{day.isoformat()}"
    elif meta.get("from") is not None and meta.get("to") is not None:
        name = f"{name}-{meta['from'].isoformat()}-to-{meta['to'].isoformat()}"
    meta = {
        **meta,
        "filters": request.GET.dict(),
        "generated": timezone.now(),
        "sources": [source.reference for source in known_sources()],
        "sources_page": request.build_absolute_uri(reverse("registry:source_list")),
    }
    if download_format(request) == "json":
        payload = json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=1, default=str)
        response = HttpResponse(payload, content_type="application/json; charset=utf-8")
        extension = "json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(rows[0]) if rows else ["empty"], lineterminator="\r\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({key: csv_cell(value) for key, value in row.items()})
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
