"""Webhook subscriptions, kept by staff, and the delivery log with "deliver again".

A subscription's secret signs its deliveries: whoever holds it can forge one. It is shown once, to
the curator who makes the subscription (or rotates its secret), and never again, to anyone; the
addresses' user names and passwords are masked wherever a list or a viewer shows them."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
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
        fields = ["name", "url", "active", "resources", "processes"]


WORKER_STATES = {"running": _("running"), "stopped": _("stopped"), "not started": _("not started")}


def _show_secret_once(request, subscription):
    messages.warning(
        request,
        format_html(
            _("The secret of “{}” is <code>{}</code>. Copy it to the subscriber now: it is not shown again."),
            subscription.name,
            subscription.secret,
        ),
    )


@admin.register(m.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "address", "active", "after"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["processes"]
    readonly_fields = ["after", "created"]
    actions = ["rotate_secret"]

    @admin.display(description=_("URL"), ordering="url")
    def address(self, obj):
        return obj.masked_url

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return ["address" if name == "url" else name for name in fields]  # a viewer: masked
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [*readonly, "address"]
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret_once(request, obj)

    @admin.action(description=_("Rotate the secret (the new one is shown once)"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            subscription.rotate_secret()
            _show_secret_once(request, subscription)


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
        "error",
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

    @admin.display(description=_("last error"))
    def error(self, obj):
        return m.mask_credentials(obj.last_error)

    def get_fields(self, request, obj=None):
        return ["error" if name == "last_error" else name for name in super().get_fields(request, obj)]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "error"]

    def changelist_view(self, request, extra_context=None):
        """Says so when the worker that sends the deliveries stopped (or never started)."""
        status = m.WorkerHeartbeat.status()
        if status["worker"] != "running" and status["active_subscriptions"]:
            since = status["last_heartbeat"] or _("never")
            messages.warning(
                request,
                _(
                    "The webhook worker is %(state)s (last heartbeat: %(since)s): deliveries wait until "
                    "manage.py deliver_webhooks runs (make run and make serve-prod start it)."
                )
                % {"state": WORKER_STATES[status["worker"]], "since": since},
            )
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Deliver again"), permissions=["view"])
    def deliver_again(self, request, queryset):
        count = webhooks.deliver_again(queryset)
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(m.WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["host", "pid", "started", "beat"]
    ordering = ["-beat"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
