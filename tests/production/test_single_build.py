"""After a write, the workers of a host that miss the same answer at once build it once
(registry/cache.py: one_builder): the others wait for it and read it."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.http import HttpResponse

from registry import cache
from registry import models as m

CACHE = "X-Registry-Cache"


BUILD = 0.4  # seconds a build takes: long enough for the threads to start meanwhile, however busy


@pytest.fixture
def page(monkeypatch, settings, tmp_path):
    """A cached page whose view takes BUILD seconds, and the registry at one version."""
    settings.RESPONSE_BUILD_LOCKS = str(tmp_path / "locks")
    monkeypatch.setattr(cache, "_version", lambda request: m.Version("t:1", None, "t:1", "t:1"))
    monkeypatch.setattr(cache, "enabled", lambda: True)
    cache.forget_cached()
    builds = []

    def view(request):
        builds.append(threading.current_thread().name)
        time.sleep(BUILD)
        return HttpResponse(f"built by {threading.current_thread().name}")

    yield cache.cached_page(view), builds
    cache.forget_cached()


def visit(page, rf, results):
    request = rf.get("/en/")
    request.user = AnonymousUser()
    try:
        results.append(page(request))
    finally:
        connections.close_all()  # a thread's own connection, if anything opened one


def at_once(page, rf, count=3):
    results = []
    threads = [threading.Thread(target=visit, args=(page, rf, results)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_workers_missing_the_same_page_at_once_build_it_once(page, rf):
    view, builds = page
    results = at_once(view, rf)
    assert len(builds) == 1
    assert sorted(response[CACHE] for response in results) == ["hit", "hit", "miss"]
    assert {response.content for response in results} == {f"built by {builds[0]}".encode()}


def test_a_build_that_takes_too_long_is_not_waited_for(page, rf, monkeypatch):
    view, builds = page
    monkeypatch.setattr(cache, "BUILD_WAIT", 0.02)
    results = at_once(view, rf, count=2)
    assert len(builds) == 2 and all(response.status_code == 200 for response in results)


def test_without_a_lock_folder_each_builds_its_own(page, rf, settings):
    view, builds = page
    settings.RESPONSE_BUILD_LOCKS = "/proc/no-such-folder"
    results = at_once(view, rf, count=2)
    assert len(builds) == 2 and all(response.status_code == 200 for response in results)


def test_a_build_inside_a_build_takes_no_second_lock(settings, tmp_path):
    settings.RESPONSE_BUILD_LOCKS = str(tmp_path)
    started = time.monotonic()
    key = "registry:" + "0" * 64
    with cache.one_builder(key), cache.one_builder(key):
        pass
    assert time.monotonic() - started < cache.BUILD_WAIT / 2


def test_api_reads_missing_the_same_data_at_once_serialize_it_once(page, rf):
    builds, results = [], []

    def serialize():
        builds.append(1)
        time.sleep(BUILD)
        return {"count": 42}

    def read():
        try:
            results.append(cache.remember(rf.get("/api/processes/"), "api-data en", serialize))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert sorted(hit for _value, hit in results) == [False, True, True]
    assert all(value == {"count": 42} for value, _hit in results)
