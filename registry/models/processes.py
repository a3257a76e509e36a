"""Regional consultative processes, their names, the regions sources group them under, their
working groups and phases (what each source says about a process: accounts.py)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import page_url
from ..choices import AliasKind, ProcessKind, ProcessStatus, Role
from ..matching import normalize_name
from .aliases import AliasModel, display_constraints
from .base import CitableModel, PeriodModel, account_process_errors, period_constraints
from .slugs import KeepsFormerSlugs

__all__ = [
    "Region",
    "Process",
    "ProcessAlias",
    "WorkingGroup",
    "Phase",
]


class Region(CitableModel):
    """A regional heading under which a source groups processes. The sources group differently
    (2003: "Asia/Pacific", "Interregional"; 2009: "Asia and Oceania", "Western Mediterranean"),
    so each region belongs to the source that uses it."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.ForeignKey(
        "registry.SourceDocument", on_delete=models.PROTECT, related_name="regions", verbose_name=_("source")
    )
    position = models.PositiveSmallIntegerField(_("position in the source"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__as_of", "position", "name"]
        indexes = [models.Index(fields=["source", "position"], name="region_source_position_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "name"],
                name="region_unique_name_per_source",
                violation_error_message=_("This source already has a region with this name."),
            )
        ]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.name} ({self.source.label})"

    def get_absolute_url(self):
        return reverse("admin:registry_region_change", args=[self.pk])


class ProcessQuerySet(models.QuerySet):
    def named(self, name: str):
        """Processes whose name, short name or any alias (any language) matches the name."""
        key = normalize_name(name)
        return self.filter(
            Q(name__iexact=name.strip())
            | Q(short_name__iexact=name.strip())
            | Q(aliases__name_key=key)
            | Q(slug=name.strip())
        ).distinct()

    def search(self, text: str):
        """Processes any of whose names (official, short, any alias in any language) contains the
        text; case, accents and apostrophe styles do not matter ("soderkoping", "conferencia")."""
        text, key = text.strip(), normalize_name(text)
        if not key:
            return self
        aliases = ProcessAlias.objects.filter(process=OuterRef("pk"), name_key__contains=key)
        return self.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(slug=text) | Exists(aliases)
        )

    def _accounts(self):
        """ProcessAccount's rows, reached through the relation: accounts.py imports this module."""
        return self.model._meta.get_field("accounts").related_model.objects.all()

    def existing_on(self, day):
        """Processes that existed on the day: a source describes them by then, or states a year of
        establishment no later than the day's year."""
        accounts = (
            self._accounts()
            .filter(process=OuterRef("pk"))
            .filter(Q(source__as_of__lte=day) | Q(year_established__lte=day.year))
        )
        return self.filter(Exists(accounts))

    def with_summary(self, day):
        """Annotate `first_year` (the earliest year any source states) and `member_count` (the
        members as of the day, by Participation.objects.as_of): one query for any number of rows."""
        # Participation, reached through the relation: participations.py imports this module.
        Participation = self.model._meta.get_field("participations").related_model  # noqa: N806
        members = (
            Participation.objects.as_of(day)
            .filter(process=OuterRef("pk"), role=Role.MEMBER)
            .order_by()
            .values("process")
            .annotate(n=Count("participant", distinct=True))
            .values("n")
        )
        return self.with_first_year().annotate(
            member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0)
        )

    def with_first_year(self):
        """Annotate `first_year`, the earliest year of establishment any source states."""
        years = (
            self._accounts()
            .filter(process=OuterRef("pk"), year_established__isnull=False)
            .order_by("year_established")
            .values("year_established")[:1]
        )
        return self.annotate(first_year=Subquery(years, output_field=IntegerField()))


class Process(KeepsFormerSlugs, CitableModel):
    """A Regional Consultative Process on Migration (or an inter-regional forum)."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Stable; used in URLs."))
    name = models.CharField(_("official name"), max_length=300)
    short_name = models.CharField(_("short name or acronym"), max_length=100)
    kind = models.CharField(_("kind"), max_length=14, choices=ProcessKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ProcessStatus.choices)
    status_note = models.TextField(_("status note"), blank=True)
    history = HistoricalRecords()

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="process_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProcessKind.values),
                name="process_kind_valid",
                violation_error_message=_("Unknown process kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProcessStatus.values),
                name="process_status_valid",
                violation_error_message=_("Unknown process status."),
            ),
        ]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return page_url("registry:process_detail", self.slug)

    def alias_on(self, day):
        """The name the process bore on the day when it was renamed since: an English name or
        former name whose period covers the day (aliases prefetched, or one query); else None."""
        for alias in self.aliases.all():
            dated = alias.start is not None or alias.end is not None
            if (
                dated
                and alias.language == "en"
                and alias.kind in (AliasKind.OFFICIAL, AliasKind.FORMER)
                and alias.covers(day)
                and alias.name != self.name
            ):
                return alias
        return None

    def status_on(self, day):
        """The dated status (StatusPeriod) covering the day, the latest starting; else None."""
        covering = [period for period in self.statuses.all() if period.covers(day)]
        return max(covering, key=lambda p: (p.start or date.min, p.pk), default=None)

    def years_established(self) -> list[tuple[int, str]]:
        """Each source's year of establishment, oldest source first: [(2001, "MC/INF/266"), ...]."""
        return [(s.year_established, s.source.label) for s in self.accounts.all() if s.year_established]


class ProcessAlias(AliasModel, PeriodModel):
    """Another name of a process, in a language, as a source gives it ("Puebla Process",
    "Conferencia Regional sobre Migraciones", "Budapest Group", "MDSA"). A name with a period is
    a name over time: a former name with its end keeps being shown for the dates before it."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("process")
    )
    history = HistoricalRecords()

    class Meta(AliasModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["process", "name", "language"],
                name="process_alias_unique",
                violation_error_message=_("This process already has this name in this language."),
            ),
            *display_constraints("process", "process_alias"),
            *period_constraints("process_alias"),
        ]
        indexes = [models.Index(fields=["name_key"], name="process_alias_key_idx")]
        verbose_name = _("process name or alias")
        verbose_name_plural = _("process names and aliases")

    def get_absolute_url(self):
        return self.process.get_absolute_url()

    def before_save(self):
        AliasModel.before_save(self)
        PeriodModel.before_save(self)


class WorkingGroup(CitableModel):
    """A working group of a process (the Budapest Process's seven, IGC's standing groups)."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="working_groups", verbose_name=_("process")
    )
    account = models.ForeignKey(
        "registry.ProcessAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("account"),
        db_column="snapshot_id",  # the column keeps its first name
    )
    name = models.CharField(_("name"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    chair = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_working_groups",
        verbose_name=_("chair"),
    )
    co_chair = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_chaired_working_groups",
        verbose_name=_("co-chair"),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "name"],
                name="working_group_unique_name",
                violation_error_message=_("This process already has a working group with this name."),
            )
        ]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.process.get_absolute_url()

    def clean(self):
        super().clean()
        errors = account_process_errors(self)
        if self.chair_id and self.chair_id == self.co_chair_id:
            errors["co_chair"] = _("The co-chair cannot be the chair.")
        if errors:
            raise ValidationError(errors)


class Phase(CitableModel, PeriodModel):
    """A phase of a process (MTM: Exploratory, Consolidation, Project, "A Dialogue in Action")."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="phases", verbose_name=_("process")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "name"],
                name="phase_unique_name",
                violation_error_message=_("This process already has a phase with this name."),
            ),
            *period_constraints("phase"),
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return f"{self.name} ({self.period_display})" if self.period_display else self.name

    def get_absolute_url(self):
        return self.process.get_absolute_url()
