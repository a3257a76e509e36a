"""Serializer fields of the API: partial dates, records addressed by slug, citations, and names in
the language a client asks for (?lang=, or its Accept-Language: the fields stay as stored, English
names and codes, and each process and participant adds `local_name`)."""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from .. import local_names
from .. import models as m
from ..choices import DatePrecision
from ..dates import INVALID_PARTIAL_DATE, PartialDateError, parse_partial_date
from ..serving.cache import per_request


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "description": "YYYY, YYYY-MM or YYYY-MM-DD; read as an ISO date (a start is the first day "
        "of its precision, an end the last), with its precision in the *_precision field.",
        "example": "2009-04",
    }
)
class PartialDateSerializerField(serializers.Field):
    """A period bound written "2009", "2009-04" or "2009-04-17" (the precision follows the form) and
    read as an ISO date. Writes both the date and its precision field (e.g. start, start_precision)."""

    default_error_messages = {
        "invalid": INVALID_PARTIAL_DATE,
    }

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.field_name)
        return value.isoformat() if value else None

    def to_internal_value(self, data):
        name = self.field_name
        if data in ("", None):
            return {name: None, f"{name}_precision": ""}
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            day, precision = parse_partial_date(data, end=self.end)
        except PartialDateError:
            self.fail("invalid")
        # An explicit precision (as the API returns it) wins over the one the form implies, so
        # that a representation read with GET can be written back unchanged.
        explicit = self.parent.initial_data.get(f"{name}_precision") if self.parent else None
        if explicit in DatePrecision.values:
            precision = explicit
        return {name: day, f"{name}_precision": precision}

    def validate_empty_values(self, data):
        # source="*" fields get the whole object on None; handle null as "no date" ourselves.
        if data is None:
            return False, data
        return super().validate_empty_values(data)


class SlugRecordField(serializers.SlugRelatedField):
    """A record addressed by its slug, with a clear message for an unknown one."""

    default_error_messages = {
        "does_not_exist": _("No {model} with the slug {value}."),
        "invalid": _("Give the slug as a string."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", model=queryset.model._meta.verbose_name, value=data)


class SourceKeyField(serializers.SlugRelatedField):
    """A source document addressed by its symbol ("SCPF/30") or, for a source without one, its slug;
    read as its key (the symbol, or else the slug)."""

    default_error_messages = {
        "does_not_exist": _("No source document with the symbol or slug {value}."),
        "invalid": _("Give the source's symbol or slug as a string, e.g. SCPF/30."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "symbol")
        kwargs.setdefault("queryset", m.SourceDocument.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        source = self.get_queryset().filter(Q(symbol=data) | Q(slug=data)).first()
        if source is None:
            self.fail("does_not_exist", value=data)
        return source

    def to_representation(self, obj):
        return obj.key

    def get_choices(self, cutoff=None):
        return slug_choices(self, "key", cutoff)


class CitationListSerializer(serializers.ListSerializer):
    def get_attribute(self, instance):
        return instance.citation_list  # the prefetched list when there is one


class CitationSerializer(serializers.ModelSerializer):
    """Where a fact comes from: the source's symbol and the place in it (annex, paragraph, row)."""

    source = SourceKeyField()

    class Meta:
        list_serializer_class = CitationListSerializer
        model = m.Citation
        fields = ["source", "locator", "quote"]
        extra_kwargs = {"quote": {"required": False}}
        # The fact's own uniqueness (fact, source, locator) is checked by the fact's serializer.
        validators = []


# Names in a language -------------------------------------------------------------------------


class LocalNameSerializer(serializers.Serializer):
    """Describes `local_name` in the schema (the data is written by local_name())."""

    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], help_text=_("The language asked for.")
    )
    name = serializers.CharField()
    name_language = serializers.CharField(
        help_text=_("The language of the name given (en when it falls back).")
    )
    short_name = serializers.CharField(required=False, help_text=_("Processes only."))
    short_name_language = serializers.CharField(required=False, help_text=_("Processes only."))
    acronym = serializers.CharField(
        required=False,
        help_text=_(
            "Organizations with an acronym only: the one a source gives in the language, else the "
            "organization's own."
        ),
    )
    fallback = serializers.BooleanField(help_text=_("True when no name in the language is recorded."))
    origin = serializers.ChoiceField(
        choices=["record", "alias", "CLDR"],
        help_text=_(
            "record: the registry's English name; alias: a name a source gives in the language "
            "(see citations); CLDR: the Unicode CLDR name of a state's or territory's ISO code."
        ),
    )
    citations = serializers.ListField(child=serializers.CharField(), help_text=_("Where a source gives it."))


def _citations(obj, name) -> list[str]:
    """The citations of the alias a name comes from, when the aliases are prefetched."""
    if not name.alias_id or "aliases" not in getattr(obj, "_prefetched_objects_cache", {}):
        return []
    for alias in obj.aliases.all():
        if alias.pk == name.alias_id:
            return [f"{c.source.key}: {c.locator}" for c in alias.citation_list]
    return []


def local_name(obj, context) -> dict | None:
    language = local_names.requested_language(context.get("request"))
    if language is None:
        return None
    names = local_names.book()
    if isinstance(obj, m.Process):
        name, short = names.process_name(obj, language), names.process_short_name(obj, language)
        return {
            "language": language,
            "name": name.text,
            "name_language": name.language,
            "short_name": short.text,
            "short_name_language": short.language,
            "fallback": name.fallback or short.fallback,
            "origin": name.origin,
            "citations": sorted(set(_citations(obj, name) + _citations(obj, short))),
        }
    name = names.participant_name(obj, language)
    data = {
        "language": language,
        "name": name.text,
        "name_language": name.language,
        "fallback": name.fallback,
        "origin": name.origin,
        "citations": _citations(obj, name),
    }
    if obj.acronym:  # as the pages show it beside the name: "OIM" in Spanish
        acronym = names.participant_short_name(obj, language)
        data["acronym"] = acronym.text
        data["citations"] = sorted(set(data["citations"] + _citations(obj, acronym)))
    return data


@extend_schema_field(LocalNameSerializer(allow_null=True))
class LocalNameField(serializers.Field):
    """`local_name`: null unless the request asks for a language (?lang=, Accept-Language)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return local_name(obj, self.context)


# Links ------------------------------------------------------------------------------------------


def detail_url(context, view: str, key) -> str:
    """The absolute URL of an object: its list's URL, reversed once per request (reversing per row
    is most of the cost of a long list), and its key (a slug or an id, safe in a URL)."""
    request = context.get("request") if context is not None else None
    list_view = view.removesuffix("-detail") + "-list"
    prefix = per_request(request, ("list url", list_view), lambda: reverse(list_view, request=request))
    return f"{prefix}{key}/"


def brief_participant(participant, context) -> dict:
    view = "api:organization-detail" if participant.is_organization else "api:state-detail"
    return {
        "slug": participant.slug,
        "name": participant.name,
        "kind": participant.kind,
        "iso_code": participant.iso_code,
        "local_name": local_name(participant, context),
        "url": detail_url(context, view, participant.slug),
    }


class ParticipantBriefSerializer(serializers.ModelSerializer):
    """A participant as other records show it (this class describes it in the schema; the
    records are written by brief_participant)."""

    url = serializers.URLField()
    local_name = LocalNameField()

    class Meta:
        model = m.Participant
        fields = ["slug", "name", "kind", "iso_code", "local_name", "url"]

    def to_representation(self, participant):
        return brief_participant(participant, self.context)


class ParticipantField(SlugRecordField):
    """Written as a slug, read as the participant's brief record (described in both directions by
    registry.api.schema.ParticipantFieldExtension)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", m.Participant.objects.all())
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, participant):
        return brief_participant(participant, self.context)

    def get_choices(self, cutoff=None):
        """The browsable API's select: keyed by slug, what a write takes (the representation, a
        dict, can be no choice's key)."""
        return slug_choices(self, "slug", cutoff)


def slug_choices(field, key: str, cutoff=None) -> dict:
    queryset = field.get_queryset()
    if queryset is None:
        return {}
    if cutoff is not None:
        queryset = queryset[:cutoff]
    return {getattr(item, key): field.display_value(item) for item in queryset}


class IdentityField(serializers.HyperlinkedIdentityField):
    """The object's own URL, from the per-request template (see detail_url)."""

    def get_url(self, obj, view_name, request, format):
        key = getattr(obj, self.lookup_field)
        if view_name == "api:sourcedocument-detail":
            return reverse(view_name, kwargs={"symbol": key}, request=request)  # symbols hold slashes
        return detail_url(self.context, view_name, key)
