"""Source documents and the citations that point into them."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import models as m
from ..dates import format_partial_date
from .base import RegistryAdmin


@admin.register(m.SourceDocument)
class SourceDocumentAdmin(RegistryAdmin):
    view_on_site = True  # "View on site": the public page
    list_display = ["label", "kind", "date_display", "as_of_display", "languages", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["symbol", "title", "body", "web_address"]
    fields = [
        "title",
        "kind",
        "symbol",
        "body",
        "date",
        "as_of",
        "languages",
        "web_address",
        "description",
        "copy",
        "copy_description",
        "slug",
    ]
    ordering = ["as_of", "symbol"]
    inlines = []
    # A web address typed without its scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # Made from the symbol or the title when the source is created, then kept (its address).
        return [*super().get_readonly_fields(request, obj), "slug", "copy_description"]

    @admin.display(description=_("stored copy"))
    def copy_description(self, obj):
        if not obj.copy_sha256:
            return "—"
        return f"{obj.copy_type}, {obj.copy_size} bytes, SHA-256 {obj.copy_sha256}"

    @admin.display(description=_("source"), ordering="symbol")
    def label(self, obj):
        return obj.label

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return format_partial_date(obj.date, obj.date_precision)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=models.Count("citations"))

    @admin.display(description=_("as of"), ordering="as_of")
    def as_of_display(self, obj):
        return obj.as_of_display

    @admin.display(description=_("citations"), ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total


@admin.register(m.Citation)
class CitationAdmin(RegistryAdmin):
    list_display = ["source", "locator", "content_type", "fact_link"]
    list_filter = ["source", "content_type"]
    search_fields = ["locator", "quote"]
    list_select_related = ["source", "content_type"]
    autocomplete_fields = ["source"]
    ordering = ["source__as_of", "locator"]
    inlines = []

    @admin.display(description=_("fact"))
    def fact_link(self, obj):
        # The fact's id and type; its name would cost a query per row.
        return f"{obj.content_type.model} #{obj.object_id}"
