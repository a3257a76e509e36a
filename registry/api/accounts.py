"""A process's accounts in the API: GET /api/processes/{slug}/accounts/ lists them, POST records a
new one as a whole (a dry run answers with the preview), and /accounts/{source}/ reads or, with
PUT, replaces one. The rules are registry.models.recording's."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import models as m
from ..permissions import RECORDING_PERMISSIONS
from . import serializers as s
from .mixins import PreconditionFailed, etag_of, header_etags


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
    "partial_lists": ["observer"],
    "departures": [{"participant": "Hungary", "role": "member", "kind": "withdrew"}],
    "region": "Europe and Central Asia",
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
    "to create). A source speaks only for what it states: each role's list given is **complete** "
    "(whoever it omits has left the role from the source's date) unless the role is in "
    "`partial_lists` (it adds or confirms, and infers no departure); `departures` says who left, "
    "withdrew or is suspended; a role, the region, the year, the secretariat or the main areas left "
    "out are not stated and stay as the last source stating them gave them. The preview compares "
    "with what is in force on the source's date: `joined`, `left` (with `departure`: how the document "
    "says so, or null when inferred from a complete list), `changed` (roles), `unchanged`. Recorded in "
    "one transaction with one history reason."
)


PUT_DESCRIPTION = (
    "As POST on the accounts. Writes only what differs from what the account holds: a participation "
    "it still lists (same participant, same role) keeps its row and id; the same content again writes "
    "nothing and answers `unchanged: true`. Send the ETag of your last read in If-Match: a 412 when "
    "another write changed the account since."
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
                Prefetch("stated_totals", m.stated_totals_with_listed()),
                "priorities",
                "stated_lists",
                Prefetch("departures", m.Departure.objects.select_related("participant")),
                m.CITATIONS,
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
        response = Response({**data, "unchanged": not draft.written}, status=code)
        response["Location"], response["ETag"] = str(data["url"]), etag_of(data)
        return response

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
        description=PUT_DESCRIPTION,
        request=s.AccountRecordingSerializer,
        responses={
            **RECORD_RESPONSES,
            200: s.RecordedAccountSerializer,
            412: OpenApiResponse(description="If-Match no longer matches the account's ETag."),
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Delete an account and every fact it lists (Curator)",
        description="Its participations, stated totals, IOM roles and priorities go with it, each "
        "recorded in the history with the X-Change-Reason header. If-Match as on PUT.",
        responses={
            204: OpenApiResponse(description="Deleted."),
            412: OpenApiResponse(description="If-Match no longer matches the account's ETag."),
        },
    )
    @action(
        detail=True,
        methods=["get", "put", "delete"],
        filter_backends=[],
        url_path=rf"accounts/(?P<source>{m.SYMBOL_PATTERN})",
        url_name="account",
    )
    def account(self, request, *args, source=None, **kwargs):
        process = self.get_object()
        if request.method == "GET":
            account = self._account_of(process, source)
            data = s.RecordedAccountSerializer(account, context=self.get_serializer_context()).data
            return Response(data, headers={"ETag": etag_of(data)})
        with transaction.atomic():
            account = self._account_of(process, source, locked=True)
            self._check_if_match(request, account)
            if request.method == "PUT":
                return self._record(request, process, replacing=account)
            reason = request.headers.get("X-Change-Reason", "").strip()
            # The history keeps 100 characters of a reason (a later source's title may be long).
            reason = (reason or f"Account of {process} by {account.source.label} deleted")[:100]
            with m.RegistryVersion.one_bump():
                facts = (
                    *account.participations.all(),
                    *account.departures.all(),
                    *account.stated_lists.all(),
                    *account.stated_totals.all(),
                    account,
                )
                for fact in facts:
                    fact._change_reason = reason
                    fact._history_user = request.user
                    fact.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _account_of(self, process, source, locked=False):
        accounts = self._accounts(process)
        account = (
            accounts.filter(source__symbol=source).first() or accounts.filter(source__slug=source).first()
        )
        if account is None:
            raise NotFound("This process has no account of that source.")
        if locked:  # no other write between the If-Match check and this one (PostgreSQL)
            list(m.ProcessAccount.objects.filter(pk=account.pk).select_for_update().values_list("pk"))
            account = accounts.get(pk=account.pk)
        return account

    def _check_if_match(self, request, account):
        wanted = request.headers.get("If-Match")
        if not wanted or wanted.strip() == "*":
            return
        data = s.RecordedAccountSerializer(account, context=self.get_serializer_context()).data
        if etag_of(data) not in header_etags(wanted):
            raise PreconditionFailed()
