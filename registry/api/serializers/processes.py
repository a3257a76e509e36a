"""The process serializer: the process's own fields (writable) and, read-only, what each source
says about it (year, region, secretariat, stated totals), with the latest account first-class."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ... import models as m
from ...choices import MechanismType, Role
from ...dates import iso_partial_date
from ..fields import CitationSerializer, IdentityField, LocalNameField, detail_url
from .base import AliasSerializer, CitingSerializer
from .records import filtered, former_slugs_field

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
    lists_stated = serializers.SerializerMethodField(
        help_text=_(
            "Role → complete or partial: the lists the account states (a role it does not state stays "
            "as the last source stating it gave it)."
        )
    )
    citations = CitationSerializer(many=True)

    class Meta:
        model = m.ProcessAccount
        fields = [
            "source",
            "name_as_listed",
            "mechanism_type",
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
            "lists_stated",
            "stated_totals",
            "citations",
        ]

    def get_lists_stated(self, account) -> dict[str, str]:
        return {
            stated.role: "complete" if stated.complete else "partial"
            for stated in sorted(
                account.stated_lists.all(), key=lambda stated: Role.values.index(stated.role)
            )
        }


class ProcessAliasSerializer(AliasSerializer):
    """A process's name; with a period, a name over time (a former name until its end)."""

    start = serializers.SerializerMethodField(
        help_text=_("Since when the name was used (YYYY, YYYY-MM or a day).")
    )
    end = serializers.SerializerMethodField(help_text=_("Until when the name was used."))

    def get_start(self, alias) -> str | None:
        return iso_partial_date(alias.start, alias.start_precision) or None

    def get_end(self, alias) -> str | None:
        return iso_partial_date(alias.end, alias.end_precision) or None


class StatusPeriodSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    period = serializers.CharField(source="period_display")
    citations = CitationSerializer(many=True)

    class Meta:
        model = m.StatusPeriod
        fields = ["status", "start", "end", "period", "note", "citations"]

    def get_start(self, period) -> str | None:
        return iso_partial_date(period.start, period.start_precision) or None

    def get_end(self, period) -> str | None:
        return iso_partial_date(period.end, period.end_precision) or None


class SuccessionSerializer(serializers.Serializer):
    """Another process in the lineage, with the date of the succession and its citations."""

    process = serializers.CharField(help_text=_("The other process's slug."))
    name = serializers.CharField()
    url = serializers.URLField()
    date = serializers.CharField(allow_null=True, help_text=_("From when (YYYY, YYYY-MM or a day)."))
    note = serializers.CharField()
    citations = CitationSerializer(many=True)


def succession_data(succession, other, context) -> dict:
    return {
        "process": other.slug,
        "name": other.name,
        "url": detail_url(context, "api:process-detail", other.slug),
        "date": iso_partial_date(succession.date, succession.date_precision) or None,
        "note": succession.note,
        "citations": CitationSerializer(succession.citation_list, many=True).data,
    }


class YearSerializer(serializers.Serializer):
    source = serializers.CharField()
    year = serializers.IntegerField()


class SecretariatSerializer(serializers.Serializer):
    source = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()


class MechanismTypeSerializer(serializers.Serializer):
    source = serializers.CharField()
    type = serializers.ChoiceField(choices=MechanismType.choices)


class ProcessSerializer(CitingSerializer):
    url = IdentityField(view_name="api:process-detail", lookup_field="slug")
    aliases = ProcessAliasSerializer(many=True, read_only=True)
    local_name = LocalNameField()
    statuses = StatusPeriodSerializer(
        many=True, read_only=True, help_text=_("Its status over time, dated and cited.")
    )
    continues = serializers.SerializerMethodField(help_text=_("The processes this one continues."))
    continued_by = serializers.SerializerMethodField(help_text=_("The processes that continue this one."))
    year_established = serializers.SerializerMethodField(
        help_text=_("The year the latest source states (see years_established where they differ).")
    )
    years_established = serializers.SerializerMethodField()
    mechanism_type = serializers.SerializerMethodField(
        help_text=_("How the latest source classifying it does (rcp, irf, global), and which source.")
    )
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
    former_slugs = former_slugs_field()

    class Meta:
        model = m.Process
        fields = [
            "url",
            "slug",
            "former_slugs",
            "name",
            "short_name",
            "local_name",
            "aliases",
            "kind",
            "status",
            "status_note",
            "statuses",
            "continues",
            "continued_by",
            "year_established",
            "years_established",
            "mechanism_type",
            "region",
            "secretariat",
            "members",
            "stated_totals",
            "accounts",
            "citations",
            "links",
        ]

    @extend_schema_field(SuccessionSerializer(many=True))
    def get_continues(self, process):
        return [succession_data(s, s.predecessor, self.context) for s in process.succeeds.all()]

    @extend_schema_field(SuccessionSerializer(many=True))
    def get_continued_by(self, process):
        return [succession_data(s, s.successor, self.context) for s in process.succeeded_by.all()]

    def get_year_established(self, process) -> int | None:
        years = [a.year_established for a in process.accounts.all() if a.year_established]
        return years[-1] if years else None

    @extend_schema_field(YearSerializer(many=True))
    def get_years_established(self, process):
        return [{"source": year_source, "year": year} for year, year_source in process.years_established()]

    @extend_schema_field(MechanismTypeSerializer(allow_null=True))
    def get_mechanism_type(self, process):
        account = m.account_stating(process.accounts.all(), "mechanism_type")
        return {"source": account.source.key, "type": account.mechanism_type} if account else None

    @extend_schema_field(RegionBriefSerializer(allow_null=True))
    def get_region(self, process):
        account = m.account_stating(process.accounts.all(), "region")
        return self._region_serializer.to_representation(account.region) if account else None

    @extend_schema_field(SecretariatSerializer(allow_null=True))
    def get_secretariat(self, process):
        latest = m.account_stating(process.accounts.all(), "secretariat")
        if latest is None:
            return None
        return {"source": latest.source.key, "kind": latest.secretariat_kind, "text": latest.secretariat}

    @extend_schema_field(StatedTotalSerializer(many=True))
    def get_stated_totals(self, process):
        totals = [total for account in process.accounts.all() for total in account.stated_totals.all()]
        return self._totals_serializer.to_representation(totals)

    # One of each for a whole list: a serializer builds its fields anew each time it is made.
    @cached_property
    def _region_serializer(self):
        return RegionBriefSerializer(context=self.context)

    @cached_property
    def _totals_serializer(self):
        return StatedTotalSerializer(many=True, context=self.context)

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
        lists = self._list_urls
        return {
            "participations": filtered(lists["participation"], process=process.slug),
            "members": filtered(lists["participation"], process=process.slug, role="member"),
            "iom_roles": filtered(lists["iomrole"], process=process.slug),
            "events": filtered(lists["event"], process=process.slug),
            "history": reverse("api:process-history", kwargs={"slug": process.slug}, request=request),
        }

    @cached_property
    def _list_urls(self) -> dict[str, str]:
        """The list endpoints' addresses, reversed once for a whole list of processes."""
        request = self.context.get("request")
        return {
            view: reverse(f"api:{view}-list", request=request)
            for view in ("participation", "iomrole", "event")
        }
