"""The OpenAPI description (drf-spectacular): every operation also documents the errors it can
answer with, and fields whose request and response shapes differ are described in both."""

import re

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "A list of messages per field (nested for citations); `non_field_errors` for the "
    "record as a whole.",
    "additionalProperties": {},
}
CONFLICT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "dependent": {"type": "array", "items": {"type": "string"}},
        "dependent_count": {"type": "integer"},
    },
    "required": ["detail"],
}
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The object's current ETag."}}
LOCATION_HEADER = {"Location": {"schema": {"type": "string"}, "description": "The address now."}}
# Addresses under a slug that a rename may leave behind (models/slugs.py): they redirect.
RENAMABLE = re.compile(r"^/api/(processes|states|organizations|participants|sources)/\{")


class AutoSchema(openapi.AutoSchema):
    def _error(self, schema, description):
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method, detail = self.method, not self._is_list_view() and "{" in self.path
        is_history = self.path.endswith("/history/")
        if method in ("POST", "PUT", "PATCH"):
            responses["400"] = self._error(FIELD_ERRORS, "Invalid data: the messages per field.")
            responses["415"] = self._error(
                DETAIL, "The body is not JSON, a form or multipart, or cannot be read as one."
            )
            responses["413"] = self._error(DETAIL, "The body is larger than the limit (2.5 MB).")
        elif method == "GET" and not detail:
            responses["400"] = self._error(FIELD_ERRORS, "Invalid filter values: the messages per parameter.")
        elif method == "GET" and not is_history:
            responses["400"] = self._error(
                FIELD_ERRORS, "Invalid parameter (lang): the messages per parameter."
            )
        if method != "GET" or is_history:
            responses["401"] = self._error(DETAIL, "Authentication needed (token or session).")
            responses["403"] = self._error(DETAIL, "The user lacks the permission.")
        if detail or is_history:
            responses["404"] = self._error(DETAIL, "No such object.")
            responses["410"] = self._error(DETAIL, "The object was deleted: when, why, and the change feed.")
        elif method == "GET":
            responses["404"] = self._error(DETAIL, "No such page (?page= beyond the last).")
        if RENAMABLE.match(self.path):
            moved = "The slug was renamed: the same address under the record's slug now (Location)"
            if method == "GET":
                responses["301"] = {"description": f"{moved}."}
            else:
                responses["308"] = {"description": f"{moved}; send the request again there."}
        if method in ("PUT", "PATCH", "DELETE"):
            responses["412"] = self._error(DETAIL, "If-Match no longer matches the object's ETag.")
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            responses["409"] = self._error(CONFLICT, "Other records depend on it, or a concurrent write.")
        if method == "GET" and detail and not is_history:
            responses["304"] = {"description": "Not modified (If-None-Match matches the ETag)."}
        responses["429"] = self._error(DETAIL, "Too many requests: wait (see Retry-After).")
        return responses

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code in ("301", "308"):
            return {**(headers or {}), **LOCATION_HEADER}
        is_object = "{" in self.path and not self.path.endswith("/history/") and self.method != "DELETE"
        if is_object and status_code in ("200", "201", "304"):
            headers = {**(headers or {}), **ETAG_HEADER}
        return headers

    def get_auth(self):
        """Reads need no authentication (the history excepted): say so, with an empty requirement
        beside the token and the session."""
        auth = super().get_auth()
        if self.method == "GET" and not self.path.endswith("/history/") and {} not in auth:
            auth = [*auth, {}]
        return auth

    def get_override_parameters(self):
        from drf_spectacular.utils import OpenApiExample, OpenApiParameter

        parameters = list(super().get_override_parameters())
        example = getattr(self.view, "example_key", None)
        path_keys = re.findall(r"{(\w+)}", self.path)
        if example and path_keys:
            # A real key as the path parameter's example: documentation readers and the
            # schemathesis run (its "examples" phase) reach a stored object, not only 404s. Named
            # as the path names it (drf-spectacular writes a "pk" lookup as "id").
            parameters.append(
                OpenApiParameter(
                    path_keys[0],
                    OpenApiTypes.INT if example.isdigit() else OpenApiTypes.STR,
                    OpenApiParameter.PATH,
                    examples=[
                        OpenApiExample("example", value=int(example) if example.isdigit() else example)
                    ],
                )
            )
        if self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The ETag you read; the write fails with 412 if the object changed since.",
                )
            )
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "X-Change-Reason",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="Why (kept in the object's history, at most 100 characters).",
                )
            )
        return parameters


class ParticipantFieldExtension(OpenApiSerializerFieldExtension):
    """`participant`: a slug in requests, the participant's brief record in responses."""

    target_class = "registry.api.fields.ParticipantField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            schema = build_basic_type(OpenApiTypes.STR)
            schema["description"] = "The participant's slug."
            return schema
        # Imported here: settings name this module, which is read before the models are ready.
        from .fields import ParticipantBriefSerializer

        return auto_schema.resolve_serializer(ParticipantBriefSerializer, direction).ref
