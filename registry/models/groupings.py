"""Regional groupings with a migration focus or interest (MC/INF/266's last table) and the other
groups on migration the sources mention (MARRI, OCAM, PIDC, JCMs, ...)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import GroupingFocus
from .base import CitableModel

__all__ = ["RegionalGrouping"]


class RegionalGrouping(CitableModel):
    """One entry of a source's list of regional groupings. It is a process of the registry, an
    organization, or (for a summit, plan or agreement) only the name the source gives."""

    source = models.ForeignKey(
        "registry.SourceDocument",
        on_delete=models.PROTECT,
        related_name="groupings",
        verbose_name=_("source"),
    )
    region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groupings",
        verbose_name=_("region"),
    )
    focus = models.CharField(_("focus"), max_length=8, choices=GroupingFocus.choices)
    name = models.CharField(_("name as listed"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    process = models.ForeignKey(
        "registry.Process",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groupings",
        verbose_name=_("process"),
    )
    organization = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groupings",
        limit_choices_to={"kind": "organization"},
        verbose_name=_("organization"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__as_of", "region__position", "focus", "position"]
        indexes = [models.Index(fields=["source", "focus", "position"], name="grouping_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "name"],
                name="grouping_unique_per_source",
                violation_error_message=_("This source already lists a grouping with this name."),
            ),
            models.CheckConstraint(
                condition=Q(process__isnull=True) | Q(organization__isnull=True),
                name="grouping_process_or_organization",
                violation_error_message=_("A grouping is a process or an organization, not both."),
            ),
            models.CheckConstraint(
                condition=Q(focus__in=GroupingFocus.values),
                name="grouping_focus_valid",
                violation_error_message=_("Unknown focus."),
            ),
        ]
        verbose_name = _("regional grouping")
        verbose_name_plural = _("regional groupings")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:registry_regionalgrouping_change", args=[self.pk])

    def clean(self):
        super().clean()
        if self.process_id and self.organization_id:
            raise ValidationError(_("A grouping is a process or an organization, not both."))
        if self.region_id and self.source_id and self.region.source_id != self.source_id:
            raise ValidationError({"region": _("The region must be one of this source's regions.")})
