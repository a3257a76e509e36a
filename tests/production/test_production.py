"""The production path: health endpoint, deployment checks, static files by whitenoise, logs."""

import json
import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection
from django.utils import timezone

from registry import models as m
from registry.logs import JsonFormatter

from .. import live

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": connection.vendor,
        "webhooks": {"worker": "not started", "last_heartbeat": None, "active_subscriptions": 0},
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_tells_a_webhook_worker_that_stopped_beating(client):
    m.Subscription.objects.create(name="portal", url="https://example.org/hook")
    assert client.get("/healthz").json()["status"] == "degraded"  # subscribed, no worker yet
    call_command("deliver_webhooks", "--once")
    answer = client.get("/healthz").json()
    assert answer["status"] == "ok" and answer["webhooks"]["worker"] == "running"
    m.WorkerHeartbeat.objects.update(beat=timezone.now() - m.WorkerHeartbeat.STALE_AFTER * 2)
    answer = client.get("/healthz")
    assert answer.status_code == 200  # the site serves; the deliveries wait
    assert answer.json()["status"] == "degraded" and answer.json()["webhooks"]["worker"] == "stopped"


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_check_deploy_with_production_settings_reports_nothing():
    env = live.production_environment(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-a-long-random-production-key-0123456789abcdefghij",
        ALLOWED_HOSTS="rcp.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_whitenoise_serves_the_packaged_static_files(client):
    response = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:20]


def test_json_logs_carry_the_request():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    record.status_code = 404
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["message"] == "Not Found: /x/" and entry["status"] == 404


@pytest.mark.parametrize(
    "url", ["/en/processes/", "/en/processes/bali-process/?as_of=2003", "/api/participations/?process=midsa"]
)
def test_pages_and_api_reads_answer_conditional_gets(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_a_change_changes_the_etag(client):
    first = client.get("/api/processes/midsa/")
    process = m.Process.objects.get(slug="midsa")
    process.status_note = "Met in 2010."
    process.save()
    again = client.get("/api/processes/midsa/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_healthz_is_503_with_migrations_not_applied(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("registry", "0099")])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["reason"] == "1 migrations not applied (run manage.py migrate)"


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("unable to open database file"),
        DatabaseError("file is not a database"),
    ],
)
@pytest.mark.parametrize("debug", [True, False])
def test_pages_and_api_answer_503_when_the_database_cannot_serve(client, monkeypatch, settings, error, debug):
    settings.DEBUG = debug

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    page = client.get("/en/processes/")
    assert page.status_code == 503 and page["Retry-After"] == "60"
    assert b"Temporarily unavailable" in page.content and b"try again" in page.content
    api = client.get("/api/processes/")
    assert api.status_code == 503 and "unavailable" in api.json()["detail"]


def test_a_bug_is_still_a_500(client, monkeypatch, settings):
    settings.DEBUG = False

    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr("registry.views.processes.render", bug)
    client.raise_request_exception = False
    assert client.get("/en/processes/").status_code == 500


@pytest.mark.live
@pytest.mark.parametrize("state", ["empty file", "corrupt file", "unmigrated", "missing file"])
def test_a_live_server_on_a_broken_sqlite_database_answers_503(state, tmp_path, live_registry):
    """As a load balancer and a visitor meet it: gunicorn with production settings."""
    path = tmp_path / "registry.sqlite3"
    if state == "empty file":
        path.write_bytes(b"")
    elif state == "corrupt file":
        path.write_bytes(b"this is not a database" * 500)
    elif state == "unmigrated":
        live.manage({**live_registry.env, "DATABASE_URL": f"sqlite:///{path}"}, "migrate", "auth", "-v0")
    env = {**live_registry.env, "DATABASE_URL": f"sqlite:///{path}"}
    process, url, _log = live.serve(env, workers=1)
    try:
        import requests

        health = requests.get(f"{url}/healthz", timeout=10)
        assert health.status_code == 503 and health.json()["status"] == "error", health.text
        page = requests.get(f"{url}/en/processes/", timeout=10)
        assert page.status_code == 503 and "Temporarily unavailable" in page.text
        api = requests.get(f"{url}/api/processes/", timeout=10)
        assert api.status_code == 503 and "unavailable" in api.json()["detail"]
    finally:
        process.terminate()
        process.wait(timeout=20)
