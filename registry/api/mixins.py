"""What every API viewset does besides CRUD, one mixin each: reads answered from the registry's
cache (CachedReadMixin), conditional all-or-nothing writes (ConditionalWriteMixin), and the
object's history (HistoryMixin).

ETag: a hash of the object's representation, sent with every object response; a GET with a
matching If-None-Match gets 304 from ConditionalGetMiddleware, as every page does. A write (PUT,
PATCH, DELETE) with If-Match is compared, inside a transaction with the row locked, with the ETag
of the object as stored now: if it no longer matches, the answer is 412 and nothing changes. A
write without If-Match is accepted (the last write wins), so scripts that do not care about
concurrency keep working.
"""

import hashlib
import json

from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .. import local_names
from ..history import object_changes
from ..serving.cache import CACHE_HEADER, remember, revalidate
from .serializers import HistoryRecordSerializer


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it (If-Match does not match its ETag): read it again."
    default_code = "precondition_failed"


def etag_of(data) -> str:
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()
    return f'"{hashlib.sha256(payload).hexdigest()[:32]}"'


def plain(data):
    """The data as JSON types only, for the cache: DRF's hyperlinks carry their model instance,
    which would otherwise be pickled with them."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def header_etags(value: str) -> set[str]:
    """The ETags of an If-Match/If-None-Match header ("*" matches any); weak prefixes ignored."""
    return {tag.strip().removeprefix("W/") for tag in value.split(",") if tag.strip()}


def cache_marked(response, hit: bool):
    response[CACHE_HEADER] = "hit" if hit else "miss"
    return response


class CachedReadMixin:
    """Lists and objects answered from the registry's cache (registry/serving/cache.py), with an ETag on
    objects, and every read told to revalidate."""

    answers_from_cache = True  # whole, to clients without credentials: api/middleware.py

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            revalidate(request, response)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._cached_read(request, lambda: self.get_serializer(self.get_object()).data, etag=True)

    def list(self, request, *args, **kwargs):
        return self._cached_read(request, lambda: super(CachedReadMixin, self).list(request).data)

    def cache_variant(self, request) -> str:
        """What else than the URL and the language the answer depends on (e.g. who asks)."""
        return ""

    def _cached_read(self, request, build, etag=False):
        """The read from the registry's cache. JSON is cached as the bytes sent (most API reads);
        other formats (the browsable API) as the data, rendered on each request."""
        renderer = request.accepted_renderer
        # The names follow ?lang=, the language cookie or Accept-Language (local_name).
        names_language = (local_names.requested_language(request) or "") + self.cache_variant(request)
        if isinstance(renderer, JSONRenderer):

            def rendered():
                data = plain(build())
                context = self.get_renderer_context()
                return renderer.render(data, request.accepted_media_type, context), etag_of(data)

            kind = f"api {request.accepted_media_type} {names_language}"
            (content, tag), hit = remember(request, kind, rendered)
            response = HttpResponse(content, content_type=f"{request.accepted_media_type}")
            patch_vary_headers(response, ["Accept"])
        else:

            def data_and_etag():
                data = plain(build())
                return data, etag_of(data)

            (data, tag), hit = remember(request, f"api-data {names_language}", data_and_etag)
            response = Response(data)
        if etag:
            response["ETag"] = tag
        return cache_marked(response, hit)


class ConditionalWriteMixin:
    """Writes in one transaction each, answered with the object as a GET reads it and its ETag;
    PUT, PATCH and DELETE honour If-Match (412 when the object changed since it was read)."""

    def _object_response(self, instance, status_code=status.HTTP_200_OK, headers=None):
        data = self.get_serializer(instance).data
        response = Response(data, status=status_code, headers=headers)
        response["ETag"] = etag_of(data)
        return response

    def _fresh(self, instance):
        """The object re-read as a GET would read it (annotations and prefetches included)."""
        return self.filter_queryset(self.get_queryset()).get(pk=instance.pk)

    def _check_precondition(self, instance):
        wanted = self.request.headers.get("If-Match")
        if not wanted or wanted.strip() == "*":
            return
        if etag_of(self.get_serializer(instance).data) not in header_etags(wanted):
            raise PreconditionFailed()

    def _locked_object(self):
        """The object, read after its row is locked until the transaction ends, so that no other
        write slips between the If-Match check and this write (PostgreSQL; SQLite serializes
        writers on the whole database)."""
        instance = self.get_object()
        rows = type(instance)._base_manager.filter(pk=instance.pk).order_by()  # no join to order by
        list(rows.select_for_update(of=("self",)).values_list("pk"))
        return self.get_object()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = serializer.save()
        fresh = self._fresh(instance)
        # A plain str: DRF's Hyperlink is a str subclass, which wsgiref (runserver) refuses.
        headers = {"Location": str(self.get_serializer(fresh).data.get("url", ""))}
        return self._object_response(fresh, status.HTTP_201_CREATED, headers)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self._locked_object()
            self._check_precondition(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = serializer.save()
        return self._object_response(self._fresh(instance))

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._locked_object()
            self._check_precondition(instance)
            reason = request.headers.get("X-Change-Reason", "").strip()[:100]
            if reason:
                instance._change_reason = reason
            instance.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class HistoryMixin:
    @extend_schema(
        summary="The recorded changes of this object",
        description="Who changed what and when, newest first (the audit history; writes through the "
        "API and the admin are both recorded, with the user).",
        responses=HistoryRecordSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], url_path="history")
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = object_changes(type(instance)._meta.concrete_model, instance.pk)
        page = self.paginate_queryset(entries)
        serializer = HistoryRecordSerializer(page if page is not None else entries, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)
