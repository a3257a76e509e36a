"""How a process changes shape, on its page and on their own: its status over time and the
processes that continue it (succession), each dated and cited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import models as m
from .base import CitingModelForm, RegistryAdmin, RegistryInline, citations_html


class StatusPeriodInline(RegistryInline):
    model = m.StatusPeriod
    form = CitingModelForm
    fields = ["status", "start", "end", "note", "citations_list", "cite_source", "cite_locator"]
    readonly_fields = ["citations_list"]
    verbose_name_plural = _("status over time (dated, cited)")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description=_("citations"))
    def citations_list(self, obj):
        return citations_html(obj) if obj.pk else "—"


class SuccessionInline(RegistryInline):
    """The processes that continue this one (those it continues are listed read-only above)."""

    model = m.Succession
    form = CitingModelForm
    fk_name = "predecessor"
    fields = ["successor", "date", "note", "citations_list", "cite_source", "cite_locator"]
    readonly_fields = ["citations_list"]
    autocomplete_fields = ["successor"]
    verbose_name_plural = _("continued by (succession)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("successor").prefetch_related("citations__source")

    @admin.display(description=_("citations"))
    def citations_list(self, obj):
        return citations_html(obj) if obj.pk else "—"


@admin.register(m.StatusPeriod)
class StatusPeriodAdmin(RegistryAdmin):
    form = CitingModelForm
    list_display = ["process", "status", "period_display"]
    list_filter = ["status"]
    search_fields = ["process__name", "process__short_name", "note"]
    autocomplete_fields = ["process"]
    list_select_related = ["process"]
    ordering = ["process__short_name", "start"]
    fields = ["process", "status", "start", "end", "note", "cite_source", "cite_locator", "change_reason"]


@admin.register(m.Succession)
class SuccessionAdmin(RegistryAdmin):
    form = CitingModelForm
    list_display = ["predecessor", "successor", "date_display"]
    search_fields = [
        "predecessor__name",
        "predecessor__short_name",
        "successor__name",
        "successor__short_name",
    ]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]
    ordering = ["predecessor__short_name"]
    fields = ["predecessor", "successor", "date", "note", "cite_source", "cite_locator", "change_reason"]
