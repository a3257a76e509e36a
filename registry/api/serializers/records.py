"""Serializers of the records other than processes: participants, participations, IOM, events,
regions and sources."""

from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ... import models as m
from ...choices import DatePrecision, ParticipantKind
from ..fields import (
    IdentityField,
    LocalNameField,
    PartialDateSerializerField,
    ParticipantField,
    SlugRecordField,
    SourceKeyField,
    slug_choices,
)
from .base import AliasSerializer, CitingSerializer, PeriodFields, RegistrySerializer

__all__ = [
    "StateSerializer",
    "OrganizationSerializer",
    "ParticipationSerializer",
    "IomRoleSerializer",
    "IomOfficeSerializer",
    "EventSerializer",
    "RegionSerializer",
    "SourceDocumentSerializer",
]


def list_url(view, request, **query) -> str:
    """The URL of a list endpoint filtered by the query: /api/participations/?process=bali-process."""
    return filtered(reverse(f"api:{view}-list", request=request), **query)


def filtered(list_address: str, **query) -> str:
    return f"{list_address}?{urlencode(query)}"


class AccountSourceField(SourceKeyField):
    """The source whose account lists the fact, by its key; null for a curated fact. On
    writes the serializer turns it into the process's account of that source."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text",
            _(
                "The source whose account lists this (its symbol, e.g. SCPF/30, or else its slug); "
                "null for a fact curated later."
            ),
        )
        super().__init__(source="account", **kwargs)

    def to_representation(self, account):
        return account.source.key

    def get_choices(self, cutoff=None):
        # The choices are sources (what a write takes), not accounts: keyed by their key.
        return slug_choices(self, "key", cutoff)


class AccountMixin:
    """Resolves `source` (a SourceDocument) into the process's account of that source."""

    def validate(self, attrs):
        if "account" in attrs and attrs["account"] is not None:
            source = attrs["account"]
            process = attrs.get("process") or getattr(self.instance, "process", None)
            account = m.ProcessAccount.objects.filter(process=process, source=source).first()
            if account is None:
                raise serializers.ValidationError(
                    {"source": [_("%(source)s has no account of this process.") % {"source": source.label}]}
                )
            attrs["account"] = account
        return super().validate(attrs)


# What states and organizations open with: their address, names and kind.
PARTICIPANT_NAMES = ["url", "slug", "former_slugs", "name", "name_language", "local_name", "kind"]


def former_slugs_field():
    return serializers.ListField(
        child=serializers.SlugField(),
        read_only=True,
        help_text=_(
            "Slugs it had before a rename: their addresses redirect (301) to the current ones, and "
            "no other record will take them."
        ),
    )


class StateSerializer(CitingSerializer):
    """A state or territory."""

    url = IdentityField(view_name="api:state-detail", lookup_field="slug")
    kind = serializers.ChoiceField(
        choices=[(k, v) for k, v in ParticipantKind.choices if k != ParticipantKind.ORGANIZATION]
    )
    iso_code = serializers.CharField(
        max_length=2,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_("ISO 3166-1 alpha-2 code (XK for Kosovo); case does not matter."),
    )
    aliases = AliasSerializer(many=True, read_only=True)
    local_name = LocalNameField()
    participations = serializers.SerializerMethodField()
    former_slugs = former_slugs_field()

    class Meta:
        model = m.Participant
        fields = [
            *PARTICIPANT_NAMES,
            "iso_code",
            "aliases",
            "note",
            "citations",
            "participations",
        ]

    def validate_iso_code(self, value):
        return (value.strip().upper() or None) if value else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_participations(self, participant) -> str:
        return list_url("participation", self.context.get("request"), participant=participant.slug)


class OrganizationSerializer(CitingSerializer):
    url = IdentityField(view_name="api:organization-detail", lookup_field="slug")
    former_slugs = former_slugs_field()
    kind = serializers.CharField(read_only=True)
    process = SlugRecordField(
        queryset=m.Process.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the process this organization is the secretariat or body of."),
    )
    aliases = AliasSerializer(many=True, read_only=True)
    local_name = LocalNameField()
    participations = serializers.SerializerMethodField()
    former_slugs = former_slugs_field()

    class Meta:
        model = m.Participant
        fields = [
            *PARTICIPANT_NAMES,
            "acronym",
            "organization_type",
            "process",
            "aliases",
            "note",
            "citations",
            "participations",
        ]

    def validate(self, attrs):
        attrs["kind"] = ParticipantKind.ORGANIZATION
        return super().validate(attrs)

    @extend_schema_field(OpenApiTypes.URI)
    def get_participations(self, organization) -> str:
        return list_url("participation", self.context.get("request"), participant=organization.slug)


class ParticipationSerializer(AccountMixin, PeriodFields, CitingSerializer):
    url = IdentityField(view_name="api:participation-detail")
    process = SlugRecordField(queryset=m.Process.objects.all(), help_text=_("The process's slug."))
    participant = ParticipantField(help_text=_("The participant's slug; read as its brief record."))
    source = AccountSourceField()

    class Meta:
        model = m.Participation
        fields = [
            "id",
            "url",
            "process",
            "participant",
            "role",
            "source",
            *PeriodFields.PERIOD,
            "name_as_cited",
            "group_label",
            "status_note",
            "suspended",
            "counted_in_total",
            "position",
            "citations",
        ]


class IomRoleSerializer(AccountMixin, CitingSerializer):
    url = IdentityField(view_name="api:iomrole-detail")
    process = SlugRecordField(queryset=m.Process.objects.all(), help_text=_("The process's slug."))
    source = AccountSourceField()
    offices = SlugRecordField(
        many=True,
        required=False,
        queryset=m.IomOffice.objects.all(),
        help_text=_("Slugs of the IOM offices."),
    )

    class Meta:
        model = m.IomRole
        fields = [
            "id",
            "url",
            "process",
            "source",
            "function",
            "status",
            "description",
            "note",
            "offices",
            "citations",
        ]


class IomOfficeSerializer(CitingSerializer):
    url = IdentityField(view_name="api:iomoffice-detail", lookup_field="slug")
    country = SlugRecordField(
        queryset=m.Participant.objects.states_and_territories(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the state or territory the office is in."),
    )
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = m.IomOffice
        fields = ["url", "slug", "name", "kind", "city", "country", "aliases", "citations"]


class EventSerializer(PeriodFields, CitingSerializer):
    url = IdentityField(view_name="api:event-detail", lookup_field="slug")
    process = SlugRecordField(
        queryset=m.Process.objects.all(), required=False, allow_null=True, help_text=_("The process's slug.")
    )
    organizers = SlugRecordField(
        many=True,
        required=False,
        queryset=m.Participant.objects.all(),
        help_text=_("Slugs of the organizers."),
    )

    class Meta:
        model = m.Event
        fields = [
            "url",
            "slug",
            "process",
            "kind",
            "title",
            *PeriodFields.PERIOD,
            "place",
            "organizers",
            "description",
            "ongoing",
            "citations",
        ]


class RegionSerializer(CitingSerializer):
    url = IdentityField(view_name="api:region-detail", lookup_field="slug")
    source = SourceKeyField(
        help_text=_("The source that groups processes under this region (its symbol, or else its slug).")
    )

    class Meta:
        model = m.Region
        fields = ["url", "slug", "name", "source", "position", "citations"]


class SourceDocumentSerializer(RegistrySerializer):
    url = IdentityField(view_name="api:sourcedocument-detail", lookup_field="key")
    date = PartialDateSerializerField()
    date_precision = serializers.CharField(read_only=True)
    as_of = PartialDateSerializerField(required=True, allow_null=False)
    as_of_precision = serializers.CharField(read_only=True)
    cited_by = serializers.SerializerMethodField()
    copy_download = serializers.SerializerMethodField(
        allow_null=True,
        help_text=_("The stored copy of the document (PDF or HTML), as a download; null without one."),
    )
    former_slugs = former_slugs_field()

    def validate(self, attrs):
        if "date" in attrs and attrs["date"] is None:
            attrs["date_precision"] = DatePrecision.DAY  # the model's default; no date, no precision
        return super().validate(attrs)

    class Meta:
        model = m.SourceDocument
        fields = [
            "url",
            "symbol",
            "slug",
            "former_slugs",
            "title",
            "kind",
            "body",
            "date",
            "date_precision",
            "as_of",
            "as_of_precision",
            "languages",
            "description",
            "web_address",
            "copy",
            "copy_download",
            "copy_type",
            "copy_size",
            "copy_sha256",
            "cited_by",
        ]
        # Made from the symbol or the title when the source is created, then kept: its address.
        read_only_fields = ["slug", "copy_type", "copy_size", "copy_sha256"]
        extra_kwargs = {"copy": {"write_only": True}}

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_copy_download(self, source) -> str | None:
        if not source.copy_sha256:
            return None
        return reverse("registry:source_copy", args=[source.slug], request=self.context.get("request"))

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "string", "format": "uri"}
                for name in ["participations", "iom_roles", "events"]
            },
        }
    )
    def get_cited_by(self, source) -> dict:
        request = self.context.get("request")
        return {
            "participations": list_url("participation", request, cited_in=source.key),
            "iom_roles": list_url("iomrole", request, cited_in=source.key),
            "events": list_url("event", request, cited_in=source.key),
        }
