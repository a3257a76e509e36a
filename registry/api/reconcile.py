"""The W3C Entity Reconciliation API, version 0.2 (the protocol OpenRefine speaks), at
/api/reconcile/: match a list of names against the registry's processes, states and
organizations (docs/api.md#reconciliation).

- GET /api/reconcile/ — the service manifest; with ?queries=<batch> (GET) or queries=<batch>
  (POST form) — the candidates for each query of the batch.
- /api/reconcile/suggest/{entity,property,type}/?prefix=&cursor= — auto-completion.
- /api/reconcile/preview/?id= — a small HTML summary, for an iframe; /api/reconcile/view/?id= —
  the record's page.

Public and anonymous (no session, so no CSRF token is needed to POST a batch), open to every
origin (CORS, as the protocol requires), answered from the registry's cache like other reads.
The matching itself is the index's (registry/models/reconciliation.py).
"""

import hashlib
import json
import math

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from .. import models as m
from ..local_names import reconciliation_index
from ..serving.cache import per_current_request, remember
from .mixins import cache_marked
from .renderers import JsonForAnyClient

MAX_QUERIES = 100  # per batch (the manifest's batchSize); more is refused with 400
MAX_CANDIDATES = 25  # per query, whatever its limit asks
DEFAULT_CANDIDATES = 5
MAX_QUERY_LENGTH = 500
SUGGEST_PAGE = 10
QUERY_FIELDS = {"query", "type", "limit", "properties", "type_strict"}
PREVIEW_SIZE = {"width": 420, "height": 180}
IDENTIFIER_SPACE = "urn:rcp-registry:entity"  # like the feeds' ids: the same wherever served
SCHEMA_SPACE = "urn:rcp-registry:schema"


def members_of(processes: frozenset) -> frozenset:
    """The members of these processes, read once per request however many queries ask."""
    return per_current_request(
        ("members-of", processes), lambda: reconciliation_index().members_of(processes)
    )


class BadBatch(Exception):
    def __init__(self, errors):
        self.errors = errors


def json_response(data, status_code=200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), status=status_code, content_type="application/json"
    )


# Reading a batch ---------------------------------------------------------------------------------


def read_batch(raw: str) -> dict:
    """The batch as JSON, or BadBatch with the `queries` parameter's message."""
    try:
        batch = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BadBatch({"queries": [_("Not valid JSON: %(error)s.") % {"error": error}]}) from None
    if not isinstance(batch, dict):
        raise BadBatch({"queries": [_('A JSON object of queries by key: {"q0": {"query": "Austria"}}.')]})
    if len(batch) > MAX_QUERIES:
        message = _("At most %(max)d queries in a batch (this one has %(n)d): send them in several batches.")
        raise BadBatch({"queries": [message % {"max": MAX_QUERIES, "n": len(batch)}]})
    errors, queries = {}, {}
    for key, query in batch.items():
        try:
            queries[key] = read_query(query)
        except BadBatch as bad:
            errors[key] = bad.errors
    if errors:
        raise BadBatch({"queries": errors})
    return queries


def read_query(query) -> dict:
    """One query checked field by field (the specification's query schema, with messages)."""
    if not isinstance(query, dict):
        raise BadBatch({"non_field_errors": [_('A query is an object: {"query": "Austria"}.')]})
    errors = {}
    for name in sorted(set(query) - QUERY_FIELDS):
        errors[name] = [_("Unknown field; a query has query, type, limit, properties and type_strict.")]
    text = query.get("query")
    if text is not None and (not isinstance(text, str) or not text.strip()):
        errors["query"] = [_("A name to look for (a string that is not empty).")]
    elif text is not None and len(text) > MAX_QUERY_LENGTH:
        errors["query"] = [_("At most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}]
    types = query.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or any(not isinstance(t, str) or t not in m.ENTITY_TYPES for t in types):
        errors["type"] = [
            _("A type or a list of types among: %(types)s.") % {"types": ", ".join(m.ENTITY_TYPES)}
        ]
    limit = query.get("limit", DEFAULT_CANDIDATES)
    if not is_count(limit):
        errors["limit"] = [_("A whole number of candidates, 1 or more.")]
    if query.get("type_strict", "any") not in ("any", "should", "all"):
        errors["type_strict"] = [_("One of any, should, all.")]
    try:
        conditions = read_properties(query.get("properties", []))
    except BadBatch as bad:
        errors["properties"] = bad.errors
        conditions = []
    if text is None and not conditions and "properties" not in errors:
        errors["non_field_errors"] = [_("A query needs a name (query) or property conditions (properties).")]
    if errors:
        raise BadBatch(errors)
    return {
        "query": (text or "").strip(),
        "types": tuple(sorted(set(types))),
        "limit": int(min(limit, MAX_CANDIDATES)),
        "conditions": conditions,
    }


def is_count(value) -> bool:
    """A whole number, 1 or more (3.0 too: JSON does not tell integers apart)."""
    number = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return number and value >= 1 and value == int(value)


def read_properties(properties) -> list[tuple[str, frozenset]]:
    if not isinstance(properties, list):
        raise BadBatch([_('A list of conditions: [{"pid": "iso_code", "v": "AT"}].')])
    conditions = []
    for condition in properties:
        pid = condition.get("pid") if isinstance(condition, dict) else None
        if not isinstance(pid, str) or pid not in m.PROPERTIES or "v" not in condition:
            message = _("Each condition is {pid, v} with pid among: %(properties)s.")
            raise BadBatch([message % {"properties": ", ".join(m.PROPERTIES)}])
        values = condition["v"] if isinstance(condition["v"], list) else [condition["v"]]
        texts = []
        for value in values:
            value = value.get("id") if isinstance(value, dict) else value
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise BadBatch([_("%(pid)s: a value is a string or an object with an id.") % {"pid": pid}])
            texts.append(str(value).strip())
        if pid == "iso_code":
            conditions.append((pid, frozenset(t.upper() for t in texts)))
        else:  # member_of: the members of the processes the values name (none: no record satisfies it)
            processes = frozenset().union(*(reconciliation_index().processes_named(t) for t in texts))
            conditions.append((pid, members_of(processes)))
    return conditions


# Answers -----------------------------------------------------------------------------------------


def entity_types(entity: m.Entity) -> list[dict]:
    return [{"id": entity.type, "name": str(m.ENTITY_TYPES[entity.type])}]


def description(entity: m.Entity) -> str:
    return " · ".join(filter(None, [str(entity.kind), entity.detail]))


def candidate(scored: m.Scored) -> dict:
    features = [{"id": "name", "value": scored.score}] if scored.matched else []
    features += [{"id": pid, "value": held} for pid, held in scored.conditions.items()]
    return {
        "id": scored.entity.id,
        "name": scored.entity.name,
        "description": description(scored.entity),
        "score": scored.score,
        "match": scored.match,
        "type": entity_types(scored.entity),
        "features": features,
    }


def results(queries: dict) -> dict:
    found = reconciliation_index()
    return {
        key: {
            "result": [
                candidate(s) for s in found.reconcile(q["query"], q["types"], q["conditions"], q["limit"])
            ]
        }
        for key, q in queries.items()
    }


def entity_page(entity: m.Entity) -> str:
    return reverse(f"registry:{entity.type}_detail", args=[entity.slug])


def manifest(request) -> dict:
    base = request.build_absolute_uri("/").rstrip("/")
    here = reverse("api:reconcile")
    return {
        "versions": ["0.2"],
        "name": _("RCP Registry: Regional Consultative Processes on Migration"),
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": base + reverse("api:docs"),
        "batchSize": MAX_QUERIES,
        "defaultTypes": [{"id": key, "name": str(name)} for key, name in m.ENTITY_TYPES.items()],
        "view": {"url": f"{base}{here}view/?id={{{{id}}}}"},
        "preview": {"url": f"{base}{here}preview/?id={{{{id}}}}", **PREVIEW_SIZE},
        "suggest": {
            kind: {"service_url": base, "service_path": f"{here}suggest/{kind}/"}
            for kind in ("entity", "property", "type")
        },
    }


class ReconciliationView(APIView):
    """Public, anonymous and cached; its answers are plain JSON in the protocol's shapes."""

    answers_from_cache = True  # whole, before DRF runs (api/middleware.py)
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonForAnyClient
    parser_classes = [FormParser, MultiPartParser]

    def cached(self, request, kind: str, build, read=False):
        try:
            content, hit = remember(request, kind, lambda: json.dumps(build(), ensure_ascii=False), read=read)
        except BadBatch as bad:
            return json_response(bad.errors, status.HTTP_400_BAD_REQUEST)
        return cache_marked(HttpResponse(content, content_type="application/json"), hit)


batch_parameter = OpenApiParameter(
    "queries",
    OpenApiTypes.STR,
    description='A reconciliation query batch as JSON: {"q0": {"query": "Laos PDR", "type": "state"}}. '
    f"At most {MAX_QUERIES} queries.",
)


class ReconcileView(ReconciliationView):
    @extend_schema(
        operation_id="reconcile",
        summary="Reconciliation service: the manifest, or the candidates of a batch of queries",
        parameters=[batch_parameter],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["reconciliation"],
    )
    def get(self, request):
        if "queries" not in request.query_params:
            return self.cached(request, "reconcile-manifest", lambda: manifest(request))
        return self.answer(request, request.query_params["queries"])

    @extend_schema(
        operation_id="reconcile_batch",
        summary="Reconciliation service: the candidates of a batch of queries (form field `queries`)",
        request={
            "application/x-www-form-urlencoded": {
                "type": "object",
                "properties": {"queries": {"type": "string"}},
            }
        },
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["reconciliation"],
    )
    def post(self, request):
        if "queries" not in request.data:
            errors = {"queries": [_("The batch of queries, as JSON, in the form field `queries`.")]}
            if "extend" in request.data:
                errors = {"extend": [_("This service offers no data extension.")]}
            return json_response(errors, status.HTTP_400_BAD_REQUEST)
        return self.answer(request, request.data["queries"])

    def answer(self, request, raw: str):
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return self.cached(request, f"reconcile {digest}", lambda: results(read_batch(raw)), read=True)


class SuggestView(ReconciliationView):
    """Auto-completion of entities, properties or types by a prefix of their names."""

    kind = "entity"

    @extend_schema(
        summary="Reconciliation service: suggestions for a prefix",
        parameters=[
            OpenApiParameter("prefix", OpenApiTypes.STR, required=True),
            OpenApiParameter("cursor", OpenApiTypes.INT, description="How many suggestions to skip."),
            OpenApiParameter("type", OpenApiTypes.STR, description="Entities: only of this type."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        tags=["reconciliation"],
    )
    def get(self, request):
        return self.cached(request, f"reconcile-suggest-{self.kind}", lambda: self.suggestions(request))

    def suggestions(self, request) -> dict:
        prefix = request.query_params.get("prefix", "")
        cursor = request.query_params.get("cursor", "0").strip() or "0"
        wanted = request.query_params.get("type", "").strip()
        errors = {}
        if len(prefix) > MAX_QUERY_LENGTH:
            errors["prefix"] = [_("At most %(n)d characters.") % {"n": MAX_QUERY_LENGTH}]
        if not cursor.isdigit() or int(cursor) > 10**6:
            errors["cursor"] = [_("How many suggestions to skip: a whole number, 0 or more.")]
        if wanted and wanted not in m.ENTITY_TYPES:
            errors["type"] = [_("One of: %(types)s.") % {"types": ", ".join(m.ENTITY_TYPES)}]
        if errors:
            raise BadBatch(errors)
        start = int(cursor)
        if self.kind == "entity":
            entities, _more = reconciliation_index().suggest(
                prefix, (wanted,) if wanted else (), start, SUGGEST_PAGE
            )
            return {
                "result": [
                    {"id": e.id, "name": e.name, "description": description(e), "notable": entity_types(e)}
                    for e in entities
                ]
            }
        known = (
            {key: (label, help_text) for key, (label, help_text) in m.PROPERTIES.items()}
            if self.kind == "property"
            else {key: (name, "") for key, name in m.ENTITY_TYPES.items()}
        )
        needle = prefix.strip().casefold()
        found = [
            {"id": key, "name": str(name), **({"description": str(text)} if text else {})}
            for key, (name, text) in known.items()
            if not needle
            or key.startswith(needle)
            or any(w.startswith(needle) for w in str(name).casefold().split())
        ]
        return {"result": found[start : start + SUGGEST_PAGE]}


def requested_entity(request) -> m.Entity:
    entity = reconciliation_index().entity(request.GET.get("id", "").strip())
    if entity is None:
        raise Http404(_("No process, state or organization has this identifier."))
    return entity


# Shown inside another site's page (OpenRefine's): framing allowed, nothing else loosened.
@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="get")
class PreviewView(ReconciliationView):
    """The record in a few lines, for the iframe OpenRefine shows beside a candidate."""

    @extend_schema(
        summary="Reconciliation service: an HTML preview of a record",
        parameters=[OpenApiParameter("id", OpenApiTypes.STR, required=True)],
        responses={(200, "text/html"): OpenApiTypes.STR},
        tags=["reconciliation"],
    )
    def get(self, request):
        entity = requested_entity(request)
        processes = reconciliation_index().processes_of(entity)
        return render(
            request,
            "registry/reconcile_preview.html",
            {
                "entity": entity,
                "type_name": m.ENTITY_TYPES[entity.type],
                "description": description(entity),
                "page": request.build_absolute_uri(entity_page(entity)),
                "processes": processes,
            },
        )


class EntityPageView(ReconciliationView):
    """The manifest's view template: an identifier's public page."""

    @extend_schema(
        summary="Reconciliation service: the page of a record",
        parameters=[OpenApiParameter("id", OpenApiTypes.STR, required=True)],
        responses={302: None},
        tags=["reconciliation"],
    )
    def get(self, request):
        return redirect(entity_page(requested_entity(request)))
