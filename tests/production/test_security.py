"""Limits that hold: API throttles count a client by its real address in the database every
worker shares (tests/production/test_throttles.py: exactly), and the admin's sign-in locks after
repeated wrong passwords (django-axes)."""

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.throttling import AnonRateThrottle

from tests import live

pytestmark = pytest.mark.django_db


def test_x_forwarded_for_is_not_the_clients_identity(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    codes = [client.get("/api/regions/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)]
    assert codes == [200, 200, 200, 429, 429, 429]


def test_with_a_trusted_proxy_its_forwarded_address_counts(client, monkeypatch, settings):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": None})
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    first = [client.get("/api/regions/", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(3)]
    other = client.get("/api/regions/", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
    assert first == [200, 200, 429] and other == 200


def test_the_default_cache_is_shared_by_workers_and_redis_is_optional(monkeypatch):
    import importlib

    from config import settings as config

    assert "locmem" not in config.CACHES["default"]["BACKEND"]
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        reloaded = importlib.reload(config)
        assert {alias: c["BACKEND"] for alias, c in reloaded.CACHES.items()} == {
            "default": "django.core.cache.backends.redis.RedisCache",
            "responses": "django.core.cache.backends.redis.RedisCache",
        }
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(config)


@pytest.mark.live
def test_a_rate_holds_across_gunicorn_workers(live_registry):
    """Three workers, one limit: the counters are in the database, not each worker's memory."""
    with live.another_server(live_registry, API_THROTTLE_ANON="12/minute") as url:
        codes = []
        for n in range(36):
            answer = requests.get(
                f"{url}/api/regions/", headers={"X-Forwarded-For": f"198.51.100.{n}", "Connection": "close"}
            )
            codes.append(answer.status_code)
    assert codes.count(200) == 12 and codes.count(429) == 24, codes
    assert answer.headers["Retry-After"]


def sign_in(client, password):
    return client.post("/admin/login/?next=/admin/", {"username": "maria", "password": password})


def test_the_admin_sign_in_locks_after_five_wrong_passwords(client, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", "rcp-Curator-2026!")
    call_command("create_curator", "maria")
    for _ in range(4):
        answer = sign_in(client, "guess")
        assert answer.status_code == 200 and b"Please enter the correct username" in answer.content
    locked = sign_in(client, "guess")
    assert locked.status_code == 429
    assert b"Too many wrong passwords" in locked.content and b"administrator" in locked.content
    # Locked: the right password is refused too, until the lock ends or an administrator lifts it.
    assert sign_in(client, "rcp-Curator-2026!").status_code == 429
    call_command("axes_reset_username", "maria")
    assert sign_in(client, "rcp-Curator-2026!").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_lock_is_per_user_and_address(client, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", "rcp-Curator-2026!")
    call_command("create_curator", "maria")
    for _ in range(5):
        sign_in(client, "guess")
    assert sign_in(client, "rcp-Curator-2026!").status_code == 429
    elsewhere = client.post(
        "/admin/login/?next=/admin/",
        {"username": "maria", "password": "rcp-Curator-2026!"},
        REMOTE_ADDR="192.0.2.7",
    )
    assert elsewhere.status_code == 302
    assert get_user_model().objects.get(username="maria").is_active


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize(
    "url", ["/en/", "/en/processes/bali-process/", "/admin/login/", "/api/processes/", "/api/docs/"]
)
def test_every_answer_carries_a_content_security_policy_without_inline_script(client, url):
    policy = directives(client.get(url))
    assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_only_the_documentation_and_browsable_pages_allow_inline_styles(client):
    assert directives(client.get("/en/"))["style-src"] == "'self'"
    assert directives(client.get("/api/processes/"))["style-src"] == "'self'"
    browsable = directives(client.get("/api/processes/", HTTP_ACCEPT="text/html"))
    assert browsable["style-src"] == "'self' 'unsafe-inline'" and browsable["script-src"] == "'self'"


def test_redoc_is_served_without_its_logo_from_outside(client):
    page = client.get("/api/docs/redoc/").content.decode()
    assert "googleapis" not in page and "<style" not in page
    script = b"".join([client.get("/api/docs/redoc.js").content])
    assert len(script) > 100_000 and b"cdn.redoc.ly/redoc/logo-mini.svg" not in script
