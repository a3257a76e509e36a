"""The registry's version as this host's writers published it: a cached answer then costs no query.

Each request needs the registry's version (models/version.py) to find its cached answer. Read
from the database it costs a round trip on every request (0.24 ms on PostgreSQL, a third of a
cache hit). With a stamp folder (settings.VERSION_STAMP_DIR), each writing transaction publishes
the new version there after its commit, and a request reads the folder (a directory listing and a
symbolic link: microseconds) instead of the database, whenever the stamp can be trusted:

- From its first write until it has published (after its commit), a transaction leaves a mark in
  the folder; while there is a mark, requests read the database. So between a commit and its
  publication nobody is answered from the stamp it makes stale.
- A publisher reads the version from the database after the commit, holding the folder's lock:
  publications follow the commits' order and never go back.
- A mark whose process has ended (it may have committed, then died before publishing) makes the
  next request that reads the database publish in its place and remove the mark; a mark left by a
  rolled-back transaction is removed when the request or command ends (`finish`).
- A stamp is trusted for TRUSTED_SECONDS after it was read from the database, then read again:
  that bounds what a write the folder never hears of can cost (a writer on another host, with
  other settings, or outside Django).
- Inside a transaction, which may hold the request's own writes, the database is read.

The folder belongs to one database (its name is derived from the connection's settings): several
databases served on one host never share a stamp. With several hosts writing one database, turn it
off (VERSION_STAMP_DIR empty; the default with REDIS_URL): every request then reads the database.
This module knows nothing of what the version holds: models/version.py gives it `read_state`.
"""

import fcntl
import hashlib
import logging
import os
import pickle
import time
import uuid
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

TRUSTED_SECONDS = 1.0  # a stamp older than this is read again from the database
MARK_SECONDS = 600.0  # a mark older than this is taken for a crashed writer's, whatever its pid
KEPT_STATES = 3  # the current state file and the previous ones a slow reader may still open

_loaded: tuple[str, object] | None = None  # (state file's name, (read_at, payload) or None) last loaded here


def _connection():
    return connections[DEFAULT_DB_ALIAS]


def folder() -> Path | None:
    """This database's stamp folder, or None when the stamp is off."""
    base = settings.VERSION_STAMP_DIR
    if not base:
        return None
    config = _connection().settings_dict
    return _folder(base, *(str(config.get(part) or "") for part in ("ENGINE", "HOST", "PORT", "NAME")))


@lru_cache(maxsize=16)
def _folder(base: str, *database: str) -> Path:
    return Path(base) / hashlib.sha256("|".join(database).encode()).hexdigest()[:16]


def _usable() -> Path | None:
    """The folder, when the stamp may be read or published here: not inside a transaction."""
    if _connection().in_atomic_block:
        return None
    return folder()


def read():
    """The payload last published, when it can be trusted; else None (read the database)."""
    global _loaded
    where = _usable()
    if where is None:
        return None
    marks, current = _hot_paths(where)
    try:
        if os.listdir(marks):  # a write in flight, or a writer to stand in for
            return None
        name = os.readlink(current)
    except OSError:  # no folder or no stamp yet
        return None
    loaded = _loaded
    if loaded is None or loaded[0] != name:
        loaded = _loaded = (name, _load(where, name))
    if loaded[1] is None:
        return None
    read_at, payload = loaded[1]
    if abs(time.time() - read_at) > TRUSTED_SECONDS:
        return None
    return payload


@lru_cache(maxsize=16)
def _hot_paths(where: Path) -> tuple[str, str]:
    """The marks folder and the current state's link, as strings: read on every request."""
    return str(where / "marks"), str(where / "current")


def refresh(read_state) -> None:
    """After a request read the database: publish read_state() when the stamp is missing or old,
    or stand in for writers that ended without publishing. Never waits: if another process is
    publishing, or a write is in flight, it leaves it to them."""
    where = _usable()
    if where is None:
        return
    try:
        with _locked(where, wait=False) as locked:
            if not locked:
                return
            ended = _ended_marks(where)
            if ended is None:  # a live writer will publish
                return
            current = _current(where)
            if not ended and current is not None and abs(time.time() - current[1][0]) <= TRUSTED_SECONDS:
                return  # published meanwhile
            _publish(where, read_state)
            for mark in ended:
                mark.unlink(missing_ok=True)
    except OSError as error:
        logger.warning("Could not refresh the version stamp in %s: %s", where, error)


def mark_write() -> None:
    """Called by each write to the counters, inside its transaction: leave a mark until the
    commit is published (`publish_after_commit`, registered by the caller with on_commit)."""
    where = folder()
    if where is None:
        return
    connection = _connection()
    held = getattr(connection, "_version_stamp_mark", None)
    if held is not None and held.parent.parent == where and held.exists():
        return  # marked by an earlier write of this transaction (or of one rolled back before it)
    mark = where / "marks" / f"{os.getpid()}-{uuid.uuid4().hex}"
    try:
        _prepare(where)
        mark.touch()
    except OSError as error:
        logger.warning("Could not mark a write in the version stamp folder %s: %s", where, error)
        _forget(where)  # readers then go to the database until a request publishes again
        return
    connection._version_stamp_mark = mark


def publish_after_commit(read_state) -> None:
    """on_commit: publish the version read_state() reads now (after the commit), then remove this
    connection's mark. Also what `finish` does with a mark left by a transaction that ended without
    a commit: publishing then is harmless, and the mark must go."""
    connection = _connection()
    mark = getattr(connection, "_version_stamp_mark", None)
    if mark is None:
        return
    where = mark.parent.parent
    try:
        with _locked(where, wait=True):
            _publish(where, read_state)
    except Exception as error:  # the write is committed: never fail it for its stamp
        logger.warning("Could not publish the version stamp in %s: %s", where, error)
        _forget(where)
    finally:
        mark.unlink(missing_ok=True)
        connection._version_stamp_mark = None


def finish(read_state) -> None:
    """At the end of a request (or command): a mark left by a transaction that was rolled back, or
    whose commit was not published, is published over and removed."""
    connection = _connection()
    if getattr(connection, "_version_stamp_mark", None) is not None and not connection.in_atomic_block:
        publish_after_commit(read_state)


def drop_mark() -> None:
    """Remove the connection's mark without publishing: after a transaction that was rolled back
    where no request ends (a test's)."""
    connection = _connection()
    mark = getattr(connection, "_version_stamp_mark", None)
    if mark is not None:
        mark.unlink(missing_ok=True)
        connection._version_stamp_mark = None


def forget() -> None:
    """Drop the stamp (after a flush or a migration, which write without counting): the next
    request reads the database."""
    where = folder()
    if where is not None:
        _forget(where)


# The folder --------------------------------------------------------------------------------------


def _prepare(where: Path) -> None:
    (where / "marks").mkdir(parents=True, exist_ok=True, mode=0o700)


def _forget(where: Path) -> None:
    try:
        (where / "current").unlink(missing_ok=True)
    except OSError as error:
        logger.error("Could not remove the version stamp %s: %s", where / "current", error)


@contextmanager
def _locked(where: Path, wait: bool):
    _prepare(where)
    with open(where / "lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True  # closing the file releases the lock


def _current(where: Path):
    """(name, (read_at, payload)) of the published state, or None."""
    try:
        name = os.readlink(where / "current")
    except OSError:
        return None
    state = _load(where, name)
    return None if state is None else (name, state)


def _load(where: Path, name: str):
    """(read_at, payload) of a state file, or None."""
    try:
        return pickle.loads((where / name).read_bytes())
    except Exception:  # gone meanwhile, or written by an older release: read the database
        return None


def _publish(where: Path, read_state) -> None:
    """Under the lock: read the state now and make it the current one."""
    read_at = time.time()  # before the read: the stamp is never trusted past what was read
    payload = read_state()
    if payload is None:  # nothing to publish (no counters' row: the cache is off)
        _forget(where)
        return
    # Numbered after every state file still there, the current one or not (a dropped stamp's too),
    # so that the oldest are the ones removed.
    states = sorted(where.glob("state-*"), key=_generation)
    generation = _generation(states[-1]) + 1 if states else 1
    name = f"state-{generation}-{uuid.uuid4().hex[:8]}"  # never a name a reader has loaded before
    (where / name).write_bytes(pickle.dumps((read_at, payload), protocol=pickle.HIGHEST_PROTOCOL))
    link = where / f"current-{uuid.uuid4().hex[:8]}"
    os.symlink(name, link)
    os.replace(link, where / "current")
    for old in states[: max(len(states) + 1 - KEPT_STATES, 0)]:
        old.unlink(missing_ok=True)


def _generation(state: Path) -> int:
    return int(state.name.split("-")[1])


def _ended_marks(where: Path) -> list[Path] | None:
    """The marks of writers that ended without publishing; None when a live writer's is there."""
    ended = []
    now = time.time()
    for mark in (where / "marks").iterdir():
        try:
            pid = int(mark.name.split("-")[0])
            age = now - mark.stat().st_mtime
        except (ValueError, OSError):
            ended.append(mark)
            continue
        if age > MARK_SECONDS or not _alive(pid):
            ended.append(mark)
        else:
            return None
    return ended


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
