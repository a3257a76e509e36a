"""The registry's own middleware: the language remembered, and 503 when the database cannot serve.

RememberLanguageMiddleware remembers the language of the public page last visited, so that the
bare address (/), the admin and the next visit follow the visitor's choice rather than the
browser's Accept-Language."""

import logging
import re

from django.conf import settings
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
)
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import FormerSlug, Participant, Process, SourceDocument

logger = logging.getLogger("django.request")
NUL_MESSAGE = _("Text may not contain NUL characters (\\u0000).")


class FormerSlugRedirectMiddleware:
    """A page or API address with a slug a record no longer has (models/slugs.py) answers with a
    permanent redirect to the same address under the record's slug now: 301 for reads, 308 for
    writes (the method is kept). Only a 404 is looked at, so a served page costs nothing."""

    ADDRESSES = re.compile(
        r"^/(?P<prefix>(?:[a-z]{2}/)|api/)(?P<kind>processes|states|organizations|participants|sources)"
        r"/(?P<slug>[-\w]+)/(?P<rest>.*)$"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        match = self.ADDRESSES.match(request.path_info)
        record = match and self._renamed(match["kind"], match["slug"])
        if not record:
            return response
        api, kind = match["prefix"] == "api/", match["kind"]
        key = record.key if api and isinstance(record, SourceDocument) else record.slug
        if kind in ("states", "organizations"):
            kind = "organizations" if record.is_organization else "states"
        address = f"/{match['prefix']}{kind}/{key}/{match['rest']}"
        if request.META.get("QUERY_STRING"):
            address += "?" + request.META["QUERY_STRING"]
        redirect = HttpResponsePermanentRedirect(address)
        if request.method not in ("GET", "HEAD"):
            redirect.status_code = 308
        return redirect

    @staticmethod
    def _renamed(kind, slug):
        model = {"processes": Process, "sources": SourceDocument}.get(kind, Participant)
        return FormerSlug.owner(model, slug)


class RememberLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = translation.get_language_from_path(request.path_info)
        if (
            language
            and response.status_code < 400
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def database_unavailable(error: BaseException) -> bool:
    """Whether an exception means the database cannot serve (down, locked past the timeout,
    unmigrated, corrupt) rather than a bug in a query or a rejected write."""
    if isinstance(error, IntegrityError | DataError):
        return False
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        return True  # SQLite's "file is not a database" is a bare DatabaseError
    if isinstance(error, ProgrammingError):  # PostgreSQL: a missing table or schema (unmigrated)
        return getattr(error.__cause__, "sqlstate", None) in {"42P01", "3F000"}
    return False


def unavailable_response(request):
    """503, with Retry-After: JSON under /api/, else a page that needs no database."""
    message = _("The registry's database is unavailable at the moment. Please try again in a minute.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(message)}, status=503)
    else:
        # Rendered without the request: the context processors may read the database.
        context = {"message": message, "LANGUAGE_CODE": translation.get_language()}
        response = HttpResponse(render_to_string("registry/503.html", context), status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot serve answers 503, not 500 (logged with the
    error, as a 500 is). Errors raised outside views reach handler500, which does the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s %s", request.method, request.path, exc_info=exception)
        return unavailable_response(request)


def server_error(request):
    """handler500: a 503 when the error is the database's (raised outside a view, e.g. in a
    middleware), Django's plain 500 page otherwise."""
    import sys

    from django.views.defaults import server_error as plain_server_error

    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return plain_server_error(request)


class RefuseNulMiddleware:
    """A NUL character in the query string (PostgreSQL cannot compare text with one) is a 400
    with a message, JSON under /api/, before any view runs a query with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            message = str(NUL_MESSAGE)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
