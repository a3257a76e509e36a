"""The process page is the curators' hub: names, participations, IOM roles, events, working groups
and phases are edited on it, stated totals are checked on it, and its history shows every change
to the process's facts."""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .. import integrity
from .. import models as m
from ..history import related_changes
from ..resources import ProcessResource
from .base import CitationInline, ParticipationInlineBase, RegistryAdmin, RegistryInline
from .hub import participation_groups
from .lineage import StatusPeriodInline, SuccessionInline
from .recording import record_account_view


class ProcessAliasInline(RegistryInline):
    """Its names; a name with a period is a name over time (a former name with its end)."""

    model = m.ProcessAlias
    fields = ["name", "language", "kind", "display", "start", "end"]
    show_change_link = True


class ParticipationInline(ParticipationInlineBase):
    """New participations only (curated facts, with their citation): the ones recorded are listed
    by role above the inlines, one line each, and edited on their own page (ROW_EDIT)."""

    fields = [
        "participant",
        "role",
        "start",
        "end",
        "suspended",
        "status_note",
        "cite_source",
        "cite_locator",
    ]
    autocomplete_fields = ["participant"]
    extra = 1
    verbose_name_plural = _("add participations (curated facts)")

    def get_queryset(self, request):
        return super().get_queryset(request).none()


class IomRoleInline(RegistryInline):
    model = m.IomRole
    fields = ["account", "function", "status", "description", "offices", "note"]
    readonly_fields = ["account"]
    autocomplete_fields = ["offices"]
    classes = ["collapse"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("process", "account__process", "account__source")
            .prefetch_related("offices")
        )


class EventInline(RegistryInline):
    model = m.Event
    fields = ["kind", "title", "start", "end", "place", "organizers"]
    autocomplete_fields = ["organizers"]
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizers")


class WorkingGroupInline(RegistryInline):
    model = m.WorkingGroup
    fields = ["name", "chair", "co_chair", "note"]
    autocomplete_fields = ["chair", "co_chair"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("chair", "co_chair")


class PhaseInline(RegistryInline):
    model = m.Phase
    fields = ["name", "position", "start", "end"]


class AccountInline(RegistryInline):
    model = m.ProcessAccount
    fields = [
        "source",
        "name_as_listed",
        "year_established",
        "region",
        "secretariat_kind",
        "participations_link",
    ]
    readonly_fields = ["source", "participations_link"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source", "region__source")
            .annotate(participation_total=Count("participations"))
        )

    @admin.display(description=_("participations it lists"))
    def participations_link(self, obj):
        if not obj.pk:
            return "—"
        query = urlencode({"process__id__exact": obj.process_id, "account__source__id__exact": obj.source_id})
        return format_html(
            '<a href="{}?{}">{}</a>',
            reverse("admin:registry_participation_changelist"),
            query,
            obj.participation_total,
        )

    def has_add_permission(self, request, obj=None):
        return False  # a new source's account is added from the account admin, with its citation


@admin.register(m.Process)
class ProcessAdmin(RegistryAdmin):
    view_on_site = True  # "View on site": the public page
    list_display = ["short_name", "name", "kind", "status", "slug"]
    list_filter = ["kind", "status", "accounts__source", "accounts__region"]
    search_fields = ["name", "short_name", "slug", "aliases__name"]
    ordering = ["short_name"]
    readonly_fields = ["stated_totals_overview", "continues"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "short_name", "kind", "status", "status_note", "continues"]}),
        (_("Stated totals against listed participations"), {"fields": ["stated_totals_overview"]}),
        (_("Why"), {"fields": ["change_reason"]}),
    ]
    inlines = [
        ProcessAliasInline,
        StatusPeriodInline,
        SuccessionInline,
        AccountInline,
        ParticipationInline,
        IomRoleInline,
        EventInline,
        WorkingGroupInline,
        PhaseInline,
        CitationInline,
    ]
    resource_classes = [ProcessResource]
    object_history_template = "admin/registry/process/object_history.html"
    change_form_template = "admin/registry/process/change_form.html"

    def get_urls(self):
        record = self.admin_site.admin_view(
            lambda request, object_id: record_account_view(self, request, object_id)
        )
        return [
            path("<path:object_id>/record-account/", record, name="registry_process_record_account"),
            *super().get_urls(),
        ]

    @admin.display(description=_("continues"))
    def continues(self, obj):
        """The processes this one continues (recorded on their pages, as "continued by")."""
        earlier = obj.succeeds.select_related("predecessor") if obj and obj.pk else []
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> ({})',
                (
                    (
                        reverse("admin:registry_process_change", args=[s.predecessor_id]),
                        s.predecessor,
                        s.date_display or "—",
                    )
                    for s in earlier
                ),
            )
            or "—"
        )

    @admin.display(description=_("Stated totals"))
    def stated_totals_overview(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (
                check.total.account.source.label,
                check.total.get_role_display(),
                check.total.stated,
                check.listed,
                check.status,
                check.total.note or "",
                reverse("admin:registry_processaccount_change", args=[check.total.account_id]),
            )
            for check in integrity.stated_totals(obj)
        ]
        if not rows:
            return _("No source states a total for this process.")
        body = format_html_join(
            "",
            '<tr><td><a href="{6}">{0}</a></td><td>{1}</td><td>{2}</td><td>{3}</td>'
            "<td><strong>{4}</strong></td><td>{5}</td></tr>",
            rows,
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("source"),
            _("role"),
            _("stated"),
            _("listed and counted"),
            _("check"),
            _("discrepancy note"),
            body,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        process = self.get_object(request, object_id)
        if process is not None:
            extra_context = {**(extra_context or {}), "participation_groups": participation_groups(process)}
        if request.method == "GET" and process is not None:
            for check in integrity.stated_totals(process):
                if check.status == "UNEXPLAINED":
                    messages.warning(
                        request,
                        _(
                            "%(source)s states %(stated)s but %(listed)s participations are listed and "
                            "counted, and no discrepancy note explains it."
                        )
                        % {
                            "source": check.total.account.source.label,
                            "stated": check.total.stated,
                            "listed": check.listed,
                        },
                    )
        return super().change_view(request, object_id, form_url, extra_context)

    # The history of a process includes the changes to its facts (participations, names, ...).
    RELATED_HISTORIES = [
        m.ProcessAlias,
        m.StatusPeriod,
        m.ProcessAccount,
        m.Participation,
        m.IomRole,
        m.Event,
        m.WorkingGroup,
        m.Phase,
    ]

    def history_view(self, request, object_id, extra_context=None):
        extra_context = extra_context or {}
        extra_context["related_changes"] = self.related_changes(object_id)
        return super().history_view(request, object_id, extra_context)

    def related_changes(self, process_id, limit=100):
        return related_changes(self.RELATED_HISTORIES, process_id, limit)


@admin.register(m.ProcessAlias)
class ProcessAliasAdmin(RegistryAdmin):
    list_display = ["name", "language", "kind", "display", "process"]
    list_filter = ["language", "kind", "display"]
    search_fields = ["name", "process__name", "process__short_name"]
    autocomplete_fields = ["process"]
    list_select_related = ["process"]
    ordering = ["name"]


class PriorityInline(RegistryInline):
    model = m.Priority
    fields = ["position", "text"]
    show_change_link = False


class StatedTotalInline(RegistryInline):
    model = m.StatedTotal
    fields = ["role", "stated", "note"]


class StatedListInline(RegistryInline):
    model = m.StatedList
    fields = ["role", "complete"]
    verbose_name_plural = _("lists stated (a role not listed here: not stated by this source)")
    show_change_link = False  # a row is all there is to it

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account__process", "account__source")


class DepartureInline(RegistryInline):
    model = m.Departure
    fields = ["participant", "role", "kind", "name_as_cited"]
    autocomplete_fields = ["participant"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("participant", "account__process", "account__source")
        )


@admin.register(m.ProcessAccount)
class ProcessAccountAdmin(RegistryAdmin):
    list_display = ["process", "source", "name_as_listed", "year_established", "region", "secretariat_kind"]
    list_filter = ["source", "secretariat_kind", "region"]
    search_fields = ["name_as_listed", "process__name", "process__short_name", "process__aliases__name"]
    autocomplete_fields = ["process", "source", "region"]
    list_select_related = ["process", "source", "region__source"]
    ordering = ["process__short_name", "source__as_of"]
    inlines = [StatedListInline, StatedTotalInline, DepartureInline, PriorityInline, CitationInline]


@admin.register(m.StatedList)
class StatedListAdmin(RegistryAdmin):
    list_display = ["account", "role", "complete"]
    list_filter = ["account__source", "role", "complete"]
    autocomplete_fields = ["account"]
    search_fields = ["account__process__short_name", "account__process__name"]
    list_select_related = ["account__process", "account__source"]
    ordering = ["account__process__short_name", "account__source__as_of", "role"]
    inlines = []


@admin.register(m.Departure)
class DepartureAdmin(RegistryAdmin):
    list_display = ["participant", "kind", "role", "account"]
    list_filter = ["kind", "role", "account__source"]
    autocomplete_fields = ["account", "participant"]
    search_fields = ["participant__name", "name_as_cited", "account__process__short_name"]
    list_select_related = ["participant", "account__process", "account__source"]
    ordering = ["account__process__short_name", "participant__name"]


@admin.register(m.StatedTotal)
class StatedTotalAdmin(RegistryAdmin):
    list_display = ["account", "role", "stated", "listed_display", "note"]
    list_filter = ["account__source", "role"]
    autocomplete_fields = ["account"]
    search_fields = ["account__process__short_name", "account__process__name"]
    ordering = ["account__process__short_name"]

    def get_queryset(self, request):
        return m.stated_totals_with_listed(super().get_queryset(request)).select_related("account__process")

    @admin.display(description=_("listed and counted"), ordering="listed")
    def listed_display(self, obj):
        return obj.listed


@admin.register(m.Priority)
class PriorityAdmin(RegistryAdmin):
    list_display = ["account", "position", "text"]
    list_filter = ["account__source"]
    search_fields = ["text", "account__process__short_name"]
    autocomplete_fields = ["account"]
    list_select_related = ["account__process", "account__source"]
    ordering = ["account__process__short_name", "account__source__as_of", "position"]
    inlines = []


@admin.register(m.WorkingGroup)
class WorkingGroupAdmin(RegistryAdmin):
    list_display = ["name", "process", "chair", "co_chair"]
    list_filter = ["process"]
    search_fields = ["name", "process__short_name"]
    autocomplete_fields = ["process", "account", "chair", "co_chair"]
    list_select_related = ["process", "chair", "co_chair"]
    ordering = ["process__short_name", "position"]


@admin.register(m.Phase)
class PhaseAdmin(RegistryAdmin):
    list_display = ["name", "process", "period_display"]
    search_fields = ["name", "process__short_name"]
    autocomplete_fields = ["process"]
    list_select_related = ["process"]
    ordering = ["process__short_name", "position"]


@admin.register(m.Region)
class RegionAdmin(RegistryAdmin):
    list_display = ["name", "source", "position"]
    list_filter = ["source"]
    search_fields = ["name"]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    ordering = ["source__as_of", "position"]
