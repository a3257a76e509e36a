"""The change feed: every recorded change to a registry record (created, updated, deleted — in the
admin, the API, an import, the seed or an account applied), one row each, numbered in commit
order. The history tables (django-simple-history) keep what changed; a Change points to its
history row and says which record, which process it belongs to, when, why and by whom.

Commit order: a Change is inserted only after the registry-version row is locked
(RegistryVersion.lock), and that lock is held until the transaction ends, so a transaction that
commits later numbers its changes after those of every transaction committed before it. A
consumer that reads `sequence > N` never misses a change committed later with a smaller number."""

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.signals import post_create_historical_record

from .version import RegistryVersion

__all__ = [
    "CHANGE_RESOURCES",
    "Change",
    "ChangeAction",
    "bulk_create_recorded",
    "connect_change_feed",
    "record_history",
]


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")


ACTION_OF_HISTORY_TYPE = {"+": ChangeAction.CREATED, "~": ChangeAction.UPDATED, "-": ChangeAction.DELETED}


class ChangeQuerySet(models.QuerySet):
    def of_process(self, process):
        """The process's own changes and its facts' (participations, names, accounts, ...)."""
        return self.filter(process_id=process.pk)

    def of_participant(self, participant):
        """The participant's own changes, its names' and its participations' (also deleted ones)."""
        participations = apps.get_model("registry", "Participation").history.filter(
            participant_id=participant.pk
        )
        aliases = apps.get_model("registry", "ParticipantAlias").history.filter(participant_id=participant.pk)
        return self.filter(
            models.Q(model="registry.participant", object_id=participant.pk)
            | models.Q(model="registry.participation", object_id__in=participations.values("id"))
            | models.Q(model="registry.participantalias", object_id__in=aliases.values("id"))
        )


class Change(models.Model):
    sequence = models.BigAutoField(_("sequence"), primary_key=True)
    time = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=7, choices=ChangeAction.choices)
    model = models.CharField(_("model"), max_length=60, help_text=_("app_label.model_name"))
    resource = models.CharField(_("resource"), max_length=30, help_text=_("The API's name for the records."))
    object_id = models.PositiveBigIntegerField(_("object id"))
    key = models.CharField(
        _("key"), max_length=200, help_text=_("How the API addresses it (slug, symbol or id).")
    )
    process_id = models.PositiveBigIntegerField(_("process id"), null=True, blank=True)
    history_id = models.PositiveBigIntegerField(_("history row"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ChangeQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="change_object_idx"),
            models.Index(fields=["process_id", "sequence"], name="change_process_idx"),
            models.Index(fields=["resource", "sequence"], name="change_resource_idx"),
            models.Index(fields=["time"], name="change_time_idx"),
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.model} {self.object_id}"


# The API's resource names; the other records by a name of their own (they have no endpoint).
RESOURCES = {
    "process": "processes",
    "participation": "participations",
    "iomrole": "iom-roles",
    "iomoffice": "iom-offices",
    "event": "events",
    "region": "regions",
    "sourcedocument": "sources",
    "processalias": "process-aliases",
    "participantalias": "participant-aliases",
    "iomofficealias": "iom-office-aliases",
    "processaccount": "accounts",
    "statedtotal": "stated-totals",
    "priority": "priorities",
    "workinggroup": "working-groups",
    "phase": "phases",
    "statusperiod": "status-periods",
    "succession": "successions",
    "citation": "citations",
    "regionalgrouping": "regional-groupings",
}
# The API's detail view of each resource that has an endpoint (reversed by name: the models do
# not import the API).
DETAIL_VIEWS = {
    "processes": "api:process-detail",
    "states": "api:state-detail",
    "organizations": "api:organization-detail",
    "participations": "api:participation-detail",
    "iom-roles": "api:iomrole-detail",
    "iom-offices": "api:iomoffice-detail",
    "events": "api:event-detail",
    "regions": "api:region-detail",
    "sources": "api:sourcedocument-detail",
}


# Every resource name a change can carry (the feed's ?resource= filter).
CHANGE_RESOURCES = sorted({*RESOURCES.values(), "states", "organizations"})


def resource_of(model_name: str, record) -> str:
    if model_name == "participant":
        return "organizations" if record.kind == "organization" else "states"
    return RESOURCES.get(model_name, model_name)


def key_of(record) -> str:
    """The key in the API's URL: a source's symbol or slug, a slug, or the id."""
    for name in ("symbol", "slug"):
        value = getattr(record, name, "")
        if value:
            return value
    return str(record.id)


def process_of(record) -> int | None:
    """The process a record is, or belongs to (its facts, names, accounts, statuses)."""
    if record._meta.model_name in ("process", "historicalprocess"):
        return record.id
    for name in ("process_id", "predecessor_id"):
        value = getattr(record, name, None)
        if value is not None:
            return value
    return None


def record_history(history_records, model=None):
    """Changes for history rows just written (one query, after the lock): what the signal does for
    one row, the bulk writers (the seed, an import, an account applied) call for many."""
    history_records = [record for record in history_records if record is not None]
    if not history_records:
        return []
    RegistryVersion.lock()
    model = model or history_records[0].instance_type
    label, name = model._meta.label_lower, model._meta.model_name
    changes = [
        Change(
            time=record.history_date,
            action=ACTION_OF_HISTORY_TYPE[record.history_type],
            model=label,
            resource=resource_of(name, record),
            object_id=record.id,
            key=key_of(record)[:200],
            process_id=process_of(record),
            history_id=record.history_id,
            reason=(record.history_change_reason or "")[:100],
            user_id=record.history_user_id,
        )
        for record in history_records
    ]
    return Change.objects.bulk_create(changes, batch_size=1000)


def bulk_create_recorded(objects, model, reason="", user=None, batch_size=1000):
    """Many records created at once (an import, an account applied) with their history rows and
    their changes in the feed: what saving them one by one would write, in a few queries."""
    objects = model._base_manager.bulk_create(objects, batch_size=batch_size)
    records = model.history.bulk_history_create(
        objects, batch_size=batch_size, default_change_reason=reason, default_user=user
    )
    record_history(records, model)
    return objects


def _record_one(sender, history_instance, **kwargs):
    if history_instance.instance_type._meta.app_label != "registry":
        return
    with transaction.atomic():  # the lock and the row together, also outside a transaction
        record_history([history_instance])


def connect_change_feed():
    """Every history row written one at a time (the admin, the API, a delete) becomes a Change."""
    post_create_historical_record.connect(_record_one, weak=False, dispatch_uid="registry-change-feed")
