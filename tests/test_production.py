"""The production path: health endpoint, deployment checks, static files by whitenoise, logs."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from registry import models as m
from registry.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_check_deploy_with_production_settings_reports_nothing():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-a-long-random-production-key-0123456789abcdefghij",
        "ALLOWED_HOSTS": "rcp.example.org",
    }
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
