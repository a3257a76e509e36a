"""CSV/JSON import and export of the main tables (django-import-export), used by the admin.

Rows name related records by their natural keys (process and participant slugs, source symbols),
dates are partial ("2009", "2009-04", "2009-04-17") and citations are "SYMBOL: locator" separated
by " | ". Every row is validated by the model (full_clean) and an import with any row error
changes nothing (IMPORT_EXPORT_USE_TRANSACTIONS). Imported changes are recorded in the audit
history with the user and the file name as reason.
"""

import tablib
from django.db.models import Q
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV

from . import models as m
from .dates import PartialDateError, iso_partial_date, parse_partial_date
from .spreadsheets import escape_formula

CITATION_SEPARATOR = " | "


class SafeCSV(CSV):
    """CSV whose cells a spreadsheet cannot run as formulae: a cell starting with = + - @, a tab
    or a carriage return gets a leading quote (OWASP's CSV injection advice)."""

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([self.escape(value) for value in row])
        return super().export_data(escaped, **kwargs)

    escape = staticmethod(escape_formula)


class PartialDateColumn(fields.Field):
    """A start or end column: sets the date and its precision."""

    def __init__(self, bound: str, **kwargs):
        self.bound = bound
        super().__init__(attribute=bound, column_name=bound, **kwargs)

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = str(row.get(self.column_name) or "").strip()
        if not text:
            value, precision = None, ""
        else:
            try:
                value, precision = parse_partial_date(text, end=self.bound == "end")
            except PartialDateError as error:
                raise ValueError(f"{text!r}: {error}") from None
        setattr(instance, self.bound, value)
        setattr(instance, f"{self.bound}_precision", precision)

    def get_value(self, instance):
        return iso_partial_date(getattr(instance, self.bound), getattr(instance, f"{self.bound}_precision"))

    def export(self, instance, **kwargs):
        return self.get_value(instance)


class AccountField(fields.Field):
    """The source whose account lists the fact, by its symbol (empty for a curated fact)."""

    def __init__(self, **kwargs):
        super().__init__(attribute="account", column_name="source", **kwargs)

    def save(self, instance, row, is_m2m=False, **kwargs):
        symbol = str(row.get(self.column_name) or "").strip()
        if not symbol:
            instance.account = None
            return
        process = str(row.get("process") or "").strip()
        account = (
            m.ProcessAccount.objects.filter(process__slug=process)
            .filter(Q(source__symbol=symbol) | Q(source__slug=symbol))
            .first()
        )
        if account is None:
            raise ValueError(f"No account of process {process!r} in source {symbol!r}.")
        instance.account = account

    def export(self, instance, **kwargs):
        return instance.account.source.key if instance.account_id else ""


class CitationsField(fields.Field):
    """Citations as "SCPF/30: Annex II, row 'X' | MC/INF/266: para. 6"; imported ones are added."""

    def __init__(self, **kwargs):
        super().__init__(attribute="citations", column_name="citations", **kwargs)

    def save(self, instance, row, is_m2m=False, **kwargs):
        text = str(row.get(self.column_name) or "").strip()
        pending = []
        sources = {key: s for s in m.SourceDocument.objects.all() for key in (s.slug, s.symbol) if key}
        for part in filter(None, (p.strip() for p in text.split(CITATION_SEPARATOR))):
            symbol, sep, locator = part.partition(": ")
            if not sep or not locator.strip():
                raise ValueError(f"{part!r}: write a citation as 'SYMBOL: locator'.")
            if symbol not in sources:
                raise ValueError(f"{part!r}: unknown source {symbol!r}.")
            pending.append((sources[symbol], locator.strip()))
        instance._pending_citations = pending

    def get_value(self, instance):
        """The citations, and those the row adds (so that a row adding one is not "unchanged")."""
        existing = [f"{c.source.key}: {c.locator}" for c in instance.citations.all()] if instance.pk else []
        pending = [
            f"{source.key}: {locator}" for source, locator in getattr(instance, "_pending_citations", [])
        ]
        return CITATION_SEPARATOR.join(existing + [p for p in pending if p not in existing])

    def export(self, instance, **kwargs):
        return self.get_value(instance)


class RegistryResource(resources.ModelResource):
    """Validation by the model, all-or-nothing imports, history with a reason, citations."""

    related = ()  # select_related for the export
    prefetch = ("citations__source",)

    class Meta:
        # Inherited by every resource: the model validates each row; unchanged rows are skipped.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_data(self, dataset, **kwargs):
        # All or nothing: the library commits the valid rows of a file with invalid ones unless
        # told otherwise, and its admin confirm step does not tell it.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        name = kwargs.get("file_name") or "a file"
        instance._change_reason = f"Imported from {name}"[:100]

    def after_save_instance(self, instance, row, **kwargs):
        for source, locator in getattr(instance, "_pending_citations", []):
            instance.cite(source, locator, reason=getattr(instance, "_change_reason", ""))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.related).prefetch_related(*self.prefetch)

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        return super().export(queryset=self.filter_export(queryset), **kwargs)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record by its slug, with an error that names the unknown slug."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} has the slug {value!r}.") from None


def slug_key(model, attribute: str, column: str | None = None, **kwargs) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column or attribute, widget=SlugWidget(model, field="slug"), **kwargs
    )


class ProcessResource(RegistryResource):
    citations = CitationsField()

    class Meta(RegistryResource.Meta):
        model = m.Process
        fields = ("slug", "name", "short_name", "kind", "status", "status_note", "citations")
        import_id_fields = ("slug",)


class ParticipantResource(RegistryResource):
    process = slug_key(m.Process, "process")
    citations = CitationsField()

    class Meta(RegistryResource.Meta):
        model = m.Participant
        fields = (
            "slug",
            "name",
            "name_language",
            "kind",
            "iso_code",
            "acronym",
            "organization_type",
            "process",
            "note",
            "citations",
        )
        import_id_fields = ("slug",)

    related = ("process",)


class ParticipationResource(RegistryResource):
    process = slug_key(m.Process, "process")
    participant = slug_key(m.Participant, "participant")
    source = AccountField()
    start = PartialDateColumn("start")
    end = PartialDateColumn("end")
    citations = CitationsField()

    class Meta(RegistryResource.Meta):
        model = m.Participation
        fields = (
            "id",
            "process",
            "participant",
            "role",
            "start",
            "end",
            "source",
            "name_as_cited",
            "group_label",
            "status_note",
            "suspended",
            "counted_in_total",
            "position",
            "citations",
        )
        import_id_fields = ("id",)

    related = ("process", "participant", "account__source")


class EventResource(RegistryResource):
    process = slug_key(m.Process, "process")
    start = PartialDateColumn("start")
    end = PartialDateColumn("end")
    organizers = fields.Field(
        attribute="organizers",
        column_name="organizers",
        widget=widgets.ManyToManyWidget(m.Participant, field="slug"),
    )
    citations = CitationsField()

    class Meta(RegistryResource.Meta):
        model = m.Event
        fields = (
            "slug",
            "process",
            "kind",
            "title",
            "start",
            "end",
            "place",
            "organizers",
            "description",
            "ongoing",
            "citations",
        )
        import_id_fields = ("slug",)

    related = ("process",)
    prefetch = ("citations__source", "organizers")


class IomRoleResource(RegistryResource):
    process = slug_key(m.Process, "process")
    source = AccountField()
    offices = fields.Field(
        attribute="offices", column_name="offices", widget=widgets.ManyToManyWidget(m.IomOffice, field="slug")
    )
    citations = CitationsField()

    class Meta(RegistryResource.Meta):
        model = m.IomRole
        fields = (
            "id",
            "process",
            "source",
            "function",
            "status",
            "description",
            "note",
            "offices",
            "citations",
        )
        import_id_fields = ("id",)

    related = ("process", "account__source")
    prefetch = ("citations__source", "offices")
