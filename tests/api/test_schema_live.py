"""schemathesis, with all its checks and its three phases (examples, fuzzing, and the stateful
phase that follows the links it infers between operations), against the registry served for real:
gunicorn with production settings and several workers, on a throwaway database of the suite's
engine, as a Curator (reads and writes) and anonymously. No 5xx, every answer as the schema
describes. Its report goes to test-artifacts/schemathesis-live-<database>-<role>.txt.

Two checks are left out, with reason: positive_data_acceptance expects any schema-valid value to be
accepted, but an unknown slug in a filter is a documented 400; negative_data_rejection expects a
malformed body to be refused before anything else, but If-Match is evaluated first (412), as HTTP
says preconditions are (RFC 9110, 13.2.2)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .. import live

pytestmark = pytest.mark.live
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LEFT_OUT = "positive_data_acceptance,negative_data_rejection"


@pytest.fixture(scope="module")
def schemathesis_server(django_db_blocker):
    """Its own database: the stateful phase creates, changes and deletes records."""
    with django_db_blocker.unblock():
        database = live.ThrowawayDatabase()
    try:
        env = live.prepare(database.url)
        env.update(API_THROTTLE_ANON="off", API_THROTTLE_USER="off")  # a thousand requests a minute
        process, url, _log = live.serve(env)
        try:
            yield url, env["TEST_TOKEN_live-curator"]
        finally:
            process.terminate()
            process.wait(timeout=20)
    finally:
        with django_db_blocker.unblock():
            database.drop()


@pytest.mark.parametrize("role", ["curator", "anonymous"])
def test_schemathesis_finds_nothing_against_a_live_server(schemathesis_server, role):
    url, token = schemathesis_server
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/api/schema/?format=json"]
    command += ["--max-examples", "8", "--phases", "examples,fuzzing,stateful", "--generation-deterministic"]
    command += ["--continue-on-failure", "--exclude-checks", LEFT_OUT, "--request-timeout", "30"]
    # A check of schemathesis's own generator (the PUT of an account filters out most examples
    # it draws), which fails now and then on a busy machine: not a finding about the API.
    command += ["--suppress-health-check", "filter_too_much"]
    if role == "curator":
        command += ["--header", f"Authorization: Token {token}"]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, env=live.production_environment(NO_COLOR="1")
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"schemathesis-live-{connection.vendor}-{role}.txt").write_text(
        result.stdout + result.stderr
    )
    summary = result.stdout[result.stdout.rfind("SUMMARY") :]
    assert result.returncode == 0, summary or result.stderr[-3000:]
    assert "✅ Stateful" in summary and "✅ Fuzzing" in summary and "✅ Examples" in summary
    assert " passed" in summary and "failure" not in summary.lower().split("test cases:")[-1]
