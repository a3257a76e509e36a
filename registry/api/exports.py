"""/api/export/: the whole registry as open data (registry/exports/), streamed."""

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from ..dates import PartialDateError, parse_as_of
from ..exports.downloads import DOWNLOADS
from .renderers import BrowsableAPIRenderer


class DownloadRenderer(BaseRenderer):
    """Lets any Accept header through to a streamed file (errors are still JSON)."""

    media_type = "*/*"
    format = "download"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.STR,
    description="A date (2009, 2009-04 or 2009-04-30): the participations, IOM roles and events valid "
    "then; the other tables stay complete. Without it, the complete registry.",
)


def _as_of(request):
    try:
        return parse_as_of(request.query_params.get("as_of"))
    except PartialDateError as error:
        raise ValidationError({"as_of": [str(error)]}) from error


@extend_schema(
    operation_id="export_index",
    summary="The open-data downloads",
    description="What /api/export/ offers: for each download, its URL, content type and description.",
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def export_index(request):
    return Response(
        {
            name: {
                "url": request.build_absolute_uri(reverse("api:export", args=[name])),
                "content_type": download.content_type,
                "description": download.description,
            }
            for name, download in DOWNLOADS.items()
        }
    )


@extend_schema(
    operation_id="export_download",
    summary="Download the whole registry",
    description="Streamed; named after the day it was made (or the as-of date). "
    + " ".join(f"`{name}`: {download.description}" for name, download in DOWNLOADS.items()),
    parameters=[AS_OF],
    responses={
        (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="the JSON downloads"),
        (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="registry.zip"),
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="country-year.csv"),
        400: OpenApiResponse(description="A bad as_of"),
    },
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
@renderer_classes([JSONRenderer, BrowsableAPIRenderer, DownloadRenderer])
def export(request, name):
    try:
        day = _as_of(request)
    except ValidationError:
        # The error in JSON, even when ?format=download chose the file's renderer.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        raise
    download = DOWNLOADS[name]
    chunks = download.stream(day, base_url=request.build_absolute_uri("/"))
    response = StreamingHttpResponse(chunks, content_type=download.http_content_type)
    filename = download.attachment_name(day or timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
