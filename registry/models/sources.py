"""The source documents every curated fact traces to, and the citations that point into them."""

import hashlib

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import page_url
from ..choices import DatePrecision, SourceKind
from ..dates import format_partial_date, iso_partial_date
from .slugs import KeepsFormerSlugs, unique_slug

__all__ = ["SourceDocument", "Citation", "SYMBOL_PATTERN", "COPY_MAX_BYTES", "COPY_TYPES"]

# A document symbol as IOM writes them ("MC/INF/266", "SCPF/30"): segments after the first are
# upper case or digits, which keeps symbols usable in URLs (/api/sources/MC/INF/266/history/).
SYMBOL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Z0-9][A-Z0-9._-]*)*"


COPY_MAX_BYTES = 20 * 1024 * 1024
COPY_TYPES = {"application/pdf": "pdf", "text/html": "html"}


def copy_content_type(head: bytes, name: str) -> str | None:
    """What a stored copy is, from its first bytes (and, for HTML, its name): PDF or HTML only."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if name.lower().endswith((".html", ".htm")) and text.startswith((b"<!doctype html", b"<html", b"<")):
        return "text/html"
    return None


def validate_copy(file):
    """A newly given copy (one already stored, or named by an import, was checked when given)."""
    if not isinstance(getattr(file, "name", None), str):  # an import's row with another value there
        raise ValidationError(_("A stored copy is a file's name."), code="not_a_file")
    if getattr(file, "_committed", False):
        return
    if file.size > COPY_MAX_BYTES:
        raise ValidationError(_("A stored copy is at most 20 MB."), code="too_large")
    file.seek(0)
    head = file.read(512)
    file.seek(0)
    if copy_content_type(head, file.name) is None:
        raise ValidationError(_("A stored copy is a PDF or an HTML file."), code="not_pdf_or_html")


def copy_path(source, filename) -> str:
    """Named by the registry, not by the uploader: sources/<slug>-<first digits of its SHA-256>.pdf."""
    return f"sources/{source.slug or 'source'}-{source.copy_sha256[:12]}.{COPY_TYPES[source.copy_type]}"


class SourceDocument(KeepsFormerSlugs, models.Model):
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
    consulted = models.DateField(
        _("consulted"),
        null=True,
        blank=True,
        help_text=_(
            "The day the registry read the document: for an undated web page, whose text may change."
        ),
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        help_text=_("The languages of the document and of its parts, e.g. 'body: es; annexes: en'."),
    )
    description = models.TextField(_("what it covers"), blank=True)
    copy = models.FileField(
        _("stored copy"),
        upload_to=copy_path,
        max_length=200,
        blank=True,
        validators=[validate_copy],
        help_text=_("The document itself, as a PDF or HTML file of at most 20 MB; offered as a download."),
    )
    copy_sha256 = models.CharField(_("SHA-256 of the copy"), max_length=64, blank=True, editable=False)
    copy_size = models.PositiveBigIntegerField(
        _("size of the copy (bytes)"), null=True, blank=True, editable=False
    )
    copy_type = models.CharField(_("type of the copy"), max_length=20, blank=True, editable=False)
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
        self._describe_copy()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("registry:source_detail", self.slug)

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
        if self.consulted and self.consulted > today:
            errors["consulted"] = _("A source cannot be consulted after today.")
        if errors:
            raise ValidationError(errors)

    def _describe_copy(self):
        """A newly given copy: its SHA-256, size and type (it is named after them when stored)."""
        if not self.copy:
            self.copy_sha256, self.copy_size, self.copy_type = "", None, ""
            return
        if self.copy._committed:
            return
        digest, size = hashlib.sha256(), 0
        self.copy.seek(0)
        head = self.copy.read(512)
        self.copy.seek(0)
        for chunk in self.copy.chunks():
            digest.update(chunk)
            size += len(chunk)
        self.copy.seek(0)
        self.copy_sha256, self.copy_size = digest.hexdigest(), size
        self.copy_type = copy_content_type(head, self.copy.name) or ""

    def new_slug(self) -> str:
        """From the symbol ("SCPF/30" -> "scpf-30"), or else the title (see unique_slug)."""
        return unique_slug(SourceDocument.objects.all(), self.symbol or self.title, "source", self.pk)

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
        return f"{self.source.label}, {self.locator}"

    def get_absolute_url(self):
        return reverse("admin:registry_citation_change", args=[self.pk])

    @staticmethod
    def content_type_for(obj) -> ContentType:
        return ContentType.objects.get_for_model(obj, for_concrete_model=True)
