"""What moves the registry's counters (models/version.py): a signal handler on every write to a
registry table, so that the cached answers keyed on them (registry/serving/cache.py) are never stale.

Every write moves the registry's number; a write that can change a name (NAMED_MODELS) the names
number; a write to one process's facts that process's number (ProcessVersion), any other the
shared number."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from ..models import NAMED_MODELS, ProcessVersion, RegistryVersion
from ..models.changes import process_of

# Records that show on other processes' pages too (a process's own row: its name, kind and status
# where others name it; a succession: on both processes' pages): their writes move the shared
# number, as every write to a record outside any one process does.
SHARED_RECORDS = frozenset(
    {"registry.process", "registry.historicalprocess", "registry.succession", "registry.historicalsuccession"}
)
# The webhooks' outbox, the worker's heartbeat and the API's rate counts: shown in no cached
# answer, written all the time.
OPERATIONAL = frozenset({"registry.delivery", "registry.workerheartbeat", "registry.ratecount"})
# Citations belong to their fact's process (or are shared, with a shared record's fact).
CITATIONS = frozenset({"registry.citation", "registry.historicalcitation"})


def record_change(sender, instance=None, **kwargs):
    """Bump the counters for a write: the names number when it can change a name, and the
    process's own number when the record belongs to one process (its facts), else the shared one.
    A many-to-many change is the record's whose relation changed (`instance`)."""
    label = (instance._meta if instance is not None else sender._meta).label_lower
    process_id = None
    if label in CITATIONS:
        process_id = _process_of_citation(instance)
    elif instance is not None and label not in SHARED_RECORDS:
        process_id = process_of(instance)
    moved_from = instance.__dict__.pop("_process_before_save", None) if instance is not None else None
    if process_id is not None and moved_from not in (None, process_id):
        ProcessVersion.bump(moved_from)  # a fact moved to another process: gone from this one's page
    RegistryVersion.bump(names=sender._meta.label_lower in NAMED_MODELS, process_id=process_id)


def _process_of_citation(citation) -> int | None:
    """A citation belongs to the process its fact belongs to (one query for the fact; for a fact
    deleted with its citations, which goes first, its last history row); a fact of a shared
    record, or one whose process is unknown, makes it shared."""
    model = ContentType.objects.get_for_id(citation.content_type_id).model_class()
    if model is None or model._meta.label_lower in SHARED_RECORDS:
        return None
    fact = model._base_manager.filter(pk=citation.object_id).first()
    history = getattr(model, "history", None)
    if fact is None and history is not None:
        fact = history.filter(id=citation.object_id).order_by("-history_id").first()
    if fact is None:
        return None
    return process_of(fact)


def remember_process(sender, instance, raw=False, **kwargs):
    """Before an update of a process's fact: the process it belonged to (record_change bumps that
    one too when the update moves the fact)."""
    if instance.pk is not None and not raw and not instance._state.adding:
        instance._process_before_save = (
            sender._base_manager.filter(pk=instance.pk).values_list("process_id", flat=True).first()
        )


def connect_signals(app_config):
    """Bump the counter on every save, delete or many-to-many change of the app's models (their
    history tables included). Bulk writes that send no signal (the seeding, the synthetic data)
    call RegistryVersion.bump() themselves."""
    for model in app_config.get_models():
        if model in (RegistryVersion, ProcessVersion) or model._meta.label_lower in OPERATIONAL:
            continue
        uid = f"registry-version-{model._meta.label_lower}"
        post_save.connect(record_change, sender=model, weak=False, dispatch_uid=uid)
        if _belongs_to_a_process(model):
            pre_save.connect(remember_process, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(record_change, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                record_change, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )


def _belongs_to_a_process(model) -> bool:
    if model._meta.label_lower in SHARED_RECORDS or model._meta.model_name.startswith("historical"):
        return False
    return any(field.name == "process" and field.is_relation for field in model._meta.concrete_fields)
