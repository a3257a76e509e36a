"""Django admin for the registry (baseline registration; every change is kept in the history)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import models as m


class CitationInline(GenericTabularInline):
    model = m.Citation
    extra = 0
    fields = ["source", "locator", "quote"]
    autocomplete_fields = ["source"]


class RegistryAdmin(SimpleHistoryAdmin):
    inlines = [CitationInline]
    list_per_page = 100


@admin.register(m.SourceDocument)
class SourceDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["symbol", "title", "date", "as_of", "languages"]
    search_fields = ["symbol", "title", "body"]
    prepopulated_fields = {"slug": ["symbol"]}


@admin.register(m.Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "locator", "content_type", "object_id"]
    list_filter = ["source", "content_type"]
    search_fields = ["locator", "quote"]
    list_select_related = ["source", "content_type"]


@admin.register(m.Region)
class RegionAdmin(RegistryAdmin):
    list_display = ["name", "source", "position"]
    list_filter = ["source"]
    search_fields = ["name"]
    list_select_related = ["source"]


class ProcessAliasInline(admin.TabularInline):
    model = m.ProcessAlias
    extra = 0
    fields = ["name", "language", "kind"]


class SnapshotInline(admin.TabularInline):
    model = m.ProcessSnapshot
    extra = 0
    fields = ["source", "name_as_listed", "year_established", "region", "secretariat_kind"]
    autocomplete_fields = ["source", "region"]
    show_change_link = True


@admin.register(m.Process)
class ProcessAdmin(RegistryAdmin):
    list_display = ["short_name", "name", "kind", "status", "slug"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "short_name", "slug", "aliases__name"]
    inlines = [ProcessAliasInline, SnapshotInline, CitationInline]


@admin.register(m.ProcessAlias)
class ProcessAliasAdmin(RegistryAdmin):
    list_display = ["name", "language", "kind", "process"]
    list_filter = ["language", "kind"]
    search_fields = ["name", "process__name", "process__short_name"]
    autocomplete_fields = ["process"]
    list_select_related = ["process"]


class PriorityInline(admin.TabularInline):
    model = m.Priority
    extra = 0


class StatedTotalInline(admin.TabularInline):
    model = m.StatedTotal
    extra = 0


@admin.register(m.ProcessSnapshot)
class ProcessSnapshotAdmin(RegistryAdmin):
    list_display = ["process", "source", "name_as_listed", "year_established", "region", "secretariat_kind"]
    list_filter = ["source", "secretariat_kind", "region"]
    search_fields = ["name_as_listed", "process__name", "process__short_name"]
    autocomplete_fields = ["process", "source", "region"]
    list_select_related = ["process", "source", "region__source"]
    inlines = [StatedTotalInline, PriorityInline, CitationInline]


@admin.register(m.StatedTotal)
class StatedTotalAdmin(RegistryAdmin):
    list_display = ["snapshot", "role", "stated", "note"]
    autocomplete_fields = ["snapshot"]
    list_select_related = ["snapshot__process", "snapshot__source"]
    search_fields = ["snapshot__process__short_name"]


class ParticipantAliasInline(admin.TabularInline):
    model = m.ParticipantAlias
    extra = 0
    fields = ["name", "language", "kind"]


@admin.register(m.Participant)
class ParticipantAdmin(RegistryAdmin):
    list_display = ["name", "kind", "iso_code", "acronym", "organization_type"]
    list_filter = ["kind", "organization_type"]
    search_fields = ["name", "iso_code", "acronym", "aliases__name", "slug"]
    autocomplete_fields = ["process"]
    inlines = [ParticipantAliasInline, CitationInline]


@admin.register(m.ParticipantAlias)
class ParticipantAliasAdmin(RegistryAdmin):
    list_display = ["name", "language", "participant"]
    list_filter = ["language"]
    search_fields = ["name", "participant__name"]
    autocomplete_fields = ["participant"]
    list_select_related = ["participant"]


@admin.register(m.Participation)
class ParticipationAdmin(RegistryAdmin):
    list_display = [
        "participant",
        "role",
        "process",
        "period_display",
        "snapshot",
        "counted_in_total",
        "suspended",
    ]
    list_filter = ["role", "process", "snapshot__source", "counted_in_total", "suspended"]
    search_fields = [
        "participant__name",
        "participant__iso_code",
        "participant__aliases__name",
        "name_as_cited",
    ]
    autocomplete_fields = ["process", "participant", "snapshot"]
    list_select_related = ["participant", "process", "snapshot__process", "snapshot__source"]


@admin.register(m.IomOffice)
class IomOfficeAdmin(RegistryAdmin):
    list_display = ["name", "kind", "city", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "city", "aliases__name"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]


@admin.register(m.IomOfficeAlias)
class IomOfficeAliasAdmin(RegistryAdmin):
    list_display = ["name", "office"]
    search_fields = ["name", "office__name"]
    autocomplete_fields = ["office"]
    list_select_related = ["office"]


@admin.register(m.IomRole)
class IomRoleAdmin(RegistryAdmin):
    list_display = ["process", "function", "status", "snapshot"]
    list_filter = ["function", "status", "process"]
    search_fields = ["process__name", "process__short_name", "description"]
    autocomplete_fields = ["process", "snapshot", "offices"]
    list_select_related = ["process", "snapshot__process", "snapshot__source"]


@admin.register(m.Event)
class EventAdmin(RegistryAdmin):
    list_display = ["title", "kind", "period_display", "place", "process"]
    list_filter = ["kind", "process"]
    search_fields = ["title", "place", "description"]
    autocomplete_fields = ["process", "organizers"]
    list_select_related = ["process"]


@admin.register(m.WorkingGroup)
class WorkingGroupAdmin(RegistryAdmin):
    list_display = ["name", "process", "chair", "co_chair"]
    list_filter = ["process"]
    search_fields = ["name"]
    autocomplete_fields = ["process", "snapshot", "chair", "co_chair"]
    list_select_related = ["process", "chair", "co_chair"]


@admin.register(m.Phase)
class PhaseAdmin(RegistryAdmin):
    list_display = ["name", "process", "period_display"]
    search_fields = ["name"]
    autocomplete_fields = ["process"]
    list_select_related = ["process"]


@admin.register(m.RegionalGrouping)
class RegionalGroupingAdmin(RegistryAdmin):
    list_display = ["name", "focus", "region", "source", "process", "organization"]
    list_filter = ["source", "focus", "region"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["region", "process", "organization"]
    list_select_related = ["region__source", "source", "process", "organization"]
