"""The registry's change counter: one row whose number goes up with every write to a registry
table, so that cached pages and API answers know when they are stale (see registry/serving/cache.py)."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import NamedTuple

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["NAMED_MODELS", "ProcessVersion", "RegistryVersion", "Version"]

# The records whose names (and short names, aliases, codes, years of establishment) the names'
# order (local_names) and the reconciliation index are built from.
NAMED_MODELS = frozenset(
    {
        "registry.process",
        "registry.processalias",
        "registry.processaccount",
        "registry.participant",
        "registry.participantalias",
    }
)


class Version(NamedTuple):
    key: str  # "token:number": every write changes it
    changed_at: object  # the last write's time
    names_key: str  # "token:names number": only writes to NAMED_MODELS (and bulk writes) change it
    shared_key: str  # "token:shared number": writes that belong to no one process (and bulk writes)


# Inside RegistryVersion.one_bump(): the writes' bumps wait for the one at the end.
_deferred: ContextVar[bool] = ContextVar("registry_version_deferred", default=False)


class RegistryVersion(models.Model):
    """A single row (pk 1). Bumped inside the writing transaction, so the new number and the new
    data become visible together; readers never see a new number with old data."""

    # Random for each database (and again after a flush), so that caches shared by databases
    # with the same change count (a test database, a benchmark copy) never mix their answers.
    token = models.UUIDField(_("token"), default=uuid.uuid4, editable=False)
    number = models.PositiveBigIntegerField(_("number"), default=0)
    # Goes up only with writes that can change a name (NAMED_MODELS) and with bulk writes: the
    # names' order and the reconciliation index are rebuilt after those, not after every write.
    names_number = models.PositiveBigIntegerField(_("names number"), default=0)
    # Goes up with writes that belong to no one process (a participant, a source, a citation, a
    # succession between two processes) and with bulk writes; a write to one process's facts moves
    # that process's ProcessVersion instead, so that another process's page is kept.
    shared_number = models.PositiveBigIntegerField(_("shared number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("registry version")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="registry_version_single_row")]

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def current(cls) -> "Version":
        """("token:number", changed_at, "token:names number", "token:shared number"); ("", None,
        "", "") before the first write (e.g. after a flush)."""
        return cls._read()[0]

    @classmethod
    def _read(cls, process_slug: str | None = None) -> tuple["Version", str | None]:
        """current(), and with a slug the number of the process at that address (ProcessVersion.of_page),
        from the database in one primary-key query: every host and worker sees a write as soon as it
        is committed (docs/deployment.md, "Caching"), and a cached process page costs one round trip."""
        # Plain SQL: this runs on every request, cached or not, and the ORM would triple its cost.
        columns, params = "token, number, changed_at, names_number, shared_number", []
        if process_slug is not None:  # NULL when no process has the address
            columns, params = f"{columns}, ({ProcessVersion.NUMBER_AT_ADDRESS})", [process_slug]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {cls._meta.db_table} WHERE id = 1", params)
            row = cursor.fetchone()
        if row is None:
            return Version("", None, "", ""), None
        token, number, changed_at, names_number, shared_number, *process = row
        if isinstance(changed_at, str):  # SQLite returns text
            changed_at = datetime.fromisoformat(changed_at)
        if timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, UTC)
        version = Version(
            f"{token}:{number}", changed_at, f"{token}:{names_number}", f"{token}:{shared_number}"
        )
        if not process:
            return version, None
        (process_number,) = process
        return version, ("-" if process_number is None else str(process_number))

    @classmethod
    def of_request(cls, request) -> "Version":
        """current(), read once per request: the response cache and the names in a language key on
        the same version."""
        if not hasattr(request, "_registry_version"):
            request._registry_version = cls.current()
        return request._registry_version

    @classmethod
    def of_request_and_page(cls, request, slug: str) -> tuple["Version", str]:
        """of_request() and ProcessVersion.of_page(slug), in one query when the request has not
        read the version yet."""
        if hasattr(request, "_registry_version"):
            return request._registry_version, ProcessVersion.of_page(slug)
        request._registry_version, number = cls._read(slug)
        return request._registry_version, (ProcessVersion.of_page(slug) if number is None else number)

    @classmethod
    @contextmanager
    def one_bump(cls):
        """A change made of many writes (an account recorded as a whole) counts as one: caches
        are refreshed once, after it, not after each row. Use inside the writing transaction."""
        if _deferred.get():  # already inside one
            yield
            return
        token = _deferred.set(True)
        try:
            yield
        finally:
            _deferred.reset(token)
        cls.bump()  # only when the block succeeded: an exception skips this line

    @classmethod
    def lock(cls):
        """Hold the row until the transaction ends: writers that number their changes after this
        number them in commit order (see models/changes.py). On SQLite the write itself takes the
        database's one write lock."""
        if not cls.objects.filter(pk=1).update(number=F("number")):
            cls.objects.get_or_create(pk=1)
            cls.objects.filter(pk=1).update(number=F("number"))

    @classmethod
    def bump(cls, names: bool = True, process_id: int | None = None):
        """One more change. `names` is False for a write that cannot change any record's names (a
        model outside NAMED_MODELS): what is built from the names alone is then kept. `process_id`
        is the one process a write belongs to (its facts): only that process's version moves, not
        the shared number. Without it (bulk writes, anything else) the shared number moves."""
        if _deferred.get():
            return
        cls._move_numbers(names, process_id)

    @classmethod
    def _move_numbers(cls, names: bool, process_id: int | None):
        now = timezone.now()
        changes = {"number": F("number") + 1, "changed_at": now}
        if names:
            changes["names_number"] = F("names_number") + 1
        if process_id is None:
            changes["shared_number"] = F("shared_number") + 1
        else:
            ProcessVersion.bump(process_id)
        if cls.objects.filter(pk=1).update(**changes):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=1, number=1, changed_at=now, names_number=1, shared_number=1)
        except IntegrityError:  # created meanwhile by another writer
            cls.objects.filter(pk=1).update(**changes)


class ProcessVersion(models.Model):
    """A process's own change counter: every write to its facts moves it (RegistryVersion.bump
    with process_id). Its page is cached under it, the shared number and the names number, so a
    write to another process's facts leaves the page cached. Not a foreign key: a deleted
    process's number may stay, unread."""

    process_id = models.PositiveBigIntegerField(_("process id"), primary_key=True)
    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("process version")

    def __str__(self):
        return f"{self.process_id}: {self.number}"

    @classmethod
    def bump(cls, process_id: int):
        if cls.objects.filter(pk=process_id).update(number=F("number") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(process_id=process_id, number=1)
        except IntegrityError:  # created meanwhile by another writer
            cls.objects.filter(pk=process_id).update(number=F("number") + 1)

    @classmethod
    def numbers(cls) -> dict[int, int]:
        """{process id: number} of every process written since the counters began (one query; a
        process absent has number 0)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT process_id, number FROM {cls._meta.db_table}")
            return dict(cursor.fetchall())

    # The number of the process at an address (%s: its slug); no row when no process has it.
    NUMBER_AT_ADDRESS = (
        "SELECT COALESCE(v.number, 0) FROM registry_process p LEFT JOIN registry_processversion v "
        "ON v.process_id = p.id WHERE p.slug = %s"
    )

    @classmethod
    def of_page(cls, slug: str) -> str:
        """The number of the process at this address ("0" before its first write; "-" when no
        process has it), in one query."""
        with connection.cursor() as cursor:
            cursor.execute(cls.NUMBER_AT_ADDRESS, [slug])
            row = cursor.fetchone()
        return "-" if row is None else str(row[0])
