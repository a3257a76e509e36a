"""The curated fixtures are the test data: they are loaded once into the test database."""

import pytest
from django.conf import settings

from registry import models as m
from registry.permissions import CURATOR, VIEWER, setup_groups
from registry.seeding import seed

from .helpers import make_staff_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        report = seed(settings.REGISTRY_FIXTURES_DIR)
        assert not report.conflicts and not report.skipped_deleted
        setup_groups()


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
def _empty_response_cache():
    """Each test starts with an empty response cache: the change counter rolls back with each
    test's transaction, so a number could come back with other data."""
    from django.core.cache import caches

    from registry.cache import CACHE_ALIAS

    caches[CACHE_ALIAS].clear()


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
