"""The registry's own notes in French and Spanish (`manage.py translations` lists the notes the
records hold that have no translation yet)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import models as m


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing a language")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("fr", _("French")), ("es", _("Spanish"))]

    def queryset(self, request, queryset):
        field = {"fr": "french", "es": "spanish"}.get(self.value())
        return queryset.filter(**{field: ""}) if field else queryset


@admin.register(m.NoteTranslation)
class NoteTranslationAdmin(admin.ModelAdmin):
    list_display = ["english", "french", "spanish"]
    list_filter = [MissingLanguageFilter]
    search_fields = ["english", "french", "spanish"]
    list_per_page = 100
