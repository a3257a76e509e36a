"""How processes change shape: their status over time (active, dormant, concluded) and their
succession (the Söderköping Process continued by the Eastern Partnership Panel on Migration and
Asylum is the kind of case), each dated and cited. Names over time are the processes' aliases
with a period (ProcessAlias)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import DatePrecision, ProcessStatus
from ..dates import format_partial_date, normalize
from .base import CitableModel, PeriodModel, period_constraints
from .processes import Process

__all__ = ["StatusPeriod", "Succession"]


class StatusPeriod(CitableModel, PeriodModel):
    """A process's status over a period, as a source states it ("dormant since 2012")."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("process")
    )
    status = models.CharField(_("status"), max_length=10, choices=ProcessStatus.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["process", F("start").asc(nulls_first=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProcessStatus.values),
                name="status_period_status_valid",
                violation_error_message=_("Unknown process status."),
            ),
            models.UniqueConstraint(
                fields=["process", "start"],
                name="status_period_one_per_start",
                violation_error_message=_("This process already has a status from this date."),
            ),
            *period_constraints("status_period"),
        ]
        verbose_name = _("status over time")
        verbose_name_plural = _("statuses over time")

    def __str__(self):
        period = f" ({self.period_display})" if self.period_display else ""
        return f"{self.process}: {self.get_status_display()}{period}"

    def get_absolute_url(self):
        return self.process.get_absolute_url()


class Succession(CitableModel):
    """One process continued by another from a date; the earlier keeps its own record and facts."""

    partial_dates = {"date": False}

    predecessor = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="succeeded_by", verbose_name=_("continued process")
    )
    successor = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="succeeds", verbose_name=_("continued by")
    )
    date = models.DateField(_("from"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["predecessor", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="succession_not_itself",
                violation_error_message=_("A process cannot continue itself."),
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique",
                violation_error_message=_("This succession is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=True) | ~Q(date_precision=""),
                name="succession_date_has_precision",
                violation_error_message=_("A date needs its precision (year, month or day)."),
            ),
        ]
        verbose_name = _("succession")
        verbose_name_plural = _("successions")

    def __str__(self):
        when = f" ({self.date_display})" if self.date else ""
        return f"{self.predecessor} → {self.successor}{when}"

    def get_absolute_url(self):
        return self.predecessor.get_absolute_url()

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)

    def in_effect_on(self, day) -> bool:
        return self.date is None or self.date <= day

    def save(self, *args, **kwargs):
        self.before_save()
        super().save(*args, **kwargs)

    def before_save(self):
        if self.date and not self.date_precision:
            self.date_precision = DatePrecision.DAY
        if not self.date:
            self.date_precision = ""
        self.date = normalize(self.date, self.date_precision)

    def clean(self):
        super().clean()
        if self.predecessor_id and self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("A process cannot continue itself.")})
        if self.predecessor_id and self.successor_id:
            reverse = Succession.objects.filter(predecessor=self.successor_id, successor=self.predecessor_id)
            if reverse.exclude(pk=self.pk).exists():
                raise ValidationError({"successor": _("That process is recorded as continued by this one.")})
