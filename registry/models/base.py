"""Building blocks shared by the registry's models: citations and time-bounded facts."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import DatePrecision
from ..dates import format_period, normalize
from .sources import Citation

# Where registry.models.reads.CITATIONS puts a fact's prefetched citations (Prefetch to_attr).
PREFETCHED_CITATIONS = "prefetched_citations"

__all__ = [
    "PREFETCHED_CITATIONS",
    "CitableModel",
    "PeriodModel",
    "period_constraints",
    "account_process_errors",
]


class CitableModel(models.Model):
    """A fact that cites one or more source documents with a locator (see Citation)."""

    citations = GenericRelation("registry.Citation", related_query_name="%(class)s")

    class Meta:
        abstract = True

    @property
    def citation_list(self):
        """The citations, from the views' prefetch when there was one (registry.api.views.
        CITATIONS, into a plain list: a prefetch into the manager builds a filtered queryset per
        object, a third of a process page's time) or else from the database."""
        prefetched = self.__dict__.get(PREFETCHED_CITATIONS)
        return prefetched if prefetched is not None else list(self.citations.all())

    def cite(self, source, locator: str, quote: str = "", reason: str = ""):
        """Attach a citation (idempotent); the reason, if any, goes to the citation's history."""
        content_type = Citation.content_type_for(self)
        key = {"content_type": content_type, "object_id": self.pk, "source": source, "locator": locator}
        citation = Citation.objects.filter(**key).first()
        if citation is None:
            citation = Citation(**key, quote=quote)
            if reason:
                citation._change_reason = reason
            citation.save()
        return citation


def period_constraints(prefix: str):
    """Named CHECK constraints of a start/end period: the end is not before the start, and a date
    always comes with its precision."""
    return [
        models.CheckConstraint(
            condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
            name=f"{prefix}_end_not_before_start",
            violation_error_message=_("The end of the period cannot be before its start."),
        ),
        models.CheckConstraint(
            condition=Q(start__isnull=True) | ~Q(start_precision=""),
            name=f"{prefix}_start_has_precision",
            violation_error_message=_("A start date needs its precision (year, month or day)."),
        ),
        models.CheckConstraint(
            condition=Q(end__isnull=True) | ~Q(end_precision=""),
            name=f"{prefix}_end_has_precision",
            violation_error_message=_("An end date needs its precision (year, month or day)."),
        ),
    ]


class PeriodModel(models.Model):
    """A fact with a period: start and end (NULL = not stated / open), each with its precision.

    Starts are stored as the first day of their precision and ends as the last day (see dates.py).
    """

    # The partial dates of the admin's forms ("2009", "2009-04"): field -> whether it is an end.
    partial_dates = {"start": False, "end": True}

    start = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        _("start precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    end = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("end precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.before_save()
        super().save(*args, **kwargs)

    def before_save(self):
        """What save() derives; bulk inserts (the fixture loader) call it too."""
        self.normalize_period()

    def clean(self):
        super().clean()
        self.normalize_period()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end of the period cannot be before its start.")})

    @property
    def period_display(self) -> str:
        return format_period(self.start, self.start_precision, self.end, self.end_precision)

    def normalize_period(self):
        if self.start and not self.start_precision:
            self.start_precision = DatePrecision.DAY
        if self.end and not self.end_precision:
            self.end_precision = DatePrecision.DAY
        if not self.start:
            self.start_precision = ""
        if not self.end:
            self.end_precision = ""
        self.start = normalize(self.start, self.start_precision)
        self.end = normalize(self.end, self.end_precision, end=True)

    def covers(self, day) -> bool:
        """Whether the period (NULL bounds open) includes the day."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    def overlaps(self, other) -> bool:
        """Whether two periods share at least a day (NULL bounds are open)."""
        starts_before_other_ends = self.start is None or other.end is None or self.start <= other.end
        ends_after_other_starts = self.end is None or other.start is None or self.end >= other.start
        return starts_before_other_ends and ends_after_other_starts


def covers_q(day, prefix: str = "") -> Q:
    """Q for rows whose period covers the given day (NULL bounds are open)."""
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": day})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day})
    )


def account_process_errors(fact) -> dict:
    """A fact with both a process and a source's account must name the same process."""
    if fact.account_id and fact.process_id and fact.account.process_id != fact.process_id:
        return {"account": _("The source's account must be one of this process's accounts.")}
    return {}
