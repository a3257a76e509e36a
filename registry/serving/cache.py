"""Cached pages and API answers, correct after every write.

Almost every page depends on much of the registry (counts, members as of a date, overlaps), so
instead of tracking what depends on what, one counter (RegistryVersion) goes up in the same
transaction as every write to a registry table (registry/serving/counters.py; finer counters for the names,
for each process and for the rest), and each cached answer is keyed by that counter,
today's date (the default as-of date), the language and the request (host, path and query). Each
request learns the counter first from the database (one primary-key query, committed with the
write), so a curator's change is seen on the very next request by every worker of every host,
whatever the cache backend; older entries are never read again and age out of the cache.

Pages are cached whole for visitors who are not signed in; API reads cache the serialized data
(JSON: the bytes), and authentication, permissions, throttling and content negotiation still run
on every request, except for clients without credentials, whose reads are answered whole before
Django REST Framework runs (registry/api/middleware.py: only the throttles run). RESPONSE_CACHE_SECONDS=0
turns caching off.

This module is where the registry caches anything that depends on its data: the answers (in the
"responses" cache backend), what is built once per registry version in each process (`versioned`:
the names in a language and their order, the reconciliation index, kept until a name changes),
what is kept per process (`process_sets`: each process's states as of a day, built again only for
the processes written) and what is built once per request (`per_request`).
Pure functions of their arguments (CLDR names, collation keys) are memoized with lru_cache where
they are defined: they can never be stale.
"""

import hashlib
import pickle
import threading
from collections import Counter, OrderedDict
from contextvars import ContextVar
from datetime import datetime, time
from functools import wraps
from itertools import chain

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from ..models import ProcessVersion, RegistryVersion

CACHE_ALIAS = "responses"
CACHE_HEADER = "X-Registry-Cache"  # hit or miss: for the benchmark, the tests and curious users


def enabled() -> bool:
    return settings.RESPONSE_CACHE_SECONDS > 0


def _version(request):
    """The registry's ("token:number", changed_at), read once per request."""
    return RegistryVersion.of_request(request)


# Per request -------------------------------------------------------------------------------------

_current_request: ContextVar = ContextVar("registry_request", default=None)


class CurrentRequestMiddleware:
    """Makes the request being answered known where it is not passed (the names in a language,
    read by template filters), so that they use the version the request already read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def per_request(request, key: tuple, build):
    """build() once per request (every time without a request)."""
    if request is None:
        return build()
    memo = request.__dict__.setdefault("_registry_memo", {})
    if key not in memo:
        memo[key] = build()
    return memo[key]


def per_current_request(key: tuple, build):
    """build() once per request being answered (where the request is not passed)."""
    return per_request(_current_request.get(), key, build)


def _inside_a_transaction() -> bool:
    """Whether the writes read may yet be rolled back: what is built then is not kept."""
    return transaction.get_connection().in_atomic_block


# Per registry version ----------------------------------------------------------------------------

_kept: dict[tuple, object] = {}  # (kind of version, version, *key) -> what build() made
_kept_lock = threading.Lock()


def versioned(key: tuple, build, names_only: bool = False, shared_only: bool = False):
    """build() once per registry version in this process, and once per request: the names book,
    the name orders. `names_only`: build() reads only NAMED_MODELS, so it is kept until one of
    them changes, not rebuilt after every write. `shared_only`: build() reads only records that
    belong to no one process (the sources), so it is kept until one of them or a name changes.
    Not kept when built inside a transaction, which may hold writes that are rolled back."""
    request = _current_request.get()

    def kept():
        current = _version(request) if request is not None else RegistryVersion.current()
        if names_only:
            kind, version = "names", current.names_key
        elif shared_only:
            kind, version = "shared", f"{current.shared_key}|{current.names_key}"
        else:
            kind, version = "all", current.key
        found = _kept.get((kind, version, *key)) if current.key else None
        if found is None:
            found = build()
            if current.key and not _inside_a_transaction():
                with _kept_lock:
                    # Only the current version of each kind is read.
                    for stale in [k for k in _kept if k[0] == kind and k[1] != version]:
                        del _kept[stale]
                    _kept[(kind, version, *key)] = found
        return found

    return per_request(request, ("versioned", *key), kept)


# Per process -------------------------------------------------------------------------------------


class ProcessSets:
    """A set for each process (its states as of a day, ...) and, for each element, how many
    processes' sets hold it; as of the shared and names numbers (`basis`) and each process's number
    (`numbers`). Never changed once made: a refresh makes a new one (threads may be reading)."""

    def __init__(self, basis: tuple, numbers: dict, sets: dict, counts: Counter | None = None):
        self.basis, self.numbers, self.sets = basis, numbers, sets
        self.counts = Counter(chain.from_iterable(sets.values())) if counts is None else counts

    def refreshed(self, numbers: dict, build) -> "ProcessSets":
        """The same with the sets of the processes whose number moved built again."""
        changed = {
            pid for pid in numbers.keys() | self.numbers.keys() if numbers.get(pid) != self.numbers.get(pid)
        }
        if not changed:
            return self
        sets, counts, rebuilt = dict(self.sets), Counter(self.counts), build(changed)
        for process_id in changed:
            counts.subtract(sets.pop(process_id, ()))
            if rebuilt.get(process_id):
                sets[process_id] = rebuilt[process_id]
                counts.update(rebuilt[process_id])
        return ProcessSets(self.basis, numbers, sets, +counts)  # +: without the zeros


_process_sets: OrderedDict[tuple, ProcessSets] = OrderedDict()
PROCESS_SETS_KEPT = 4  # keys (kind, day): today's and a few other days asked for


def process_sets(key: tuple, build) -> ProcessSets:
    """build(process ids, or None for all) -> {process id: frozenset}, kept in this process: after
    a write to some processes' facts only their sets are built again (a few ms, not the 0.2 s of
    all of them at 100 times the data); after a write to a name or to a shared record (a
    participant, a source), all of them. build() must read only the processes' facts, the names
    and shared records. Not kept when built inside a transaction."""
    request = _current_request.get()

    def kept():
        current = _version(request) if request is not None else RegistryVersion.current()
        if not current.key or _inside_a_transaction():
            return ProcessSets((), {}, build(None))
        basis = (current.shared_key, current.names_key)
        # The numbers are read before the data: a set is never older than the number it is kept with.
        numbers = ProcessVersion.numbers()
        with _kept_lock:
            found = _process_sets.get(key)
        if found is not None and found.basis == basis:
            found = found.refreshed(numbers, build)
        else:
            found = ProcessSets(basis, numbers, build(None))
        with _kept_lock:
            _process_sets[key] = found
            _process_sets.move_to_end(key)
            while len(_process_sets) > PROCESS_SETS_KEPT:
                _process_sets.popitem(last=False)
        return found

    return per_request(request, ("process-sets", *key), kept)


# Answers -----------------------------------------------------------------------------------------


def cache_key(request, kind: str, version: str | None = None) -> str:
    """The answer's key; `kind` carries what else it varies on (the API: the media type and the
    language of the names); `version` the counters it depends on (by default: every write)."""
    parts = [
        kind,
        _version(request).key if version is None else version,
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    ]
    return f"registry:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()}"


def last_modified(request) -> datetime:
    """When the answer last changed: the last write, or midnight if later (today's date is the
    default as-of date, so an answer can change at midnight without a write)."""
    changed_at = _version(request).changed_at
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return max(changed_at, midnight) if changed_at else midnight


def revalidate(request, response):
    """Let browsers and proxies keep the answer but ask again each time (ETag, Last-Modified), so
    that a change is never hidden by a heuristic freshness lifetime."""
    private = {"private": True} if request.user.is_authenticated else {}  # staff pages, history
    patch_cache_control(response, no_cache=True, **private)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(last_modified(request).timestamp())
    return response


def _cacheable(request, read: bool = False) -> bool:
    """A read (a GET, or a request its view says only reads), with the cache on and the change
    counter's row present (a flush removes it)."""
    read = read or request.method in ("GET", "HEAD")
    return enabled() and read and bool(_version(request).key)


def response_cacheable(request) -> bool:
    """A read by a client that is not signed in: every such client gets the same whole answer."""
    return _cacheable(request) and not request.user.is_authenticated


def process_page_version(request, slug: str, **kwargs) -> str:
    """What a process's page depends on: its own facts (its ProcessVersion), the names, and
    whatever belongs to no one process (the shared number): a write to another process's facts
    leaves it as it was. One query more than a page keyed on every write."""
    current, number = RegistryVersion.of_request_and_page(request, slug)
    return f"{current.shared_key}|{current.names_key}|{number}"


def cached_page(view, version=None):
    """Serve a public page from the cache to visitors who are not signed in (signed-in staff see
    links of their own, and always get a fresh page). `version(request, **kwargs)`: the counters
    the page depends on, when not every write (process_page_version)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # The page's own counters first: they are read with the registry's version, in one query.
        page_version = version(request, **kwargs) if version is not None and enabled() else None
        if not response_cacheable(request):
            return revalidate(request, view(request, *args, **kwargs))
        key = cache_key(request, "page", page_version)
        response = stored_response(key)
        if response is not None:
            return response
        response = revalidate(request, view(request, *args, **kwargs))
        store_response(key, response)
        response[CACHE_HEADER] = "miss"
        return response

    return wrapper


class RecentResponses:
    """The responses this process served last, pickled, in front of the shared cache: a hit then
    costs no file read and no decompression (0.2 ms of a 0.5 ms hit for an 80 KB page). Bounded
    in bytes, least recently used out first; never stale, since every key holds the registry's
    version."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            blob = self.entries.get(key)
            if blob is not None:
                self.entries.move_to_end(key)
        return None if blob is None else pickle.loads(blob)

    def put(self, key: str, response):
        blob = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
        if len(blob) > self.limit // 4:
            return
        with self.lock:
            if key in self.entries:
                self.size -= len(self.entries.pop(key))
            self.entries[key] = blob
            self.size += len(blob)
            while self.size > self.limit:
                _key, old = self.entries.popitem(last=False)
                self.size -= len(old)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


_recent = RecentResponses(settings.RESPONSE_CACHE_MEMORY_BYTES)


def forget_cached():
    """Forget everything cached: the shared answers, and what this process keeps (its recent
    answers, what it built per version and per process). The tests start from it: a rolled-back
    test leaves the counters' numbers, and the token, as they were before it."""
    caches[CACHE_ALIAS].clear()
    _recent.clear()
    with _kept_lock:
        _kept.clear()
        _process_sets.clear()


def stored_response(key: str):
    """The response stored under the key, marked as a hit; None if there is none."""
    response = _recent.get(key)
    if response is None:
        response = caches[CACHE_ALIAS].get(key)
        if response is None:
            return None
        _recent.put(key, response)
    response[CACHE_HEADER] = "hit"
    return response


def store_response(key: str, response) -> bool:
    """Keep a whole response (a 200 sent in one piece, within the size limit) for the next
    request with the same key; False when it is not kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # One piece: a view that wrote its answer in many (the Atom feeds: hundreds) would be sent in
    # as many small writes, each waiting on the network (10 ms a hit, not 1).
    response.content = response.content
    if not response.has_header("ETag"):  # an API object's ETag names its data, not its bytes
        set_response_etag(response)
    if len(response.content) > settings.RESPONSE_CACHE_MAX_BYTES:
        return False
    caches[CACHE_ALIAS].set(key, response, settings.RESPONSE_CACHE_SECONDS)
    _recent.put(key, response)
    return True


def remember(request, kind: str, build, read: bool = False):
    """build() or its cached result for this request (API reads: the serialized data). Returns
    (value, hit). Exceptions (404, bad filters) propagate and nothing is stored. `read`: the request
    only reads whatever its method (a POSTed reconciliation batch), and `kind` holds its body."""
    if not _cacheable(request, read):
        return build(), False
    cache = caches[CACHE_ALIAS]
    key = cache_key(request, kind)
    value = cache.get(key)
    if value is not None:
        return value, True
    value = build()
    cache.set(key, value, settings.RESPONSE_CACHE_SECONDS)
    return value, False
