"""The change feed: GET /api/changes/ lists every recorded change in commit order; a consumer
polls with ?after=<the last sequence it saw> and never misses a change nor sees one twice."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, pagination, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .. import filtersets as f
from .. import models as m
from ..history import feed_entries
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
    sequence = serializers.IntegerField(help_text="Only increases, never repeats: commit order.")
    time = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=m.ChangeAction.choices)
    resource = serializers.CharField()
    key = serializers.CharField()
    url = serializers.SerializerMethodField()
    process = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()
    reason = serializers.CharField()
    user = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, change):
        path = change.api_path()
        request = self.context.get("request")
        return (request.build_absolute_uri(path) if request else path) if path else None

    @extend_schema_field({"type": "string", "nullable": True, "description": "The process's slug."})
    def get_process(self, change):
        return self.context["process_slugs"].get(change.process_id)

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, change):
        return [{"field": name, "old": old, "new": new} for name, old, new in change.delta]

    @extend_schema_field({"type": "string", "nullable": True, "description": "Signed-in staff only."})
    def get_user(self, change):
        request = self.context.get("request")
        if request is None or not request.user.is_staff or change.user is None:
            return None
        return change.user.get_username()


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
        feed_entries(page)
        ids = {change.process_id for change in page if change.process_id}
        self.process_slugs = (
            dict(m.Process.objects.filter(pk__in=ids).values_list("pk", "slug")) if ids else {}
        )
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "process_slugs": getattr(self, "process_slugs", {})}
