"""One filterset per model, shared by the API and the public pages: the same parameters filter
`/api/processes/?region=...` and `/processes/?region=...`.

Unknown slugs, bad dates and unknown choices are form errors: the API answers 400 with a message
per parameter, the pages show the message.
"""

from datetime import UTC, date
from functools import reduce
from operator import or_

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import models as m
from .choices import (
    EventKind,
    IomFunction,
    IomRoleStatus,
    OfficeKind,
    OrganizationType,
    ParticipantKind,
    ProcessKind,
    ProcessStatus,
    Role,
)
from .forms import AsOfField, SlugsField, SourceField
from .local_names import close_slugs


class AsOfFilter(filters.CharFilter):
    field_class = AsOfField


class MomentField(filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time, passed to the database in UTC: PostgreSQL refuses offsets beyond
    ±15:59 that Python reads ("-22:22"), and 0001-01-01 at +14:00 has no UTC time at all."""

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("A date and time between the years 1 and 9999.")) from None


class MomentFilter(filters.IsoDateTimeFilter):
    field_class = MomentField


@extend_schema_field(OpenApiTypes.STR)
class SourceFilter(filters.ModelChoiceFilter):
    field_class = SourceField


YEAR_RANGE = {"min_value": 1, "max_value": 9999, "decimal_places": 0}


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(filters.ModelMultipleChoiceFilter):
    field_class = SlugsField


class Ordering(filters.OrderingFilter):
    """django-filter's ordering, its choices labelled in the language of each request: django-filter
    formats its "(descending)" labels once, at import, in English, and labels a field by its
    parameter's name, which no catalogue holds ("Iso code"). Each choice is (field, parameter,
    label)."""

    def __init__(self, *choices, **kwargs):
        labels = {}
        for field, param, label in choices:
            labels[field] = label
            labels[f"-{param}"] = format_lazy(_("{label} (descending)"), label=label)
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("label", _("Order by"))
        fields = [(field, param) for field, param, _label in choices]
        super().__init__(fields=fields, field_labels=labels, **kwargs)


def slugs(model, field_name, label, **kwargs):
    """A filter on one or more records given by slug (?process=a&process=b); unknown slugs are errors."""
    return SlugsFilter(
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        # Regions name their source in their label: load it with them.
        queryset=model.objects.select_related("source") if model is m.Region else model.objects.all(),
        label=label,
        **kwargs,
    )


def cited_in(queryset, source):
    """Facts with at least one citation of the source."""
    citations = m.Citation.objects.filter(
        content_type=m.Citation.content_type_for(queryset.model),
        object_id=OuterRef("pk"),
        source=source,
    )
    return queryset.filter(Exists(citations))


class RegistryFilterSet(filters.FilterSet):
    """Common parameters: `q` (search) and `as_of` (a date; the filterset's `as_of_day` is then the
    day in use, today when not given)."""

    q = filters.CharFilter(method="search", label=_("Search"))
    changed_since = MomentFilter(
        method="filter_changed_since", label=_("Created or changed since (ISO 8601 date and time)")
    )

    def search(self, queryset, name, value):
        raise NotImplementedError

    def filter_changed_since(self, queryset, name, value):
        """The records with a change recorded since then (deletions are in the change feed)."""
        return queryset.filter(
            reduce(or_, (Q(pk__in=ids) for ids in self.changed_ids(queryset.model, value)))
        )

    @staticmethod
    def changed_ids(model, moment):
        """Subqueries of the ids of the records a change since then is about."""
        label = model._meta.concrete_model._meta.label_lower
        return [m.Change.objects.filter(model=label, time__gte=moment).order_by().values("object_id")]

    @property
    def as_of_day(self) -> date:
        day = self.form.cleaned_data.get("as_of") if self.is_bound and self.form.is_valid() else None
        return day or timezone.localdate()


class ProcessFilterSet(RegistryFilterSet):
    """?changed_since= also lists a process whose facts (accounts, participations, names, IOM roles,
    events, ...) changed since then."""

    q = filters.CharFilter(method="search", label=_("Name, acronym or any alias, in any language"))
    as_of = AsOfFilter(method="filter_as_of", label=_("As of (YYYY, YYYY-MM or YYYY-MM-DD)"))
    region = slugs(m.Region, "accounts__region", _("Region"), distinct=True)
    kind = filters.MultipleChoiceFilter(
        choices=ProcessKind.choices, label=_("Kind"), widget=forms.CheckboxSelectMultiple
    )
    status = filters.MultipleChoiceFilter(
        choices=ProcessStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    member = slugs(m.Participant, "member", _("Has this member"), method="filter_member")
    participant = slugs(
        m.Participant, "participant", _("Has this participant in any role"), method="filter_participant"
    )
    theme = filters.CharFilter(
        method="filter_theme",
        label=_("Theme: words in a source's main areas or priorities (e.g. trafficking)"),
    )
    established_after = filters.NumberFilter(
        method="filter_established", label=_("Established in or after (year)"), **YEAR_RANGE
    )
    established_before = filters.NumberFilter(
        method="filter_established", label=_("Established in or before (year)"), **YEAR_RANGE
    )
    ordering = Ordering(
        ("name", "name", _("Name")),
        ("short_name", "short_name", _("Short name")),
        ("first_year", "year", _("Year")),
        ("member_count", "size", _("Number of members")),
    )

    class Meta:
        model = m.Process
        fields = ["q", "as_of", "region", "kind", "status", "theme", "member", "participant"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.with_summary(self.as_of_day))

    def search(self, queryset, name, value):
        found = m.Process.objects.search(value).values("pk")
        return queryset.filter(Q(pk__in=found) | Q(slug__in=close_slugs(value, "process")))

    def filter_as_of(self, queryset, name, day):
        return queryset.existing_on(day)

    @staticmethod
    def changed_ids(model, moment):
        facts = m.Change.objects.filter(time__gte=moment, process_id__isnull=False).order_by()
        return [*RegistryFilterSet.changed_ids(model, moment), facts.values("process_id")]

    def _with_participant(self, queryset, participants, **extra):
        if not participants:
            return queryset
        rows = m.Participation.objects.as_of(self.as_of_day).filter(
            process=OuterRef("pk"), participant__in=participants, **extra
        )
        return queryset.filter(Exists(rows))

    def filter_member(self, queryset, name, participants):
        return self._with_participant(queryset, participants, role=Role.MEMBER)

    def filter_participant(self, queryset, name, participants):
        return self._with_participant(queryset, participants)

    def filter_theme(self, queryset, name, value):
        text = value.strip()
        accounts = m.ProcessAccount.objects.filter(process=OuterRef("pk")).filter(
            Q(main_areas__icontains=text)
            | Q(current_priorities__icontains=text)
            | Q(priorities__text__icontains=text)
        )
        return queryset.filter(Exists(accounts)) if text else queryset

    def filter_established(self, queryset, name, year):
        lookup = "gte" if name == "established_after" else "lte"
        accounts = m.ProcessAccount.objects.filter(
            process=OuterRef("pk"), **{f"year_established__{lookup}": year}
        )
        return queryset.filter(Exists(accounts))


class ParticipationFilterSet(RegistryFilterSet):
    q = filters.CharFilter(method="search", label=_("Participant name, variant, acronym or ISO code"))
    process = slugs(m.Process, "process", _("Process"))
    participant = slugs(m.Participant, "participant", _("Participant"))
    role = filters.MultipleChoiceFilter(
        choices=Role.choices, label=_("Role"), widget=forms.CheckboxSelectMultiple
    )
    kind = filters.MultipleChoiceFilter(
        field_name="participant__kind",
        choices=ParticipantKind.choices,
        label=_("Participant kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    iso_code = filters.CharFilter(method="filter_iso_code", label=_("ISO 3166-1 code of the participant"))
    as_of = AsOfFilter(method="filter_as_of", label=_("Valid as of (YYYY, YYYY-MM or YYYY-MM-DD)"))
    cited_in = SourceFilter(
        queryset=m.SourceDocument.objects.all(), method="filter_cited_in", label=_("Cited in (source symbol)")
    )
    counted_in_total = filters.BooleanFilter(label=_("Counted in the stated total"))
    suspended = filters.BooleanFilter(label=_("Suspended"))
    ordering = Ordering(
        ("process__name", "process", _("Process")),
        ("participant__name", "participant", _("Participant")),
        ("role", "role", _("Role")),
        ("start", "start", _("Start")),
        ("end", "end", _("End")),
        ("position", "position", _("Order in the source")),
    )

    class Meta:
        model = m.Participation
        fields = ["q", "process", "participant", "role", "kind", "iso_code", "as_of", "cited_in"]

    def search(self, queryset, name, value):
        participants = m.Participant.objects.search(value).values("pk")
        close = close_slugs(value, "state", "organization")
        return queryset.filter(
            Q(participant__in=participants)
            | Q(participant__slug__in=close)
            | Q(name_as_cited__icontains=value.strip())
        )

    def filter_iso_code(self, queryset, name, value):
        return queryset.filter(participant__iso_code=value.strip().upper())

    def filter_as_of(self, queryset, name, day):
        return queryset.as_of(day)

    def filter_cited_in(self, queryset, name, source):
        return cited_in(queryset, source)


class ParticipantFilterSet(RegistryFilterSet):
    """What states and organizations are both filtered by: the processes they take part in and
    their roles there. ?changed_since= also lists one whose names or participations changed."""

    @staticmethod
    def changed_ids(model, moment):
        facts = [
            history.filter(history_date__gte=moment).order_by().values("participant_id")
            for history in (m.Participation.history, m.ParticipantAlias.history)
        ]
        return [*RegistryFilterSet.changed_ids(model, moment), *facts]

    process = slugs(m.Process, "participations__process", _("Takes part in this process"), distinct=True)
    role = filters.MultipleChoiceFilter(
        field_name="participations__role",
        choices=Role.choices,
        distinct=True,
        label=_("Has this role"),
        widget=forms.CheckboxSelectMultiple,
    )

    def search(self, queryset, name, value):
        """By any name (participants' search), and the close names of a misspelling."""
        close = close_slugs(value, "state", "organization")
        return queryset.filter(Q(pk__in=m.Participant.objects.search(value).values("pk")) | Q(slug__in=close))


class StateFilterSet(ParticipantFilterSet):
    """States and territories."""

    q = filters.CharFilter(method="search", label=_("Name, any name variant or ISO code"))
    kind = filters.MultipleChoiceFilter(
        choices=[(k, v) for k, v in ParticipantKind.choices if k != ParticipantKind.ORGANIZATION],
        label=_("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    iso_code = filters.CharFilter(method="filter_iso_code", label=_("ISO 3166-1 code"))
    ordering = Ordering(("name", "name", _("Name")), ("iso_code", "iso_code", _("ISO 3166-1 code")))

    class Meta:
        model = m.Participant
        fields = ["q", "kind", "iso_code", "process", "role"]

    def filter_iso_code(self, queryset, name, value):
        return queryset.filter(iso_code=value.strip().upper())


class OrganizationFilterSet(ParticipantFilterSet):
    q = filters.CharFilter(method="search", label=_("Name, acronym or any name variant"))
    organization_type = filters.MultipleChoiceFilter(
        choices=OrganizationType.choices, label=_("Type"), widget=forms.CheckboxSelectMultiple
    )
    ordering = Ordering(("name", "name", _("Name")), ("acronym", "acronym", _("Acronym")))

    class Meta:
        model = m.Participant
        fields = ["q", "organization_type", "process", "role"]


class IomRoleFilterSet(RegistryFilterSet):
    q = filters.CharFilter(method="search", label=_("Text of the description or note"))
    process = slugs(m.Process, "process", _("Process"))
    function = filters.MultipleChoiceFilter(
        choices=IomFunction.choices, label=_("Function"), widget=forms.CheckboxSelectMultiple
    )
    status = filters.MultipleChoiceFilter(
        choices=IomRoleStatus.choices, label=_("Status"), widget=forms.CheckboxSelectMultiple
    )
    office = slugs(m.IomOffice, "offices", _("IOM office involved"), distinct=True)
    cited_in = SourceFilter(
        queryset=m.SourceDocument.objects.all(), method="filter_cited_in", label=_("Cited in (source symbol)")
    )
    as_of = AsOfFilter(method="filter_as_of", label=_("As stated in the account in force on (date)"))
    ordering = Ordering(
        ("process__name", "process", _("Process")),
        ("function", "function", _("Function")),
        ("status", "status", _("Status")),
    )

    class Meta:
        model = m.IomRole
        fields = ["q", "process", "function", "status", "office", "cited_in", "as_of"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(note__icontains=value))

    def filter_cited_in(self, queryset, name, source):
        return cited_in(queryset, source)

    def filter_as_of(self, queryset, name, day):
        return queryset.as_of(day)


class IomOfficeFilterSet(RegistryFilterSet):
    q = filters.CharFilter(method="search", label=_("Name, city or any name variant"))
    kind = filters.MultipleChoiceFilter(
        choices=OfficeKind.choices, label=_("Kind"), widget=forms.CheckboxSelectMultiple
    )
    ordering = Ordering(("name", "name", _("Name")), ("city", "city", _("City")))

    class Meta:
        model = m.IomOffice
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        aliases = m.IomOfficeAlias.objects.filter(office=OuterRef("pk"), name__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(city__icontains=value) | Exists(aliases))


class EventFilterSet(RegistryFilterSet):
    q = filters.CharFilter(method="search", label=_("Title, place or description"))
    process = slugs(m.Process, "process", _("Process"))
    kind = filters.MultipleChoiceFilter(
        choices=EventKind.choices, label=_("Kind"), widget=forms.CheckboxSelectMultiple
    )
    year = filters.NumberFilter(method="filter_year", label=_("Takes place in this year"), **YEAR_RANGE)
    after = AsOfFilter(method="filter_after", label=_("Ends on or after (date)"))
    before = AsOfFilter(method="filter_before", label=_("Starts on or before (date)"))
    organizer = slugs(m.Participant, "organizers", _("Organizer"), distinct=True)
    cited_in = SourceFilter(
        queryset=m.SourceDocument.objects.all(), method="filter_cited_in", label=_("Cited in (source symbol)")
    )
    ordering = Ordering(
        ("start", "start", _("Start")),
        ("title", "title", _("Title")),
        ("process__name", "process", _("Process")),
    )

    class Meta:
        model = m.Event
        fields = ["q", "process", "kind", "year", "organizer", "cited_in"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(place__icontains=value) | Q(description__icontains=value)
        )

    def filter_year(self, queryset, name, year):
        year = int(year)
        first, last = date(year, 1, 1), date(year, 12, 31)
        # The period overlaps the year; an event with only a start overlaps its start's year.
        return queryset.filter(
            Q(start__lte=last) & (Q(end__gte=first) | (Q(end__isnull=True) & Q(start__gte=first)))
        )

    def filter_after(self, queryset, name, day):
        return queryset.filter(Q(end__gte=day) | (Q(end__isnull=True) & Q(start__gte=day)))

    def filter_before(self, queryset, name, day):
        return queryset.filter(start__lte=day)

    def filter_cited_in(self, queryset, name, source):
        return cited_in(queryset, source)


class RegionFilterSet(RegistryFilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    source = SourceFilter(queryset=m.SourceDocument.objects.all(), label=_("Source (symbol)"))
    ordering = Ordering(
        ("name", "name", _("Name")),
        ("position", "position", _("Order in the source")),
        ("source__as_of", "source", _("Source")),
    )

    class Meta:
        model = m.Region
        fields = ["q", "source"]


class SourceDocumentFilterSet(RegistryFilterSet):
    q = filters.CharFilter(method="search", label=_("Symbol, title or description"))
    ordering = Ordering(("as_of", "as_of", _("Date of the information")), ("symbol", "symbol", _("Symbol")))

    class Meta:
        model = m.SourceDocument
        fields = ["q"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(symbol__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )


class ChangeFilterSet(filters.FilterSet):
    """The change feed's filters (the cursor, ?after=, is its pagination's)."""

    resource = filters.MultipleChoiceFilter(
        choices=[(name, name) for name in m.CHANGE_RESOURCES], label=_("Resource")
    )
    process = slugs(m.Process, "process", _("A process and its facts (slug)"), method="filter_process")
    since = MomentFilter(field_name="time", lookup_expr="gte", label=_("Since (ISO 8601 date and time)"))

    class Meta:
        model = m.Change
        fields = ["resource", "process", "since"]

    def filter_process(self, queryset, name, processes):
        return (
            queryset.filter(process_id__in=[process.pk for process in processes]) if processes else queryset
        )
