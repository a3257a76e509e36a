"""The change feed in the admin: every recorded change, read-only (what changed is on each
record's History page)."""

from django.contrib import admin

from .. import models as m


@admin.register(m.Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["sequence", "time", "action", "resource", "key", "reason", "user"]
    list_filter = ["action", "resource"]
    search_fields = ["key", "reason"]
    list_select_related = ["user"]
    ordering = ["-sequence"]
    list_per_page = 100
    show_full_result_count = False  # counting a long feed on every page is not needed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
