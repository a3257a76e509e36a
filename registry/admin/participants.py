"""States, territories and organizations, with every participation across processes."""

from django.contrib import admin
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import models as m
from ..resources import ParticipantResource, ParticipationResource
from .base import CitationInline, CitingModelForm, ParticipationInlineBase, RegistryAdmin, RegistryInline
from .hub import RETURN_TO_HUB


class ParticipantAliasInline(RegistryInline):
    model = m.ParticipantAlias
    fields = ["name", "language", "kind", "display"]


class ParticipationsOfParticipantInline(ParticipationInlineBase):
    """The participant's roles in every process."""

    fk_name = "participant"
    fields = ["process", *ParticipationInlineBase.columns]
    autocomplete_fields = ["process"]
    verbose_name_plural = _("participations in processes")

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("process__short_name", "account__source__as_of", "role")


@admin.register(m.Participant)
class ParticipantAdmin(RegistryAdmin):
    view_on_site = True  # "View on site": the public page
    list_display = ["name", "kind", "iso_code", "acronym", "organization_type", "participation_count"]
    list_filter = ["kind", "organization_type"]
    search_fields = ["name", "iso_code", "acronym", "aliases__name", "slug"]
    autocomplete_fields = ["process"]
    ordering = ["name"]
    inlines = [ParticipantAliasInline, ParticipationsOfParticipantInline, CitationInline]
    resource_classes = [ParticipantResource]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "name",
                    "name_language",
                    "kind",
                    "iso_code",
                    "acronym",
                    "organization_type",
                    "process",
                    "note",
                ]
            },
        ),
        (_("Why"), {"fields": ["change_reason"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(participation_total=models.Count("participations"))

    @admin.display(description=_("participations"), ordering="participation_total")
    def participation_count(self, obj):
        return obj.participation_total


@admin.register(m.ParticipantAlias)
class ParticipantAliasAdmin(RegistryAdmin):
    list_display = ["name", "language", "display", "participant"]
    list_filter = ["language", "display"]
    search_fields = ["name", "participant__name", "participant__iso_code"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant"]
    ordering = ["name"]


@admin.register(m.Participation)
class ParticipationAdmin(RegistryAdmin):
    form = CitingModelForm
    list_display = [
        "participant",
        "role",
        "process",
        "period_display",
        "source",
        "counted_in_total",
        "suspended",
    ]
    list_filter = [
        "role",
        "process",
        "account__source",
        "counted_in_total",
        "suspended",
        "participant__kind",
    ]
    search_fields = [
        "participant__name",
        "participant__iso_code",
        "participant__acronym",
        "participant__aliases__name",
        "name_as_cited",
        "process__short_name",
        "process__aliases__name",
    ]
    autocomplete_fields = ["process", "participant", "account"]
    list_select_related = ["participant", "process", "account__source"]
    ordering = ["process__short_name", "role", "position"]
    resource_classes = [ParticipationResource]
    fieldsets = [
        (None, {"fields": ["process", "participant", "role", "start", "end", "suspended", "status_note"]}),
        (
            _("As the source states it"),
            {"fields": ["account", "name_as_cited", "group_label", "counted_in_total", "position"]},
        ),
        (_("Cite"), {"fields": ["cite_source", "cite_locator"]}),
        (_("Why"), {"fields": ["change_reason"]}),
    ]

    @admin.display(description=_("source"), ordering="account__source__as_of")
    def source(self, obj):
        return obj.account.source.label if obj.account else _("curated")

    def response_change(self, request, obj):
        """Edited from a process's page (?hub=): saved, back to that page."""
        response = super().response_change(request, obj)
        back = request.GET.get(RETURN_TO_HUB, "")
        if "_save" in request.POST and back.isdigit() and int(back) == obj.process_id:
            url = reverse("admin:registry_process_change", args=[obj.process_id])
            return HttpResponseRedirect(f"{url}#participations-overview")
        return response
