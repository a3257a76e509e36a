"""A process's accounts in the API: GET /api/processes/{slug}/accounts/ lists them, POST records a
new one as a whole (a dry run answers with the preview), and /accounts/{source}/ reads or, with
PUT, replaces one. The rules are registry.models.recording's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import models as m
from ..permissions import RECORDING_PERMISSIONS
from . import serializers as s


class CanRecordAccounts(permissions.BasePermission):
    """Anyone reads; recording an account writes accounts, participations, participants, aliases
    and citations: the Curators' permissions."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.has_perms(RECORDING_PERMISSIONS))


EXAMPLE = {
    "source": "budapest-process-ministerial-declaration-2024",
    "locator": "para. 3",
    "lists": {"member": ["Albania", "Austria", "Laos PDR", "the USA"], "observer": ["UNHCR"]},
    "stated_totals": {"member": 52},
    "chair": {"participant": "Türkiye", "start": "2024-06"},
    "resolutions": {"Kosovo": {"name": "Kosovo", "kind": "territory", "iso_code": "XK"}},
    "dry_run": True,
}

RECORD_RESPONSES = {
    200: OpenApiResponse(s.AccountPreviewSerializer, description="dry_run: what the account would change."),
    201: OpenApiResponse(s.RecordedAccountSerializer, description="Recorded."),
    400: OpenApiResponse(
        description="Field messages; `unresolved` lists each name that did not resolve with its candidates."
    ),
    409: OpenApiResponse(description="The source already has an account of the process: PUT replaces it."),
}
RECORD_DESCRIPTION = (
    "The lists of a document (“the conference was attended by …”) by role, with the names as it "
    "writes them: resolved by the registry's names, aliases, ISO codes and French and Spanish names. "
    "A name that does not resolve, or resolves to several participants, is listed under `unresolved` "
    "with its ranked candidates; say who it is in `resolutions` (a slug, or the fields of a participant "
    "to create). The preview compares with the account in force on the source's date: `joined`, "
    "`left`, `changed` (roles), `unchanged`. Recorded in one transaction with one history reason."
)


class AccountsMixin:
    # ProcessViewSet's accounts actions. (No docstring: the schema would take it for the
    # description of every process operation.)

    def get_permissions(self):
        if self.action in ("accounts", "account"):
            return [CanRecordAccounts()]
        return super().get_permissions()

    def get_serializer_class(self):
        # What the browsable API's form for POST and PUT shows (the answers are written below).
        if self.action in ("accounts", "account"):
            return s.AccountRecordingSerializer
        return super().get_serializer_class()

    def _accounts(self, process):
        return (
            m.ProcessAccount.objects.filter(process=process)
            .prefetch_related(
                Prefetch("stated_totals", m.stated_totals_with_listed()), "priorities", m.CITATIONS
            )
            .select_related("process", "source", "region__source")
        )

    def _record(self, request, process, replacing=None):
        data = request.data
        if replacing is not None and hasattr(data, "copy"):
            data = data.copy()
            data.setdefault("source", replacing.source.key)
        serializer = s.AccountRecordingSerializer(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if replacing is not None and serializer.validated_data["source"] != replacing.source:
            return Response(
                {
                    "source": [
                        "The source is the account's own (its URL); another source makes another account."
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        draft = serializer.draft(process, replacing=replacing)
        preview = draft.preview()
        if replacing is None and preview.existing is not None:
            url = s.account_url(preview.existing, request)
            return Response(
                {
                    "detail": "This source already has an account of this process; PUT on it replaces it.",
                    "account": url,
                },
                status=status.HTTP_409_CONFLICT,
            )
        context = self.get_serializer_context()
        if preview.errors:
            return Response(
                {**preview.errors, "unresolved": s.unresolved_data(preview, context)},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if serializer.validated_data["dry_run"]:
            return Response(s.preview_data(preview, context))
        if preview.unresolved:
            return Response(
                {
                    "detail": "Some names did not resolve; say who they are in `resolutions`.",
                    "unresolved": s.unresolved_data(preview, context),
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            account = draft.apply(user=request.user)
        except DjangoValidationError as error:  # a rule the preview could not see (a concurrent write)
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        account = self._accounts(process).get(pk=account.pk)
        data = s.RecordedAccountSerializer(account, context=context).data
        code = status.HTTP_200_OK if replacing else status.HTTP_201_CREATED
        return Response(data, status=code, headers={"Location": str(data["url"])})

    @extend_schema(
        methods=["GET"],
        summary="A process's accounts, one per source",
        responses=s.RecordedAccountSerializer(many=True),
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a new account of the process (Curator)",
        description=RECORD_DESCRIPTION,
        request=s.AccountRecordingSerializer,
        responses=RECORD_RESPONSES,
        examples=[OpenApiExample("a dry run", value=EXAMPLE, request_only=True)],
        filters=False,
    )
    @action(
        detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None, url_path="accounts"
    )
    def accounts(self, request, *args, **kwargs):
        process = self.get_object()
        if request.method == "POST":
            return self._record(request, process)
        serializer = s.RecordedAccountSerializer(
            self._accounts(process).order_by("source__as_of"),
            many=True,
            context=self.get_serializer_context(),
        )
        return Response(serializer.data)

    @extend_schema(
        methods=["GET"], summary="One account of the process", responses=s.RecordedAccountSerializer
    )
    @extend_schema(
        methods=["PUT"],
        summary="Replace an account's lists (Curator)",
        description="As POST on the accounts; the account's participations and stated totals are replaced.",
        request=s.AccountRecordingSerializer,
        responses={**RECORD_RESPONSES, 200: s.RecordedAccountSerializer},
    )
    @action(
        detail=True,
        methods=["get", "put"],
        filter_backends=[],
        url_path=rf"accounts/(?P<source>{m.SYMBOL_PATTERN})",
        url_name="account",
    )
    def account(self, request, *args, source=None, **kwargs):
        process = self.get_object()
        account = self._accounts(process).filter(source__symbol=source).first()
        account = account or self._accounts(process).filter(source__slug=source).first()
        if account is None:
            raise NotFound("This process has no account of that source.")
        if request.method == "PUT":
            return self._record(request, process, replacing=account)
        return Response(s.RecordedAccountSerializer(account, context=self.get_serializer_context()).data)
