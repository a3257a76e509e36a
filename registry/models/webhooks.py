"""Webhooks: subscribers told of the registry's changes (the change feed, models/changes.py).

A subscription follows the feed with a cursor of its own; the worker (`manage.py
deliver_webhooks`) turns the changes after it into deliveries — the outbox, durable in the
database — and posts them in order, signed. Writes never wait on a subscriber: nothing happens in
the writing transaction (the Change row it writes anyway is the whole cost)."""

import ipaddress
import os
import re
import secrets
import socket
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .changes import CHANGE_RESOURCES, Change

__all__ = [
    "Delivery",
    "DeliveryStatus",
    "Subscription",
    "WorkerHeartbeat",
    "check_webhook_address",
    "mask_credentials",
    "webhook_address_allowed",
]

_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.IGNORECASE)


def mask_credentials(text: str) -> str:
    """An address (or a message quoting one) with its user and password masked:
    "https://user:pw@example.org/hook" -> "https://***@example.org/hook"."""
    return _CREDENTIALS.sub(r"\g<scheme>***@", text or "")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def check_webhook_address(url: str):
    """Only http(s), and no loopback, private, link-local or reserved address (a subscription
    must not reach the registry's own network) unless WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on.
    Checked when saved and again before each delivery (the name may resolve elsewhere later)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Give an http:// or https:// address."))
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (socket.gaierror, UnicodeError):
        raise ValidationError(_("The host %(host)s cannot be resolved.") % {"host": parts.hostname}) from None
    for address in addresses:
        if not webhook_address_allowed(address):
            raise ValidationError(
                _("%(host)s is a private, loopback or reserved address (%(ip)s): not allowed.")
                % {"host": parts.hostname, "ip": address}
            )


def webhook_address_allowed(address: str) -> bool:
    """Whether a delivery may go to this IP address: a global one, or any when
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on."""
    return settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES or ipaddress.ip_address(address.split("%")[0]).is_global


class Subscription(models.Model):
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("Where each change is POSTed (http or https).")
    )
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_("Shared with the subscriber: it signs every delivery (HMAC-SHA256)."),
    )
    resources = models.JSONField(
        _("resources"),
        default=list,
        blank=True,
        help_text=_('Only changes to these (e.g. ["participations", "processes"]); empty: all.'),
    )
    processes = models.ManyToManyField(
        "registry.Process",
        blank=True,
        related_name="+",
        verbose_name=_("processes"),
        help_text=_("Only changes to these processes and their facts; none: all."),
    )
    active = models.BooleanField(_("active"), default=True)
    after = models.PositiveBigIntegerField(
        _("followed up to"), default=0, help_text=_("The last change sequence turned into deliveries.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # Until when one delivery worker holds this queue (registry/webhooks.py: claim): with several
    # workers, on one host or several, each change is sent by one of them, in order.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self._state.adding and not self.after:
            # A new subscription hears of the changes from now on, not of the whole past.
            last = Change.objects.order_by("-sequence").values_list("sequence", flat=True).first()
            self.after = last or 0
        super().save(*args, **kwargs)

    @property
    def masked_url(self) -> str:
        return mask_credentials(self.url)

    def rotate_secret(self):
        self.secret = new_secret()
        self.save(update_fields=["secret"])

    def clean(self):
        super().clean()
        if self.url:
            try:
                check_webhook_address(self.url)
            except ValidationError as error:
                raise ValidationError({"url": error.messages}) from None
        unknown = [r for r in self.resources or [] if r not in CHANGE_RESOURCES]
        if not isinstance(self.resources, list) or unknown:
            raise ValidationError(
                {"resources": _("A list of: %(known)s.") % {"known": ", ".join(CHANGE_RESOURCES)}}
            )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    """One change to one subscriber: the outbox row, then its log."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    change = models.ForeignKey(
        "registry.Change", on_delete=models.CASCADE, related_name="+", verbose_name=_("change")
    )
    status = models.CharField(
        _("status"), max_length=9, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    delivered = models.DateTimeField(_("delivered"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["subscription", "change"]
        indexes = [models.Index(fields=["subscription", "status", "change"], name="delivery_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "change"], name="delivery_once_per_change"),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.subscription} #{self.change_id} ({self.status})"


class WorkerHeartbeat(models.Model):
    """The webhook worker's sign of life: one row per running worker, its `beat` renewed at every
    pass. /healthz and the admin's delivery list tell a worker that stopped beating."""

    STALE_AFTER = timedelta(seconds=60)

    host = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(_("process id"))
    started = models.DateTimeField(_("started"), default=timezone.now)
    beat = models.DateTimeField(_("last heartbeat"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["host", "pid"], name="heartbeat_once_per_worker")]
        verbose_name = _("webhook worker")
        verbose_name_plural = _("webhook workers")

    def __str__(self):
        return f"{self.host}:{self.pid}"

    @classmethod
    def start(cls) -> "WorkerHeartbeat":
        """This process's row (rows of workers silent for a day are removed)."""
        cls.objects.filter(beat__lt=timezone.now() - timedelta(days=1)).delete()
        worker, _created = cls.objects.update_or_create(
            host=socket.gethostname()[:200], pid=os.getpid(), defaults={"started": timezone.now()}
        )
        return worker

    def renew(self):
        self.beat = timezone.now()
        type(self).objects.filter(pk=self.pk).update(beat=self.beat)

    @classmethod
    def status(cls, now=None) -> dict:
        """{"worker": "running" | "stopped" | "not started", "last_heartbeat", "active_subscriptions"}."""
        now = now or timezone.now()
        newest = cls.objects.order_by("-beat").values_list("beat", flat=True).first()
        if newest is None:
            state = "not started"
        else:
            state = "running" if now - newest <= cls.STALE_AFTER else "stopped"
        return {
            "worker": state,
            "last_heartbeat": newest.isoformat() if newest else None,
            "active_subscriptions": Subscription.objects.filter(active=True).count(),
        }
