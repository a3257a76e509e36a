"""IOM offices and roles, events, and regional groupings."""

from django.contrib import admin

from .. import models as m
from ..resources import EventResource, IomRoleResource
from .base import RegistryAdmin, RegistryInline


class IomOfficeAliasInline(RegistryInline):
    model = m.IomOfficeAlias
    fields = ["name", "language", "kind", "display"]


@admin.register(m.IomOffice)
class IomOfficeAdmin(RegistryAdmin):
    list_display = ["name", "kind", "city", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "city", "aliases__name", "slug"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    ordering = ["name"]
    inlines = [IomOfficeAliasInline, *RegistryAdmin.inlines]


@admin.register(m.IomOfficeAlias)
class IomOfficeAliasAdmin(RegistryAdmin):
    list_display = ["name", "office"]
    search_fields = ["name", "office__name"]
    autocomplete_fields = ["office"]
    list_select_related = ["office"]
    ordering = ["name"]


@admin.register(m.IomRole)
class IomRoleAdmin(RegistryAdmin):
    list_display = ["process", "function", "status", "account"]
    list_filter = ["function", "status", "account__source", "process"]
    search_fields = ["process__name", "process__short_name", "description", "offices__name"]
    autocomplete_fields = ["process", "account", "offices"]
    list_select_related = ["process", "account__process", "account__source"]
    ordering = ["process__short_name", "account__source__as_of", "function"]
    resource_classes = [IomRoleResource]


@admin.register(m.Event)
class EventAdmin(RegistryAdmin):
    list_display = ["title", "kind", "period_display", "place", "process"]
    list_filter = ["kind", "process"]
    search_fields = ["title", "place", "description", "slug"]
    autocomplete_fields = ["process", "organizers"]
    list_select_related = ["process"]
    ordering = ["start", "title"]
    resource_classes = [EventResource]


@admin.register(m.RegionalGrouping)
class RegionalGroupingAdmin(RegistryAdmin):
    list_display = ["name", "focus", "region", "source", "process", "organization"]
    list_filter = ["source", "focus", "region"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["source", "region", "process", "organization"]
    list_select_related = ["region__source", "source", "process", "organization"]
    ordering = ["source__as_of", "position"]
