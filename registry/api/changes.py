"""The change feed: GET /api/changes/ lists every recorded change in commit order; a consumer
polls with ?after=<the last sequence it saw> and never misses a change nor sees one twice."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, pagination, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .. import filtersets as f
from .. import models as m
from ..feed import change_entries
from .mixins import CachedReadMixin
from .serializers.history import ChangeSerializer

PAGE_SIZE, MAX_PAGE_SIZE = 100, 1000


class AfterPagination(pagination.BasePagination):
    """?after=<sequence>&page_size=: the changes numbered after it, oldest first. `next` is the
    same query after the page's last sequence; at the end of the feed it is null, and a consumer
    polls again later with the last sequence it saw."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        after = request.query_params.get("after", "0").strip() or "0"
        size = request.query_params.get("page_size", str(PAGE_SIZE)).strip()
        errors = {}
        if not after.isdigit() or int(after) > 2**63 - 1:
            errors["after"] = ["A sequence number (a whole number, 0 for the beginning)."]
        if not size.isdigit() or not 1 <= int(size) <= MAX_PAGE_SIZE:
            errors["page_size"] = [f"A whole number from 1 to {MAX_PAGE_SIZE}."]
        if errors:
            raise ValidationError(errors)
        self.after, self.size = int(after), int(size)
        page = list(queryset.filter(sequence__gt=self.after).order_by("sequence")[: self.size + 1])
        self.has_more = len(page) > self.size
        self.page = page[: self.size]
        return self.page

    def get_paginated_response(self, data):
        last = self.page[-1].sequence if self.page else self.after
        url = self.request.build_absolute_uri()
        following = replace_query_param(url, "after", last) if self.has_more else None
        return Response({"last_sequence": last, "next": following, "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["last_sequence", "next", "results"],
            "properties": {
                "last_sequence": {"type": "integer", "description": "Poll again with ?after= this."},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "after",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 0},
                "description": "The last sequence seen: the changes after it.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


class ChangeEntrySerializer(serializers.Serializer):
    """An entry of the change feed (registry/feed.py builds it, for the API and the webhooks alike);
    the fields below describe it in the schema."""

    sequence = serializers.IntegerField(help_text="Only increases, never repeats: commit order.")
    time = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=m.ChangeAction.choices)
    resource = serializers.CharField()
    key = serializers.CharField(
        help_text="How the API names the record: a slug, a source's symbol (or slug), an account's "
        "source, else the id."
    )
    url = serializers.URLField(allow_null=True, help_text="The record in the API; null once deleted.")
    process = serializers.CharField(allow_null=True, help_text="The slug of the process it belongs to.")
    label = serializers.CharField(help_text="The record named as a person reads it.")
    record = serializers.JSONField(
        allow_null=True,
        help_text="The record as the change left it (before a deletion): its fields, links by their "
        "keys; a citation's `fact` gives the resource, key and address of the fact it cites.",
    )
    changes = ChangeSerializer(many=True)
    reason = serializers.CharField()
    user = serializers.CharField(allow_null=True, help_text="Signed-in staff only.")

    def to_representation(self, entry):
        return entry


@extend_schema(
    summary="The change feed",
    description="Every recorded change to a registry record (created, updated, deleted; in the admin, "
    "the API, an import, the seed or an account recorded), in commit order. Poll with `?after=` the "
    "`last_sequence` of the previous answer. `changes` gives each field before and after.",
    parameters=[
        OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes at or after this time.")
    ],
)
class ChangeViewSet(CachedReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ChangeEntrySerializer
    pagination_class = AfterPagination
    filterset_class = f.ChangeFilterSet
    queryset = m.Change.objects.select_related("user")
    http_method_names = ["get", "head", "options"]

    def cache_variant(self, request) -> str:
        return " staff" if request.user.is_staff else ""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        entries = change_entries(page, self.request.build_absolute_uri)
        staff = self.request.user.is_staff
        for entry, change in zip(entries, page, strict=True):
            entry["user"] = change.user.get_username() if staff and change.user else None
        return entries
