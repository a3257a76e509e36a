"""What one source says about one process as of the source's date (its account), with the totals
it states and the priorities it lists. Every account is kept; a later one never overwrites an
earlier."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import MechanismType, Role, SecretariatKind
from .base import CitableModel
from .processes import Process, Region

__all__ = ["ASPECTS", "ProcessAccount", "StatedList", "StatedTotal", "Priority", "account_stating"]

# What an account states about its process, each on its own: a source that lists only the members
# (a news item) says nothing of the region, the secretariat, the year or the main areas, which stay
# as the last source that stated them gave them. (Each role's list: StatedList; IOM's roles: see
# IomRole.objects.as_of.)
ASPECTS = {
    "region": lambda account: account.region_id is not None,
    "year_established": lambda account: account.year_established is not None,
    "mechanism_type": lambda account: bool(account.mechanism_type),
    "secretariat": lambda account: bool(account.secretariat or account.secretariat_kind),
    "main_areas": lambda account: bool(account.main_areas or account.current_priorities),
}


def account_stating(accounts, aspect: str, day=None):
    """The account in force for one aspect on a day (the latest known without one): of a process's
    accounts, ordered by their sources' dates, the latest dated on or before the day that states it."""
    states = ASPECTS[aspect]
    dated = [a for a in accounts if day is None or a.source.as_of <= day]
    return next((a for a in reversed(dated) if states(a)), None)


class ProcessAccount(CitableModel):
    """What one source says about one process, as of the source's date: the row of its annex
    table and the paragraphs about it. Both papers' accounts are kept side by side; a later
    source never overwrites an earlier one."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("process")
    )
    source = models.ForeignKey(
        "registry.SourceDocument",
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("source"),
    )
    name_as_listed = models.CharField(_("name as the source lists it"), max_length=300)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("region"),
    )
    year_established = models.PositiveSmallIntegerField(_("year established"), null=True, blank=True)
    mechanism_type = models.CharField(
        _("type, as IOM classifies it"),
        max_length=6,
        choices=MechanismType.choices,
        blank=True,
        help_text=_("Regional consultative process, interregional forum or global process"),
    )
    secretariat_kind = models.CharField(
        _("secretariat arrangement"), max_length=14, choices=SecretariatKind.choices, blank=True
    )
    secretariat = models.TextField(_("secretariat, as the source describes it"), blank=True)
    main_areas = models.TextField(_("main areas of discussion"), blank=True)
    current_priorities = models.TextField(
        _("current priorities, as the source words them"),
        blank=True,
        help_text=_("The source's text; the enumerated items are also kept in order as priorities."),
    )
    participation_notes = models.TextField(
        _("participation notes"),
        blank=True,
        help_text=_("What the source says of participation without naming participants."),
    )
    iom_offices_note = models.TextField(_("IOM offices involved, as the source words it"), blank=True)
    notes = models.TextField(_("other statements of the source"), blank=True)
    history = HistoricalRecords(table_name="registry_historicalprocesssnapshot")

    class Meta:
        ordering = ["process__name", "source__as_of"]
        indexes = [models.Index(fields=["process", "source"], name="account_process_source_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "source"],
                name="account_unique_per_source",
                violation_error_message=_("This source already has an account of this process."),
            ),
            models.CheckConstraint(
                condition=Q(year_established__isnull=True)
                | (Q(year_established__gte=1900) & Q(year_established__lte=2100)),
                name="account_year_plausible",
                violation_error_message=_("The year of establishment must be between 1900 and 2100."),
            ),
        ]
        verbose_name = _("source's account of a process")
        verbose_name_plural = _("sources' accounts of processes")
        db_table = "registry_processsnapshot"  # the table keeps its first name

    def __str__(self):
        return f"{self.process} — {self.source.label}"

    def get_absolute_url(self):
        return reverse("admin:registry_processaccount_change", args=[self.pk])

    def clean(self):
        super().clean()
        if self.region_id and self.source_id and self.region.source_id != self.source_id:
            raise ValidationError({"region": _("The region must be one of this source's regions.")})


class StatedList(models.Model):
    """That an account states one role's list, and how: **complete** ("the members are …": whoever
    it does not list no longer holds the role, as of the source's date) or **partial** ("X joined",
    "among those present were …": it adds or confirms, and says nothing of the others). A role whose
    list an account does not state stays as the last source stating it gave it
    (Participation.objects.as_of)."""

    account = models.ForeignKey(
        ProcessAccount, on_delete=models.CASCADE, related_name="stated_lists", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=22, choices=Role.choices)
    complete = models.BooleanField(
        _("complete"),
        default=True,
        help_text=_("The source gives the whole list: whoever it omits has left the role."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["account", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"],
                name="stated_list_unique_per_role",
                violation_error_message=_("This account already states this role's list."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="stated_list_role_valid",
                violation_error_message=_("Unknown role."),
            ),
        ]
        verbose_name = _("list stated")
        verbose_name_plural = _("lists stated")

    def __str__(self):
        how = _("complete") if self.complete else _("partial")
        return f"{self.account}: {self.get_role_display()} ({how})"

    def get_absolute_url(self):
        return self.account.get_absolute_url()


class StatedTotal(CitableModel):
    """A count a source states ("(Total: 42)"), compared with the participations the registry
    lists for the same account and role. A difference must be explained in the note."""

    account = models.ForeignKey(
        ProcessAccount,
        on_delete=models.CASCADE,
        related_name="stated_totals",
        verbose_name=_("account"),
        db_column="snapshot_id",  # the column keeps its first name
    )
    role = models.CharField(_("role counted"), max_length=22, choices=Role.choices, default=Role.MEMBER)
    stated = models.PositiveSmallIntegerField(_("stated total"))
    note = models.TextField(
        _("discrepancy note"), blank=True, help_text=_("Why the listed participations differ, if they do.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["account", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"],
                name="stated_total_unique_per_role",
                violation_error_message=_("This account already states a total for this role."),
            )
        ]
        verbose_name = _("stated total")
        verbose_name_plural = _("stated totals")

    def __str__(self):
        return f"{self.account}: {self.stated} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.account.get_absolute_url()


class Priority(models.Model):
    """One of an account's current priorities, in the source's order (cited by the account)."""

    account = models.ForeignKey(
        ProcessAccount,
        on_delete=models.CASCADE,
        related_name="priorities",
        verbose_name=_("account"),
        db_column="snapshot_id",  # the column keeps its first name
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["account", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "position"],
                name="priority_unique_position",
                violation_error_message=_("Two priorities cannot share a position."),
            )
        ]
        verbose_name = _("current priority")
        verbose_name_plural = _("current priorities")

    def __str__(self):
        return f"{self.position}. {self.text[:80]}"

    def get_absolute_url(self):
        return self.account.get_absolute_url()
