"""The WSGI handler gunicorn serves (config/wsgi.py): Django's, remembering where each address leads.

Django matches an address against the URL patterns on every request, one regular expression after
another: 30–45 µs for a process's page or an API list (the router's patterns come after the
others), a tenth of a cached answer's time. Which view an address leads to depends only on the
address, the URL patterns and the active language (the language prefix), so each worker keeps the
answers for the addresses it served last. An address that leads nowhere (404) is never kept, and
an address is looked up anew once it has fallen out of the bounded memory.
"""

from functools import lru_cache

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import ResolverMatch, get_resolver
from django.utils import translation


@lru_cache(maxsize=8)  # one per URL configuration (the tests' own configurations too)
def _resolution(resolver):
    @lru_cache(maxsize=settings.URL_MATCHES_KEPT)
    def resolve(path: str, language: str | None):
        return resolver.resolve(path)

    return resolve


def resolve(path: str):
    """resolve(path) with the root URL configuration, remembered: a copy of the match each time,
    since the request keeps it and views may read (and, in principle, change) it."""
    kept = _resolution(get_resolver())(path, translation.get_language())
    match = object.__new__(ResolverMatch)  # a shallow copy: ResolverMatch refuses copy.copy()
    match.__dict__.update(kept.__dict__, kwargs=dict(kept.kwargs))
    return match


class RegistryWSGIHandler(WSGIHandler):
    def resolve_request(self, request):
        if hasattr(request, "urlconf"):  # a request routed elsewhere by a middleware: as Django does
            return super().resolve_request(request)
        request.resolver_match = resolve(request.path_info)
        return request.resolver_match
