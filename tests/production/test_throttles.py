"""The API's rate limits count exactly (registry/serving/throttles.py): each request is counted
once, in one atomic step, on the database by default and in Redis with REDIS_URL, whatever the
number of workers, threads or hosts."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m
from registry.serving import throttles
from tests import live


def test_a_window_counts_each_request_and_begins_again_after_its_duration(db, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(m.rates.time, "time", lambda: now[0])
    assert [m.RateCount.hit("client-a", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert m.RateCount.hit("client-b", 60) == (1, 60.0)  # another client: its own window
    now[0] += 45
    assert m.RateCount.hit("client-a", 60) == (4, 15.0)  # the window began at the first request
    now[0] += 15
    assert m.RateCount.hit("client-a", 60) == (1, 60.0)  # a new window


def test_a_client_gone_for_a_day_leaves_no_row(db, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(m.rates.time, "time", lambda: now[0])
    m.RateCount.hit("gone", 60)
    now[0] += m.rates.KEPT_SECONDS + 61
    m.RateCount.hit("back", 60)  # a new window clears the rows of clients gone for a day
    assert set(m.RateCount.objects.values_list("key", flat=True)) == {"back"}


def test_an_anonymous_read_costs_one_count(client, db):
    client.get("/api/regions/")  # cached from now on
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/regions/").status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "registry_ratecount" in q["sql"]]
    assert len(counts) == 1 and counts[0].startswith("INSERT")  # the user rate counts the signed-in only
    assert m.RateCount.objects.get().count == 2


def test_threads_counting_in_redis_count_each_request_once(redis_url, settings):
    settings.REDIS_URL = redis_url
    key = f"threads-{id(settings)}"
    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: throttles.hit(key, 60)[0], range(400)))
    assert sorted(counts) == list(range(1, 401))
    count, left = throttles.hit(key, 60)
    assert count == 401 and 0 < left <= 60


def many_at_once(url: str, client: str, threads: int = 8, each: int = 400) -> list[int]:
    """threads × each GET requests from one client (its address as a trusted proxy forwards it:
    no count left by another test), as fast as they go; their status codes."""

    def send(_):
        with requests.Session() as session:
            session.headers["X-Forwarded-For"] = client
            return [session.get(url, timeout=30).status_code for _ in range(each)]

    with ThreadPoolExecutor(threads) as pool:
        return [code for codes in pool.map(send, range(threads)) for code in codes]


@pytest.mark.live
def test_eight_threads_from_one_address_get_exactly_the_limit_through(live_registry):
    """3 gunicorn workers on the default setup (the database counts): 3,200 requests against a
    limit of 300 a minute let exactly 300 through."""
    with live.another_server(live_registry, API_THROTTLE_ANON="300/minute", TRUSTED_PROXIES="1") as url:
        codes = many_at_once(f"{url}/api/regions/", client="203.0.113.81")
    assert (codes.count(200), codes.count(429)) == (300, 2900)


@pytest.mark.live
def test_with_redis_eight_threads_get_exactly_the_limit_through(live_registry, redis_url):
    settings = {"API_THROTTLE_ANON": "300/minute", "TRUSTED_PROXIES": "1", "REDIS_URL": redis_url}
    with live.another_server(live_registry, **settings) as url:
        codes = many_at_once(f"{url}/api/regions/", client="203.0.113.82")
    assert (codes.count(200), codes.count(429)) == (300, 2900)
