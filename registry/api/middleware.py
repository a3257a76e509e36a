"""API reads by clients that are not signed in, answered from the response cache before Django REST
Framework runs.

CachedReadMixin caches what a read costs to build (the serialized data, the JSON bytes), but a
hit still went through DRF's dispatch: authentication, permissions, throttles, content
negotiation, the response's finalization. For a client that sends no credentials (no
Authorization header, no session cookie) none of them can change the answer, which depends only
on the address, the headers that choose its format and language, and the registry's version: the
whole response is kept under those, and a hit runs only the view's throttles (the rate limits must
hold). Only the views whose answers the registry caches anyway (`answers_from_cache`: the
resources, the change feed, the reconciliation service) are served so. A signed-in client, a
write, a throttled client and anything but a JSON answer take DRF's path as before.
"""

from django.conf import settings
from django.db import DatabaseError

from ..serving.cache import cache_key, response_cacheable, store_response, stored_response

# What else a response varies on, besides the address and the registry's version (cache_key).
VARY = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE")


class CachedApiReadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_whole_response_key", None)  # a miss, answered by the view
        if key and "json" in response.get("Content-Type", ""):  # not the browsable API's HTML
            store_response(key, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)  # DRF's views say which class they are
        if not getattr(view_class, "answers_from_cache", False):
            return None
        try:
            if not self._anonymous_read(request):
                return None
            key = self._key(request)
            response = stored_response(key)
        except DatabaseError:  # the view meets it too, and answers 503
            return None
        if response is None:
            request._whole_response_key = key  # kept once the view has answered (__call__)
            return None
        return response if self._throttles_allow(request, view_func, view_class) else None

    @staticmethod
    def _anonymous_read(request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and response_cacheable(request)
        )

    @staticmethod
    def _key(request) -> str:
        variant = [request.META.get(name, "") for name in VARY]
        variant.append(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
        return cache_key(request, "api-response " + "\x1f".join(variant))

    @staticmethod
    def _throttles_allow(request, view_func, view_class) -> bool:
        """The view's throttles, counted as DRF counts them; when one refuses, DRF's own path
        answers (429 with Retry-After)."""
        view = view_class(**getattr(view_func, "initkwargs", {}))
        view.request, view.args, view.kwargs = request, (), {}
        view.action_map = getattr(view_func, "actions", None)
        if view.action_map:
            view.action = view.action_map.get(request.method.lower())
        return all(throttle.allow_request(request, view) for throttle in view.get_throttles())
