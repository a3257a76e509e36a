"""The curated fixtures are the test data: they are loaded once into the test database.

The shared data is the two papers' (fixtures/ without sources/): most tests state what the papers
say and were written against it. The later sources (fixtures/sources/, IOM's profile pages) are
loaded on top, inside a test's transaction, by the `later_sources` fixture."""

import tempfile

import pytest
from django.conf import settings
from django.core.cache import caches
from pytest_django.plugin import blocking_manager_key

from registry import models as m
from registry.permissions import CURATOR, VIEWER, setup_groups
from registry.seeding import seed

from .helpers import make_later_source, make_staff_user

settings.REGISTRY_SEED_LATER_SOURCES = False  # see the docstring

# The tests' file caches in a folder of their own for each test process (each pytest-xdist
# worker): the tests clear the caches and count hits, and never touch a served registry's var/.
assert "settings" not in caches.__dict__, "a cache was opened before the tests' folders were set"
for _cache in settings.CACHES.values():
    if _cache["BACKEND"].endswith("FileBasedCache"):
        _cache["LOCATION"] = tempfile.mkdtemp(prefix="rcp-test-cache-")


def load_test_data():
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    assert not report.conflicts and not report.skipped_deleted
    setup_groups()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_data()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, set up after the test database and so stopped before it is
    dropped: its thread's connection would otherwise keep PostgreSQL from dropping it."""
    return live_server


def is_transactional(item) -> bool:
    """A test pytest-django runs outside a transaction, and whose database it empties at the end."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server, a browser) ends with the test database emptied.
    pytest-django runs them after the others, but pytest-xdist hands a worker its tests in another
    order (a group first): the test data is loaded again for a test that follows in the worker."""
    yield
    if nextitem is not None and is_transactional(item) and not is_transactional(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            load_test_data()


@pytest.fixture
def process(db):
    """Look a process up by slug: process('bali-process')."""
    return lambda slug: m.Process.objects.get(slug=slug)


@pytest.fixture
def participant(db):
    """Look a participant up by ISO code or slug."""

    def lookup(key):
        if len(key) == 2 and key.isupper():
            return m.Participant.objects.get(iso_code=key)
        return m.Participant.objects.get(slug=key)

    return lookup


@pytest.fixture
def account(db):
    """The account of a process in a source: account('bali-process', 'SCPF/30')."""
    return lambda slug, symbol: m.ProcessAccount.objects.get(process__slug=slug, source__symbol=symbol)


@pytest.fixture
def curator(client, db):
    """A signed-in member of the Curator group."""
    user = make_staff_user("curator", CURATOR)
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client, db):
    """A signed-in member of the Viewer group."""
    user = make_staff_user("viewer", VIEWER)
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _nothing_cached():
    """Each test starts with nothing cached: the change counters roll back with each test's
    transaction, so a number could come back with other data."""
    from registry.serving.cache import forget_cached

    forget_cached()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves the language it was served in
    active in the thread (LocaleMiddleware activates it and nothing restores it), so a message
    checked in English after a Spanish page would otherwise depend on the order tests ran in."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def live_registry(django_db_blocker):
    """The registry under gunicorn (production settings, several workers) on a throwaway copy of
    the suite's database engine, seeded by its own commands (tests/live.py)."""
    from . import live

    with django_db_blocker.unblock():
        database = live.ThrowawayDatabase()
    registry = None
    try:
        registry = live.start(database.url)
        yield registry
    finally:
        if registry:
            live.stop(registry)
        with django_db_blocker.unblock():
            database.drop()


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway Redis server's URL (tests/live.py), for the whole session."""
    from . import live

    with live.redis_server() as url:
        yield url


@pytest.fixture
def keep_id_sequences(db):
    """PostgreSQL's id sequences are not rolled back with a test's transaction: an import (which
    sets them after the ids it loads) would leave them below the fixtures' ids, and later tests'
    inserts would collide. Restore each sequence as it was before the test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        )
        saved = [(name, value) for name, value in cursor.fetchall() if value is not None]
    yield
    with connection.cursor() as cursor:
        for name, value in saved:
            cursor.execute("SELECT setval(%s, %s, true)", [name, value])


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`make test` runs `pytest -n auto --dist loadgroup`), the tests that
    serve the registry under gunicorn run in one worker, one after the other: they share one live
    registry (a session fixture) and measure concurrency, which a second gunicorn would disturb;
    the browser tests share one Chromium and one live server; the schemathesis run over every
    operation keeps its tally in one worker (test-artifacts/schemathesis.txt)."""
    for item in items:
        if item.get_closest_marker("live"):
            item.add_marker(pytest.mark.xdist_group("live"))
        elif "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif item.nodeid.startswith("tests/api/test_schema.py::test_every_operation_honours_the_schema"):
            item.add_marker(pytest.mark.xdist_group("schemathesis"))


@pytest.fixture
def later_source(db):
    """A test source after the papers (the fixtures hold only what the papers say)."""
    return make_later_source(body="Fifth Ministerial Conference of the Budapest Process (test)")


@pytest.fixture
def later_sources(db):
    """The later sources (fixtures/sources/) recorded on top of the papers, as `seed` does."""
    from pathlib import Path

    from registry.seeding.loader import Loader
    from registry.seeding.store import SeedReport

    report = SeedReport()
    Loader(Path(settings.REGISTRY_FIXTURES_DIR), report).load_later_sources()
    return report
