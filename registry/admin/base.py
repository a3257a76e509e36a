"""Shared admin behaviour: forms with partial dates and change reasons, autocomplete widgets that
do not query per row, the citations inline, and a reason propagated to inline changes."""

import copy

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import JSON
from simple_history.admin import SimpleHistoryAdmin

from .. import models as m
from ..forms import (
    CitingModelForm,
    FastSelect,
    PreloadedAutocompleteSelect,
    PreloadedAutocompleteSelectMultiple,
    RegistryModelForm,
    preload_submitted_choices,
)
from ..resources import SafeCSV


class PreloadedAutocompleteMixin:
    """Autocomplete fields whose selected options render from objects the queryset already loaded."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Narrow widgets for the wide tabular inlines (a curator reads a whole row at once).
COMPACT_TEXT = {
    models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2, "cols": 28})},
    models.CharField: {"widget": admin.widgets.AdminTextInputWidget(attrs={"size": 24})},
}


class PreloadingFormSetMixin:
    """Shown again after an error, the rows' chosen autocomplete options are read at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preload_submitted_choices(self.forms)


class CitationInline(PreloadedAutocompleteMixin, GenericTabularInline):
    model = m.Citation
    form = RegistryModelForm
    extra = 0
    fields = ["source", "locator", "quote"]
    autocomplete_fields = ["source"]
    verbose_name_plural = _("citations (where the fact comes from)")
    formfield_overrides = COMPACT_TEXT
    view_on_site = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (PreloadingFormSetMixin, formset), {})


def source_popup_widget(widget, admin_site, request):
    """A source select with the admin's "+" (for those who may add sources): see below."""
    return RelatedFieldWidgetWrapper(
        widget,
        m.Citation._meta.get_field("source").remote_field,
        admin_site,
        can_add_related=request.user.has_perm("registry.add_sourcedocument"),
        can_change_related=False,
        can_delete_related=False,
        can_view_related=False,
    )


def with_source_popup(form_class, admin_site, request):
    """The form with a "+" beside its citation's source: a new source is added in a popup and
    offered at once in every source select of the page, so the page is never left half-filled."""
    if not issubclass(form_class, CitingModelForm):
        return form_class
    field = form_class.base_fields["cite_source"]
    if isinstance(field.widget, RelatedFieldWidgetWrapper):
        return form_class
    field = copy.deepcopy(field)
    field.widget = source_popup_widget(field.widget, admin_site, request)
    return type(form_class.__name__, (form_class,), {"cite_source": field})  # a declared field


class RegistryInline(PreloadedAutocompleteMixin, admin.TabularInline):
    form = RegistryModelForm
    extra = 0
    show_change_link = True
    view_on_site = False
    formfield_overrides = COMPACT_TEXT

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset = type(formset.__name__, (PreloadingFormSetMixin, formset), {})
        if issubclass(formset.form, CitingModelForm):
            # One query for the source choices of every row.
            choices = [("", "---------"), *((s.pk, str(s)) for s in m.SourceDocument.objects.all())]
            form = with_source_popup(formset.form, self.admin_site, request)
            formset.form = type(form.__name__, (form,), {"source_choices": choices})
        return formset


def citations_html(obj) -> str:
    """The citations of a fact as "SYMBOL, locator" lines (prefetch citations__source)."""
    return (
        format_html_join("", "<div>{}, {}</div>", ((c.source.label, c.locator) for c in obj.citations.all()))
        or "—"
    )


class ParticipationInlineBase(RegistryInline):
    """Participations with their citations; a new row can cite its source straight away. The
    process page shows the participant column, the participant page the process column."""

    model = m.Participation
    form = CitingModelForm
    columns = [
        "role",
        "start",
        "end",
        "suspended",
        "counted_in_total",
        "status_note",
        "account",
        "citations_list",
        "cite_source",
        "cite_locator",
    ]
    readonly_fields = ["account", "citations_list"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # No add/change/view icons beside each row's autocomplete: they cost a template per row,
        # and the participant's page is one click away from the row's change link.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.is_relation and hasattr(field.widget, "widget"):
            field.widget = field.widget.widget
        return field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("process", "participant", "account__process", "account__source")
            .prefetch_related("citations__source")
        )

    @admin.display(description=_("citations"))
    def citations_list(self, obj):
        return citations_html(obj) if obj.pk else "—"


class RegistryAdmin(PreloadedAutocompleteMixin, ImportExportMixin, SimpleHistoryAdmin):
    """Base of every registry model admin."""

    form = RegistryModelForm
    inlines = [CitationInline]
    list_per_page = 100
    view_on_site = False
    # Import and export are offered only where a resource is declared (see resources.py).
    resource_classes = []
    formats = [SafeCSV, JSON]

    def has_import_permission(self, request):
        return bool(self.resource_classes) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return bool(self.resource_classes) and super().has_export_permission(request)

    def get_fieldsets(self, request, obj=None):
        """A renamed record shows its former slugs under its slug (models/slugs.py)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not isinstance(obj, m.KeepsFormerSlugs):
            return fieldsets
        shown = []
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "slug" in fields:
                fields.insert(fields.index("slug") + 1, "former_slugs_shown")
            shown.append((name, {**options, "fields": fields}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and isinstance(obj, m.KeepsFormerSlugs):
            readonly.append("former_slugs_shown")
        return readonly

    @admin.display(description=_("former slugs"))
    def former_slugs_shown(self, obj):
        return ", ".join(obj.former_slugs) or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_source_popup(super().get_form(request, obj, change, **kwargs), self.admin_site, request)

    def save_related(self, request, form, formsets, change):
        # The reason typed on the page applies to the inline rows saved with it.
        self._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        reason = getattr(self, "_change_reason", "")
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            if reason:
                obj._change_reason = reason
            obj.delete()
        for obj in instances:
            if reason and not getattr(obj, "_change_reason", None):
                obj._change_reason = reason
            obj.save()
        formset.save_m2m()


__all__ = [
    "CitationInline",
    "ParticipationInlineBase",
    "CitingModelForm",
    "RegistryAdmin",
    "RegistryInline",
    "RegistryModelForm",
    "citations_html",
]
