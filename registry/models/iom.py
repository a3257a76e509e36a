"""IOM's offices and the role IOM plays in each process, per function."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import IomFunction, IomRoleStatus, OfficeKind
from .aliases import AliasModel, display_constraints
from .base import CitableModel, account_process_errors
from .participations import accounts_in_force
from .processes import Process

__all__ = ["IomOffice", "IomOfficeAlias", "IomRole"]


class IomOffice(CitableModel):
    """An IOM office: Headquarters, a Mission with Regional Functions (MRF), a Special Liaison
    Mission (SLM), a country mission, the Technical Cooperation Centre (TCC) in Vienna."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OfficeKind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "registry.Participant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="iom_offices",
        limit_choices_to={"kind__in": ["state", "territory"]},
        verbose_name=_("country"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="iom_office_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfficeKind.values),
                name="iom_office_kind_valid",
                violation_error_message=_("Unknown office kind."),
            )
        ]
        verbose_name = _("IOM office")
        verbose_name_plural = _("IOM offices")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:registry_iomoffice_change", args=[self.pk])


class IomOfficeAlias(AliasModel):
    """Another name of an IOM office in the sources ("MFR Buenos Aires", "IOM's Regional Office
    for Central America and Mexico")."""

    office = models.ForeignKey(
        IomOffice, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("office")
    )
    history = HistoricalRecords()

    class Meta(AliasModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name", "language"],
                name="iom_office_alias_unique",
                violation_error_message=_("This office already has this name in this language."),
            ),
            *display_constraints("office", "iom_office_alias"),
        ]
        verbose_name = _("IOM office name variant")
        verbose_name_plural = _("IOM office name variants")

    def get_absolute_url(self):
        return self.office.get_absolute_url()


class IomRoleQuerySet(models.QuerySet):
    def as_of(self, day):
        """IOM's roles in force on a day, the one rule the pages, the API and the exports use: a
        role curated outside any source's account, or one the process's latest account dated on
        or before the day that describes IOM's role states (an account of its members only leaves
        IOM's role as the last source described it), of a process that existed on the day (a
        source describes it by then, or states its establishment no later; see
        Process.objects.existing_on). A process not yet established has no IOM role."""
        describes = Exists(IomRole.objects.filter(account=OuterRef("pk")))
        return self.filter(
            Q(account__isnull=True) | Q(account__in=accounts_in_force(day, states=describes)),
            process__in=Process.objects.existing_on(day),
        )


class IomRole(CitableModel):
    """IOM's role in a process for one function, as a source states it: described (with the text),
    or "Not applicable", "Not yet", "Not currently" — with the IOM offices involved."""

    process = models.ForeignKey(
        "registry.Process", on_delete=models.CASCADE, related_name="iom_roles", verbose_name=_("process")
    )
    account = models.ForeignKey(
        "registry.ProcessAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="iom_roles",
        verbose_name=_("source's account"),
        db_column="snapshot_id",  # the column keeps its first name
    )
    function = models.CharField(_("function"), max_length=12, choices=IomFunction.choices)
    status = models.CharField(_("status"), max_length=14, choices=IomRoleStatus.choices)
    description = models.TextField(_("description"), blank=True)
    note = models.TextField(_("curator's note"), blank=True, help_text=_("What is odd in the source's cell."))
    offices = models.ManyToManyField(
        IomOffice, blank=True, related_name="roles", verbose_name=_("IOM offices")
    )
    history = HistoricalRecords(m2m_fields=[offices])

    objects = IomRoleQuerySet.as_manager()

    class Meta:
        ordering = ["process", "account", "function"]
        indexes = [models.Index(fields=["process", "function"], name="iom_role_process_function_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "function"],
                condition=Q(account__isnull=False),
                name="iom_role_unique_per_account",
                violation_error_message=_(
                    "This source account already describes IOM's role in this function."
                ),
            ),
            models.CheckConstraint(
                condition=Q(function__in=IomFunction.values),
                name="iom_role_function_valid",
                violation_error_message=_("Unknown IOM function."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=IomRoleStatus.values),
                name="iom_role_status_valid",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=~Q(status=IomRoleStatus.DESCRIBED) | ~Q(description=""),
                name="iom_role_described_has_text",
                violation_error_message=_("A described role needs its description."),
            ),
        ]
        verbose_name = _("IOM role")
        verbose_name_plural = _("IOM roles")

    def __str__(self):
        return f"{self.process} — {self.get_function_display()}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("admin:registry_iomrole_change", args=[self.pk])

    def clean(self):
        super().clean()
        if errors := account_process_errors(self):
            raise ValidationError(errors)
