"""A gunicorn worker builds what it keeps before its first request (registry/serving/warm_up.py)."""

import gc
import logging

import pytest
from django.db import OperationalError
from django.utils import timezone

from registry import local_names
from registry.serving import cache
from registry.serving.warm_up import warm_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(monkeypatch):
    """What the worker keeps, as outside a transaction (the tests run inside one)."""
    monkeypatch.setattr(cache, "_inside_a_transaction", lambda: False)
    monkeypatch.setattr(cache, "_kept", {})
    cache.forget_cached()
    yield cache
    cache.forget_cached()


def test_a_worker_starts_with_the_name_orders_the_index_and_todays_states(kept):
    assert warm_up() is True
    keys = {key[2:] for key in kept._kept}
    for language in ("en", "fr", "es"):
        assert {("ranks", "participant", language), ("ranks", "process", language)} <= keys
    assert ("reconciliation-index",) in keys
    today = timezone.localdate()
    assert list(kept._process_sets) == [("states-as-of", today), ("members-as-of", today)]
    assert all(len(sets.sets) > 10 for sets in kept._process_sets.values())


def test_a_database_not_ready_leaves_the_worker_to_build_on_demand(kept, monkeypatch, caplog):
    def unready(*args):
        raise OperationalError("no such table: registry_participant")

    monkeypatch.setattr(local_names, "name_ranks", unready)
    with caplog.at_level(logging.WARNING, logger="registry.serving.warm_up"):
        assert warm_up() is False
    assert "no such table" in caplog.text and not kept._kept


def test_a_worker_starts_with_its_code_loaded():
    from django.template import engines

    from registry import world_map
    from registry.serving.warm_up import load_code

    world_map.world.cache_clear()
    (loader,) = engines["django"].engine.template_loaders  # the cached loader
    loader.reset()
    load_code()
    assert world_map.world.cache_info().currsize == 1
    assert {"registry/process_detail.html", "registry/overlap.html"} <= set(loader.get_template_cache)


def test_gunicorn_warms_each_worker_up(monkeypatch):
    import config.gunicorn
    import registry.serving.warm_up

    calls = []
    monkeypatch.setattr(registry.serving.warm_up, "warm_up", lambda: calls.append(1) or True)
    frozen = gc.get_freeze_count()
    try:
        config.gunicorn.post_worker_init(worker=None)
        assert calls == [1]
        assert gc.get_freeze_count() > frozen  # what it built, out of the collector's sight
    finally:
        gc.unfreeze()
