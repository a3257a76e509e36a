"""Webhook subscriptions, kept by staff, and the delivery log with "deliver again"."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import models as m
from .. import webhooks


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    resources = forms.MultipleChoiceField(
        label=_("resources"),
        choices=[(name, name) for name in m.CHANGE_RESOURCES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only changes to these; none: all."),
    )

    class Meta:
        model = m.Subscription
        fields = ["name", "url", "secret", "active", "resources", "processes"]


@admin.register(m.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "active", "after"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["processes"]
    readonly_fields = ["after", "created"]


@admin.register(m.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "subscription",
        "change",
        "status",
        "attempts",
        "response_code",
        "response_ms",
        "next_attempt",
        "last_error",
    ]
    list_filter = ["status", "subscription"]
    list_select_related = ["subscription", "change"]
    ordering = ["-change_id"]
    actions = ["deliver_again"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deliver again"), permissions=["view"])
    def deliver_again(self, request, queryset):
        count = webhooks.deliver_again(queryset)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
