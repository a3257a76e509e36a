"""The source documents every curated fact traces to, and the citations that point into them."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import DatePrecision, SourceKind
from ..dates import format_partial_date, iso_partial_date

__all__ = ["SourceDocument", "Citation", "SYMBOL_PATTERN"]

# A document symbol as IOM writes them ("MC/INF/266", "SCPF/30"): segments after the first are
# upper case or digits, which keeps symbols usable in URLs (/api/sources/MC/INF/266/history/).
SYMBOL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Z0-9][A-Z0-9._-]*)*"


class SourceDocument(models.Model):
    """A document the registry's facts come from, e.g. IOM's MC/INF/266 (2003) or SCPF/30 (2009)."""

    symbol = models.CharField(
        _("symbol"),
        max_length=50,
        blank=True,
        validators=[
            RegexValidator(
                f"^{SYMBOL_PATTERN}$",
                _(
                    "A symbol like SCPF/30 or MC/INF/266: letters, digits, '.', '-' and '_', parts "
                    "after a '/' in upper case."
                ),
            )
        ],
        help_text=_("An IOM document's symbol, e.g. SCPF/30; empty for a source that has none."),
    )
    kind = models.CharField(
        _("kind"), max_length=14, choices=SourceKind.choices, default=SourceKind.IOM_PAPER
    )
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_("Made from the symbol, or else the title, when the source is created; then kept."),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.CharField(_("issuing body or meeting"), max_length=300, blank=True)
    web_address = models.URLField(
        _("web address"), max_length=500, blank=True, help_text=_("Where the document is published (URL).")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    as_of = models.DateField(
        _("as of"), help_text=_("The date the document's facts describe (first day of its precision).")
    )
    as_of_precision = models.CharField(_("as-of precision"), max_length=5, choices=DatePrecision.choices)
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("The languages of the document and of its parts, e.g. 'body: es; annexes: en'."),
    )
    description = models.TextField(_("what it covers"), blank=True)
    history = HistoricalRecords()

    # The partial dates of the admin's form ("2024", "2024-06"): field -> whether it is an end.
    partial_dates = {"date": False, "as_of": False}

    class Meta:
        ordering = ["as_of", "symbol"]
        indexes = [models.Index(fields=["as_of", "symbol"], name="source_as_of_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"],
                condition=~Q(symbol=""),
                name="source_symbol_unique",
                violation_error_message=_("Another source has this symbol."),
            )
        ]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.new_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registry:source_detail", args=[self.slug])

    @property
    def label(self) -> str:
        """How citations name the source: its symbol ("SCPF/30"), or else its title."""
        return self.symbol or self.title

    @property
    def key(self) -> str:
        """How the API and the spreadsheets name the source: its symbol, or else its slug."""
        return self.symbol or self.slug

    def clean(self):
        super().clean()
        today = timezone.localdate()
        errors = {}
        if self.as_of and self.as_of > today:
            errors["as_of"] = _("A source cannot describe a day after today.")
        if self.date and self.date > today:
            errors["date"] = _("A source cannot be dated after today.")
        if errors:
            raise ValidationError(errors)

    def new_slug(self) -> str:
        """From the symbol ("SCPF/30" -> "scpf-30"), or else the title; "-2", "-3" ... when taken.
        Made once, when the source is created: its pages and API address stay."""
        base = slugify((self.symbol or self.title).replace("/", "-"))
        if len(base) > 55:  # room for "-2" ...; cut between words
            base = base[:56].rsplit("-", 1)[0]
        base = base.strip("-") or "source"
        taken = set(
            SourceDocument.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    @property
    def as_of_display(self) -> str:
        return format_partial_date(self.as_of, self.as_of_precision)

    @property
    def as_of_param(self) -> str:
        """The as-of date as the pages' and the API's ?as_of= takes it: "2003", "2009-04"."""
        return iso_partial_date(self.as_of, self.as_of_precision)

    @property
    def reference(self) -> str:
        """ "SCPF/30: Regional Consultative Processes on Migration: ..." as downloads name it."""
        return f"{self.symbol}: {self.title}" if self.symbol else self.title


class Citation(models.Model):
    """Where a fact comes from: a source document and a locator (annex, paragraph, table row/column)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    fact = GenericForeignKey("content_type", "object_id")
    source = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    locator = models.CharField(
        _("locator"),
        max_length=300,
        help_text=_("Where in the source: annex, paragraph, footnote, table row and column."),
    )
    quote = models.TextField(_("quotation"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source__as_of", "locator", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_fact_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "locator"],
                name="citation_unique_per_fact",
                violation_error_message=_("This fact already cites that place of that source."),
            ),
            models.CheckConstraint(
                condition=~Q(locator=""),
                name="citation_locator_not_blank",
                violation_error_message=_("A citation needs a locator (annex, paragraph, table row)."),
            ),
        ]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return f"{self.source.symbol}, {self.locator}"

    def get_absolute_url(self):
        return reverse("admin:registry_citation_change", args=[self.pk])

    @staticmethod
    def content_type_for(obj) -> ContentType:
        return ContentType.objects.get_for_model(obj, for_concrete_model=True)
