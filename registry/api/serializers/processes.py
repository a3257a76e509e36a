"""The process serializer: the process's own fields (writable) and, read-only, what each source
says about it (year, region, secretariat, stated totals), with the latest account first-class."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ... import models as m
from ..fields import CitationSerializer, IdentityField, LocalNameField
from .base import AliasSerializer, CitingSerializer
from .records import list_url

__all__ = ["ProcessSerializer"]


class RegionBriefSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.key")

    class Meta:
        model = m.Region
        fields = ["slug", "name", "source"]


class StatedTotalSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="account.source.key")
    listed = serializers.IntegerField(
        help_text=_("Participations the registry lists for this source and role, counted in the total.")
    )

    class Meta:
        model = m.StatedTotal
        fields = ["source", "role", "stated", "listed", "note"]


class AccountSerializer(serializers.ModelSerializer):
    """One source's account of the process (its annex row and paragraphs)."""

    source = serializers.CharField(source="source.key")
    region = RegionBriefSerializer(allow_null=True)
    priorities = serializers.SlugRelatedField(slug_field="text", many=True, read_only=True)
    stated_totals = StatedTotalSerializer(many=True)
    citations = CitationSerializer(many=True)

    class Meta:
        model = m.ProcessAccount
        fields = [
            "source",
            "name_as_listed",
            "year_established",
            "region",
            "secretariat_kind",
            "secretariat",
            "main_areas",
            "current_priorities",
            "priorities",
            "participation_notes",
            "iom_offices_note",
            "notes",
            "stated_totals",
            "citations",
        ]


class YearSerializer(serializers.Serializer):
    source = serializers.CharField()
    year = serializers.IntegerField()


class SecretariatSerializer(serializers.Serializer):
    source = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()


class ProcessSerializer(CitingSerializer):
    url = IdentityField(view_name="api:process-detail", lookup_field="slug")
    aliases = AliasSerializer(many=True, read_only=True)
    local_name = LocalNameField()
    year_established = serializers.SerializerMethodField(
        help_text=_("The year the latest source states (see years_established where they differ).")
    )
    years_established = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    secretariat = serializers.SerializerMethodField()
    stated_totals = serializers.SerializerMethodField()
    members = serializers.IntegerField(
        source="member_count",
        read_only=True,
        default=None,
        help_text=_("Members as of the request's as_of date (today by default)."),
    )
    accounts = AccountSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = m.Process
        fields = [
            "url",
            "slug",
            "name",
            "short_name",
            "local_name",
            "aliases",
            "kind",
            "status",
            "status_note",
            "year_established",
            "years_established",
            "region",
            "secretariat",
            "members",
            "stated_totals",
            "accounts",
            "citations",
            "links",
        ]

    def get_year_established(self, process) -> int | None:
        years = [a.year_established for a in process.accounts.all() if a.year_established]
        return years[-1] if years else None

    @extend_schema_field(YearSerializer(many=True))
    def get_years_established(self, process):
        return [{"source": year_source, "year": year} for year, year_source in process.years_established()]

    @extend_schema_field(RegionBriefSerializer(allow_null=True))
    def get_region(self, process):
        regions = [a.region for a in process.accounts.all() if a.region_id]
        return RegionBriefSerializer(regions[-1]).data if regions else None

    @extend_schema_field(SecretariatSerializer(allow_null=True))
    def get_secretariat(self, process):
        accounts = [a for a in process.accounts.all() if a.secretariat or a.secretariat_kind]
        if not accounts:
            return None
        latest = accounts[-1]
        return {"source": latest.source.key, "kind": latest.secretariat_kind, "text": latest.secretariat}

    @extend_schema_field(StatedTotalSerializer(many=True))
    def get_stated_totals(self, process):
        totals = [total for account in process.accounts.all() for total in account.stated_totals.all()]
        return StatedTotalSerializer(totals, many=True).data

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "string", "format": "uri"}
                for name in ["participations", "members", "iom_roles", "events", "history"]
            },
        }
    )
    def get_links(self, process):
        request = self.context.get("request")
        return {
            "participations": list_url("participation", request, process=process.slug),
            "members": list_url("participation", request, process=process.slug, role="member"),
            "iom_roles": list_url("iomrole", request, process=process.slug),
            "events": list_url("event", request, process=process.slug),
            "history": reverse("api:process-history", kwargs={"slug": process.slug}, request=request),
        }
