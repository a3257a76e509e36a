"""The WSGI handler gunicorn serves (registry/serving/handlers.py): where an address leads is remembered,
per language, never for an address that leads nowhere, and each request gets a match of its own."""

import io
import sys
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, get_resolver
from django.utils import translation

from registry.serving import handlers
from registry.views import participants

pytestmark = pytest.mark.django_db


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


@contextmanager
def connections_kept_open():
    """As Django's test client does: the test's transaction outlives the requests (a handler
    closes a connection it finds inside a transaction, and PostgreSQL's test would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def kept():
    return handlers._resolution(get_resolver()).cache_info().currsize


def test_gunicorns_application_serves_pages_and_the_api():
    from config.wsgi import application

    statuses = []
    for path in ("/en/processes/budapest-process/", "/api/processes/budapest-process/", "/es/states/"):
        with connections_kept_open():
            body = b"".join(application(environ(path), lambda status, headers: statuses.append(status)))
        assert statuses.pop() == "200 OK" and body, path
    assert isinstance(application, handlers.RegistryWSGIHandler)


def test_an_address_is_resolved_once_and_each_request_gets_a_match_of_its_own():
    translation.activate("en")
    first = handlers.resolve("/en/processes/budapest-process/")
    before = kept()
    second = handlers.resolve("/en/processes/budapest-process/")
    assert kept() == before  # remembered, not resolved again
    assert first is not second and first.kwargs is not second.kwargs
    assert first.func is second.func and first.kwargs == second.kwargs == {"slug": "budapest-process"}
    assert first.url_name == "process_detail"
    first.kwargs["slug"] = "changed by a view"
    assert handlers.resolve("/en/processes/budapest-process/").kwargs == {"slug": "budapest-process"}


def test_where_an_address_leads_depends_on_the_language():
    translation.activate("en")
    assert handlers.resolve("/en/states/").func.__wrapped__ is participants.participant_list
    translation.activate("fr")  # the language prefix is then fr/: en/ leads nowhere
    with pytest.raises(Resolver404):
        handlers.resolve("/en/states/")


def test_an_address_that_leads_nowhere_is_not_kept():
    translation.activate("en")
    before = kept()
    for _ in range(2):
        with pytest.raises(Resolver404):
            handlers.resolve("/nowhere/at/all/")
    assert kept() == before


@pytest.mark.parametrize(("kept", "handler"), [("2048", "RegistryWSGIHandler"), ("0", "WSGIHandler")])
def test_url_matches_kept_chooses_the_handler(kept, handler):
    """URL_MATCHES_KEPT=0 serves with Django's own handler, which matches every request."""
    import subprocess

    from django.conf import settings

    from tests import live

    env = live.production_environment(URL_MATCHES_KEPT=kept, DJANGO_SETTINGS_MODULE="config.settings")
    script = "from config.wsgi import application; print(type(application).__name__)"
    found = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == handler
