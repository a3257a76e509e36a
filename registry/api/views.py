"""The API's viewsets: one per resource, all alike (see RegistryViewSet): filters from the shared
filtersets, ETags and If-Match on objects, the object's history, and querysets that load a page
of any size in a constant number of queries."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.urls import reverse as django_reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, routers, status, viewsets
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.reverse import reverse

from .. import filtersets as f
from .. import local_names
from .. import models as m
from ..models.changes import resource_of
from . import serializers as s
from .accounts import AccountsMixin
from .mixins import CachedReadMixin, ConditionalWriteMixin, HistoryMixin


class CanViewHistory(permissions.DjangoModelPermissions):
    """The history names the staff who made each change: signed-in users with the model's view
    permission (Viewers and Curators) read it."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class Gone(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "Deleted."
    default_code = "gone"


class RegistryViewSet(CachedReadMixin, ConditionalWriteMixin, HistoryMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    # Other fields an object may be addressed by in its URL (a source's slug, a state's ISO code).
    lookup_alternatives: tuple[str, ...] = ()

    def get_object(self):
        try:
            return self._get_object()
        except Http404:
            self._refuse_if_deleted()
            raise

    def _refuse_if_deleted(self):
        """An address of a record that was deleted answers 410 Gone, saying when and why, with the
        change feed of what it belonged to: an address ever handed out never becomes a bare 404."""
        model = self.get_queryset().model._meta.concrete_model
        key = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        field = "id" if self.lookup_field == "pk" else self.lookup_field
        if field == "id" and not str(key).isdigit():
            return
        deleted = model.history.filter(**{field: key}).order_by("-history_id").first()
        if deleted is None or deleted.history_type != "-":
            return
        process = getattr(deleted, "process_id", None)
        feed = django_reverse("api:change-list")
        query = {"resource": resource_of(model._meta.model_name, deleted)}
        if process is not None:
            slugs = m.Process.objects.filter(pk=process).values_list("slug", flat=True)
            query["process"] = slugs.first() or ""
        raise Gone(
            {
                "detail": f"Deleted on {deleted.history_date:%Y-%m-%d}.",
                "deleted": deleted.history_date.isoformat(),
                "reason": deleted.history_change_reason or "",
                "changes": self.request.build_absolute_uri(f"{feed}?{urlencode(query)}"),
            }
        )

    def _get_object(self):
        if not self.lookup_alternatives:
            return super().get_object()
        key = self.kwargs[self.lookup_field]
        wanted = Q(**{self.lookup_field: key})
        for name in self.lookup_alternatives:
            wanted |= Q(**{name: key.upper() if name == "iso_code" else key})
        instance = get_object_or_404(self.filter_queryset(self.get_queryset()), wanted)
        self.check_object_permissions(self.request, instance)
        return instance

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        error = local_names.lang_parameter_error(request)
        if error:
            raise ValidationError({local_names.LANG_PARAMETER: [error]})

    def get_permissions(self):
        if self.action == "history":
            return [CanViewHistory()]
        return super().get_permissions()


LANG = OpenApiParameter(
    local_names.LANG_PARAMETER,
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description="Names of processes and participants in this language, as `local_name` (without it, "
    "the language of Accept-Language or the language cookie when sent; otherwise `local_name` is null). "
    "The other fields do not change: codes and the registry's English names.",
)


def documented(resource: str, key: str = "slug"):
    """Summaries of the standard operations of one resource, for the OpenAPI description."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {resource}",
            description=f"Filtered, ordered and paginated {resource}.",
            parameters=[LANG],
        ),
        retrieve=extend_schema(
            summary=f"One of the {resource}, by {key}", description="Sends an ETag.", parameters=[LANG]
        ),
        create=extend_schema(summary=f"Add to the {resource} (Curator)"),
        update=extend_schema(summary="Replace (Curator); If-Match makes it conditional"),
        partial_update=extend_schema(summary="Change some fields (Curator); If-Match makes it conditional"),
        destroy=extend_schema(summary="Delete (Curator); If-Match makes it conditional"),
    )


@documented("processes")
class ProcessViewSet(AccountsMixin, RegistryViewSet):
    example_key = "bali-process"  # for the OpenAPI description
    serializer_class = s.ProcessSerializer
    filterset_class = f.ProcessFilterSet
    queryset = m.Process.objects.prefetch_related(
        "aliases", "former_slug_records", m.accounts(cited=False), *m.LINEAGE
    )

    def get_serializer(self, *args, **kwargs):
        """The processes to serialize with the citations of each, of its names and of its accounts,
        read in one query (attach_citations) where CITATIONS would read them in three."""
        if args and args[0] is not None:
            processes = list(args[0]) if kwargs.get("many") else [args[0]]
            m.attach_citations(
                processes,
                *(process.aliases.all() for process in processes),
                *(process.accounts.all() for process in processes),
            )
        return super().get_serializer(*args, **kwargs)


@documented("states and territories")
class StateViewSet(RegistryViewSet):
    example_key = "new-zealand"  # for the OpenAPI description
    lookup_alternatives = ("iso_code",)
    serializer_class = s.StateSerializer
    filterset_class = f.StateFilterSet
    queryset = m.State.objects.prefetch_related(m.participant_aliases(), m.CITATIONS, "former_slug_records")


@extend_schema(exclude=True)
class LegacyParticipantViewSet(StateViewSet):
    """/api/participants/: the states and territories at the URL they had before /api/states/
    (organizations are participants too, at /api/organizations/). Kept for existing clients;
    its answers point to the new URL (RFC 9745's Deprecation header and a successor Link)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = "true"
        successor = reverse("api:state-list", request=request)
        response["Link"] = f'<{successor}>; rel="successor-version"'
        return response


@documented("organizations")
class OrganizationViewSet(RegistryViewSet):
    example_key = "unhcr"  # for the OpenAPI description
    serializer_class = s.OrganizationSerializer
    filterset_class = f.OrganizationFilterSet
    queryset = m.Organization.objects.select_related("process").prefetch_related(
        m.participant_aliases(), m.CITATIONS, "former_slug_records"
    )


@documented("participations", key="id")
class ParticipationViewSet(RegistryViewSet):
    example_key = "1"  # for the OpenAPI description
    lookup_field = "pk"
    serializer_class = s.ParticipationSerializer
    filterset_class = f.ParticipationFilterSet
    # By default in the order of the (process, role, position) index, not by the process's name:
    # a page of 200,000 rows then needs no sort of them all (?ordering= sorts by name).
    queryset = (
        m.Participation.objects.select_related("process", "participant", "account__source")
        .prefetch_related(m.CITATIONS)
        .order_by("process_id", "role", "position", "pk")
    )


@documented("IOM roles", key="id")
class IomRoleViewSet(RegistryViewSet):
    example_key = "1"  # for the OpenAPI description
    lookup_field = "pk"
    serializer_class = s.IomRoleSerializer
    filterset_class = f.IomRoleFilterSet
    queryset = m.IomRole.objects.select_related("process", "account__source").prefetch_related(
        "offices", m.CITATIONS
    )


@documented("IOM offices")
class IomOfficeViewSet(RegistryViewSet):
    example_key = "mrf-bangkok"  # for the OpenAPI description
    serializer_class = s.IomOfficeSerializer
    filterset_class = f.IomOfficeFilterSet
    queryset = m.IomOffice.objects.select_related("country").prefetch_related(
        Prefetch("aliases", queryset=m.IomOfficeAlias.objects.prefetch_related(m.CITATIONS)), m.CITATIONS
    )


@documented("events and outputs")
class EventViewSet(RegistryViewSet):
    example_key = "bali-process-bali-process-web-site"  # for the OpenAPI description
    serializer_class = s.EventSerializer
    filterset_class = f.EventFilterSet
    queryset = m.Event.objects.select_related("process").prefetch_related("organizers", m.CITATIONS)


@documented("regions (each source's own headings)")
class RegionViewSet(RegistryViewSet):
    example_key = "scpf-30-africa"  # for the OpenAPI description
    serializer_class = s.RegionSerializer
    filterset_class = f.RegionFilterSet
    queryset = m.Region.objects.select_related("source").prefetch_related(m.CITATIONS)


@documented("source documents", key="symbol (or slug)")
class SourceDocumentViewSet(RegistryViewSet):
    example_key = "SCPF/30"  # for the OpenAPI description
    lookup_field = "symbol"
    # Symbols contain slashes; the pattern keeps ".../history/" out of them. Slugs work too.
    lookup_value_regex = m.SYMBOL_PATTERN
    lookup_alternatives = ("slug",)
    serializer_class = s.SourceDocumentSerializer
    filterset_class = f.SourceDocumentFilterSet
    queryset = m.SourceDocument.objects.prefetch_related("former_slug_records")


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([permissions.AllowAny])
@throttle_classes([])
def not_found(request, *args, **kwargs):
    """A JSON 404 for any other address under /api/; an address missing only its final slash
    (/api/participations) is redirected to it, as Django's APPEND_SLASH does for pages (308 for a
    write, so that the method and body are kept)."""
    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + (f"?{query}" if query else "")
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(target)
            response = HttpResponsePermanentRedirect(target)
            response.status_code = 308
            return response
    raise NotFound("No such resource or object in the API; see /api/ and /api/docs/.")


class RegistryRootView(routers.APIRootView):
    """The RCP Registry's API: the Regional Consultative Processes on Migration, who takes part in
    them and since when, IOM's role, events and the sources every fact cites. Each resource below
    lists its records (filters, pages, ?changed_since=); `changes` is the feed of every change,
    `export` the whole registry as open data, `reconcile` the W3C reconciliation service, `docs`
    the documentation of every endpoint."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        for name, url_name in (
            ("changes", "api:change-list"),
            ("export", "api:export_index"),
            ("reconcile", "api:reconcile"),
            ("schema", "api:schema"),
            ("docs", "api:docs"),
        ):
            response.data[name] = reverse(url_name, request=request)
        return response
