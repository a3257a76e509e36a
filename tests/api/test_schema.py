"""The OpenAPI description: valid, complete, served with its documentation pages from packaged
assets, and honoured by the API (a schemathesis run over every operation, reads and writes)."""

from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.views import SpectacularAPIView
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from registry.permissions import CURATOR

from ..helpers import make_staff_user

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

RESOURCES = [
    "processes",
    "states",
    "organizations",
    "participations",
    "iom-roles",
    "iom-offices",
    "events",
    "regions",
    "sources",
]


def test_the_schema_describes_every_resource_with_filters_and_errors(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for resource in RESOURCES:
        assert f"/api/{resource}/" in paths
        item = next(path for path in paths if path.startswith(f"/api/{resource}/{{"))
        assert {"get", "put", "patch", "delete"} <= set(paths[item])
        assert "412" in paths[item]["patch"]["responses"]
        assert "404" in paths[item]["get"]["responses"]
        assert "400" in paths[f"/api/{resource}/"]["post"]["responses"]
        assert f"/api/{resource}/{item.split('/')[3]}/history/" in paths
    participation_filters = {p["name"] for p in paths["/api/participations/"]["get"]["parameters"]}
    assert {"process", "role", "as_of", "cited_in", "participant", "iso_code", "q", "ordering", "page"} <= (
        participation_filters
    )
    process_filters = {p["name"] for p in paths["/api/processes/"]["get"]["parameters"]}
    assert {"region", "kind", "status", "member", "q"} <= process_filters


def test_the_documentation_pages_use_packaged_assets_only(client):
    for url in ["/api/docs/", "/api/docs/redoc/"]:
        page = client.get(url).content.decode()
        assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
        assert "googleapis" not in page
    assert "/static/drf_spectacular_sidecar/" in client.get("/api/docs/").content.decode()
    # ReDoc's script: the sidecar's copy, served without the one address it would fetch outside.
    assert "/api/docs/redoc.js" in client.get("/api/docs/redoc/").content.decode()
    # The assets come from the drf-spectacular-sidecar package, served as static files.
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")


@pytest.fixture
def keep_connection():
    """Calling the WSGI application directly (not through Django's test client) would close the
    database connection at the end of each request, inside the test's transaction (PostgreSQL):
    do what the test client does and keep it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def curator_token(db):
    return Token.objects.create(user=make_staff_user("schemathesis", CURATOR)).key


# Loaded from the running application (in-process WSGI) when the tests are collected. The
# "coverage" phase would add some 8,000 boundary-value cases (minutes); the examples and the
# fuzzing phase (Hypothesis, max_examples below per operation) keep the run under a minute.
# Unthrottled while collecting: the rate counts are in the database, which no test has opened yet.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
with mock.patch.object(SpectacularAPIView, "throttle_classes", []):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def tally():
    """Counts the generated cases and their answers; written to test-artifacts/schemathesis.txt."""
    counts = Counter()
    yield counts
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"cases run: {sum(counts.values())}"]
    lines += [f"HTTP {code}: {n}" for code, n in sorted(counts.items())]
    (ARTIFACTS / "schemathesis.txt").write_text("\n".join(lines) + "\n")


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_the_schema(case, curator_token, tally, keep_connection):
    """Reads and writes as a Curator, with generated data: no 5xx, every response as described."""
    cache.clear()  # the throttle counts would otherwise end the run with 429s
    response = case.call_and_validate(headers={"Authorization": f"Token {curator_token}"}, checks=CHECKS)
    tally[response.status_code] += 1


def test_every_operation_declares_exactly_the_parameters_of_its_path(client):
    import re

    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        in_template = re.findall(r"{(\w+)}", path)
        for method, operation in operations.items():
            declared = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            assert sorted(declared) == sorted(in_template), (method, path, declared)
            assert all(p["required"] for p in operation.get("parameters", []) if p["in"] == "path")
