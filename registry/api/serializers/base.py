"""The base of every API serializer: model validation as 400s, citations, and change reasons.

DRF does not run a model's `clean()` nor its database constraints; without this, "end before
start" or a duplicate participation would reach the database and become a 500. Every write
builds the record it would store, runs `full_clean()` on it, and reports Django's messages under
the API's field names.
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from ... import models as m
from ...choices import DatePrecision
from ..fields import CitationSerializer, PartialDateSerializerField

__all__ = ["RegistrySerializer", "CitingSerializer", "PeriodFields", "AliasSerializer", "replace_citations"]

# Model field names whose errors the API reports under another name.
ERROR_FIELDS = {
    NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY,
    "account": "source",
    "start_precision": "start",
    "end_precision": "end",
}


class RegistrySerializer(serializers.ModelSerializer):
    def get_validators(self):
        # Uniqueness and constraints are checked by full_clean() in validate(), with the model's
        # own messages; DRF's generated validators would also make constrained fields required.
        return []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = self.candidate(attrs)
        excluded = [field.name for field in candidate._meta.fields if not field.editable]
        try:
            candidate.full_clean(exclude=excluded)
        except DjangoValidationError as error:
            raise serializers.ValidationError(api_errors(error)) from None
        return attrs

    def candidate(self, attrs):
        """The record as it would be stored (a copy: the instance itself is untouched)."""
        model = self.Meta.model
        candidate = copy.copy(self.instance) if self.instance is not None else model()
        many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many and name != "citations":
                setattr(candidate, name, value)
        return candidate

    def create(self, validated_data):
        instance = super().create(validated_data)
        self.record_reason(instance)
        return instance

    def update(self, instance, validated_data):
        instance = super().update(instance, validated_data)
        self.record_reason(instance)
        return instance

    def record_reason(self, instance):
        """The X-Change-Reason header of the request, kept in the audit history."""
        request = self.context.get("request")
        reason = request.headers.get("X-Change-Reason", "").strip()[:100] if request else ""
        history = getattr(instance._meta.concrete_model, "history", None)
        record = (
            history.filter(id=instance.pk).order_by("-history_date", "-history_id").first()
            if history
            else None
        )
        if reason and record is not None:
            record.history_change_reason = reason
            record.save(update_fields=["history_change_reason"])
            label = instance._meta.concrete_model._meta.label_lower
            m.Change.objects.filter(model=label, history_id=record.history_id).update(reason=reason)


def api_errors(error: DjangoValidationError) -> dict:
    errors = {}
    for name, messages in error.message_dict.items():
        errors.setdefault(ERROR_FIELDS.get(name, name), []).extend(messages)
    return errors


def replace_citations(fact, citations):
    """Make the fact's citations exactly the given ones, keeping (and not re-writing) those that
    stay, so that the history records only what changed."""
    content_type = m.Citation.content_type_for(fact)
    wanted = {(c["source"].pk, c["locator"]): c for c in citations}
    for citation in m.Citation.objects.filter(content_type=content_type, object_id=fact.pk):
        given = wanted.pop((citation.source_id, citation.locator), None)
        if given is None:
            citation.delete()
        elif given.get("quote", citation.quote) != citation.quote:
            citation.quote = given["quote"]
            citation.save()
    for (_source, locator), given in wanted.items():
        m.Citation.objects.create(
            content_type=content_type,
            object_id=fact.pk,
            source=given["source"],
            locator=locator,
            quote=given.get("quote", ""),
        )


class CitingSerializer(RegistrySerializer):
    """A fact with its citations (source symbol + locator). A new fact needs at least one; when a
    write gives `citations`, they replace the stored ones; when it omits them, they stay."""

    citations = CitationSerializer(many=True, required=False)

    def validate_citations(self, citations):
        if not citations:
            raise serializers.ValidationError(_("A fact needs at least one citation (source and locator)."))
        return citations

    def validate(self, attrs):
        if self.instance is None and "citations" not in attrs:
            raise serializers.ValidationError(
                {"citations": [_("A new fact needs at least one citation (source and locator).")]}
            )
        return super().validate(attrs)

    def create(self, validated_data):
        citations = validated_data.pop("citations", None)
        instance = super().create(validated_data)
        if citations is not None:
            replace_citations(instance, citations)
        return instance

    def update(self, instance, validated_data):
        citations = validated_data.pop("citations", None)
        instance = super().update(instance, validated_data)
        if citations is not None:
            replace_citations(instance, citations)
        return instance


class PeriodFields(serializers.Serializer):
    """start/end of a period, written as partial dates, read as ISO dates with their precision."""

    start = PartialDateSerializerField()
    start_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("year, month or day; empty when the start is not stated. May be given on writes."),
    )
    end = PartialDateSerializerField(end=True)
    end_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("year, month or day; empty when the end is not stated. May be given on writes."),
    )
    period = serializers.CharField(
        source="period_display", read_only=True, help_text=_("The period in words: '26–28 February 2002'.")
    )

    PERIOD = ["start", "start_precision", "end", "end_precision", "period"]

    def to_internal_value(self, data):
        """An explicit precision must be one of the choices and come with its date: never ignored."""
        errors = {}
        for bound in ("start", "end"):
            key = f"{bound}_precision"
            if not hasattr(data, "get") or key not in data:
                continue
            if data[key] not in ("", None, *DatePrecision.values):
                choices = ", ".join(DatePrecision.values)
                errors[key] = [_("Give one of %(choices)s, or leave it empty.") % {"choices": choices}]
            elif bound not in data:
                errors[key] = [_("Give %(bound)s too: a precision is that of a date.") % {"bound": bound}]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class AliasSerializer(serializers.Serializer):
    """Another name of a record, in a language, with the source that gives it."""

    name = serializers.CharField()
    language = serializers.CharField()
    kind = serializers.CharField()
    display = serializers.CharField(
        help_text=_(
            "name or short: pages in its language show it in place of the English one; empty otherwise."
        )
    )
    source = serializers.SerializerMethodField()
    citations = CitationSerializer(many=True)

    def get_source(self, alias) -> str | None:
        citations = alias.citation_list
        return citations[0].source.key if citations else None
