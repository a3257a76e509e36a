"""Names in a requested language (?lang=, or the client's Accept-Language): the API's fields stay
as stored (English names, codes), and each process and participant adds `local_name`."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import localnames
from .. import models as m


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
            return [f"{c.source.symbol}: {c.locator}" for c in alias.citation_list]
    return []


def local_name(obj, context) -> dict | None:
    language = localnames.requested_language(context.get("request"))
    if language is None:
        return None
    names = localnames.book()
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
    return {
        "language": language,
        "name": name.text,
        "name_language": name.language,
        "fallback": name.fallback,
        "origin": name.origin,
        "citations": _citations(obj, name),
    }


@extend_schema_field(LocalNameSerializer(allow_null=True))
class LocalNameField(serializers.Field):
    """`local_name`: null unless the request asks for a language (?lang=, Accept-Language)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return local_name(obj, self.context)
