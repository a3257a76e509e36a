"""Form fields and forms shared by the admin and the filters of pages and API.

- PartialDateField: "2009", "2009-04" or "2009-04-17"; the precision follows what was typed.
- AsOfField: the day of an "as of" parameter.
- SourceField, SlugsField: a source by symbol or slug, records by slug, in name order.
- RegistryModelForm: every registry form; takes an optional reason that the audit history keeps,
  renders autocomplete selections from objects already loaded (no query per inline row), and
  turns "2009" into a start date and its precision on models with a period.
- CitingModelForm: also adds a citation (source + locator) to the saved fact.
"""

from functools import partial

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import local_names
from . import models as m
from .dates import PartialDateError, iso_partial_date, parse_as_of, parse_partial_date

PARTIAL_DATE_HELP = _(
    "YYYY, YYYY-MM or YYYY-MM-DD (the precision follows what you type); empty if not stated."
)


class PartialDateField(forms.CharField):
    """A date given to the year, the month or the day. Cleans to (date, precision) or (None, "")."""

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None, ""
        try:
            return parse_partial_date(text, end=self.end)
        except PartialDateError as error:
            raise forms.ValidationError(str(error), code="invalid_partial_date") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial or "")
        except forms.ValidationError:
            return True

    def prepare_value(self, value):
        if isinstance(value, tuple):
            value = value[0]
        return value or ""


class AsOfField(forms.CharField):
    """A day given as YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its last day ("as of
    2003" is the state at the end of 2003). Cleans to a date, or None when empty."""

    def to_python(self, value):
        try:
            return parse_as_of(super().to_python(value))
        except PartialDateError as error:
            raise forms.ValidationError(str(error), code="invalid_partial_date") from None


class PythonRenderedSelectMixin:
    """Renders the <select> in Python with the same HTML as Django's templates: Django includes a
    template per <option>, and a 100-row inline with 13 roles a row renders 1,300 of them."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            if group_name:
                rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            parts.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(parts)),
        )


class FastSelect(PythonRenderedSelectMixin, forms.Select):
    pass


class PreloadedChoicesMixin:
    """An autocomplete widget that renders its selected options from objects the form hands it,
    instead of querying them (Django's widget queries once per rendered row)."""

    preloaded = None

    def optgroups(self, name, value, attr=None):
        if self.preloaded is None:
            return super().optgroups(name, value, attr)
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for obj in self.preloaded:
            if str(obj.pk) in selected:
                options.append(
                    self.create_option(
                        name, obj.pk, self.choices.field.label_from_instance(obj), selected, len(options)
                    )
                )
        return [(None, options, 0)]


class PreloadedAutocompleteSelect(PythonRenderedSelectMixin, PreloadedChoicesMixin, AutocompleteSelect):
    pass


class PreloadedAutocompleteSelectMultiple(
    PythonRenderedSelectMixin, PreloadedChoicesMixin, AutocompleteSelectMultiple
):
    pass


def _unwrap(widget):
    return getattr(widget, "widget", widget)  # the admin wraps widgets in RelatedFieldWidgetWrapper


class RegistryModelForm(forms.ModelForm):
    class Meta:
        # The precision follows the partial date typed (see PartialDateField); the admin names
        # the fields of each form, so excluding these is all this base does.
        exclude = ["start_precision", "end_precision", "date_precision", "as_of_precision"]  # noqa: DJ006

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=100,
        help_text=_("Optional; kept in the history with your change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._preload_autocomplete()
        self._replace_partial_date_fields()

    def _preload_autocomplete(self):
        if self.is_bound:
            # Shown again after an error: the options selected are what the curator chose; a
            # formset reads them for all its rows at once (preload_submitted_choices).
            return
        if self.instance.pk is None:
            for field in self.fields.values():
                widget = _unwrap(field.widget)
                if isinstance(widget, PreloadedChoicesMixin):
                    widget.preloaded = []
            return
        for name, field in self.fields.items():
            widget = _unwrap(field.widget)
            if not isinstance(widget, PreloadedChoicesMixin):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.many_to_many:
                cache = getattr(self.instance, "_prefetched_objects_cache", {})
                if model_field.name in cache:
                    widget.preloaded = list(cache[model_field.name])
            elif model_field.is_cached(self.instance):
                related = getattr(self.instance, name)
                widget.preloaded = [related] if related is not None else []

    def _replace_partial_date_fields(self):
        """The model's partial dates (its `partial_dates`) typed as "2009", "2009-04" or a day."""
        for bound, end in getattr(self.instance, "partial_dates", {}).items():
            if bound not in self.fields:
                continue
            label, required = self.fields[bound].label, self.fields[bound].required
            self.fields[bound] = PartialDateField(end=end, label=label, required=required)
            self.initial[bound] = iso_partial_date(
                getattr(self.instance, bound), getattr(self.instance, f"{bound}_precision")
            )

    def clean(self):
        cleaned = super().clean()
        for bound in getattr(self.instance, "partial_dates", {}):
            if bound in self.fields and isinstance(cleaned.get(bound), tuple):
                value, precision = cleaned[bound]
                cleaned[bound] = value
                field = self.instance._meta.get_field(f"{bound}_precision")
                if not precision and not field.blank:  # no date: the precision keeps its default
                    precision = field.get_default()
                setattr(self.instance, f"{bound}_precision", precision)
        return cleaned

    def _post_clean(self):
        # A stored row that was not edited is valid as stored: re-checking each row of a page's
        # formsets (constraints, overlaps) would cost queries per row on every save.
        if self.instance.pk is not None and not self.has_changed():
            return
        super()._post_clean()

    def save(self, commit=True):
        reason = self.cleaned_data.get("change_reason")
        if reason:
            self.instance._change_reason = reason
        return super().save(commit)


def preload_submitted_choices(bound_forms):
    """A formset's rows sent back: the records their selects name (the row's own id, a process,
    a participant ...) read in one query per field for all the rows, for validation and for the
    autocomplete widgets shown again after an error. Django's fields would query once per row."""
    bound_forms = [form for form in bound_forms if form.is_bound]
    if not bound_forms:
        return
    for name, field in bound_forms[0].fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if field.to_field_name not in (None, field.queryset.model._meta.pk.name):
            continue
        multiple = isinstance(field, forms.ModelMultipleChoiceField)
        keys = set()
        for form in bound_forms:
            data = form.data
            values = (
                data.getlist(form.add_prefix(name))
                if hasattr(data, "getlist")
                else [data.get(form.add_prefix(name))]
            )
            keys.update(int(v) for v in values if str(v).isdigit())
        found = field.queryset.in_bulk(keys) if keys else {}
        for form in bound_forms:
            own = form.fields[name]
            if not multiple:
                own.to_python = partial(_preloaded_choice, own, found)
            widget = _unwrap(own.widget)
            if isinstance(widget, PreloadedChoicesMixin):
                widget.preloaded = list(found.values())


def _preloaded_choice(field, found, value):
    if value in field.empty_values:
        return None
    key = int(value) if str(value).isdigit() else None
    if key in found:
        return found[key]
    return forms.ModelChoiceField.to_python(field, value)  # not sent with the page: the usual query


class CitingModelForm(RegistryModelForm):
    """Adds a citation to the saved fact: a source and a locator, both or neither."""

    # Set once per formset (see admin SourceChoicesMixin) so that rows do not each query the sources.
    source_choices = None

    cite_source = forms.ModelChoiceField(
        queryset=m.SourceDocument.objects.all(), required=False, label=_("Cite source"), widget=FastSelect
    )
    cite_locator = forms.CharField(
        required=False,
        max_length=300,
        label=_("Locator"),
        help_text=_("Annex, paragraph, table row and column."),
        widget=forms.TextInput(attrs={"size": 24}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.source_choices is not None:
            self.fields["cite_source"].choices = self.source_choices

    def clean(self):
        cleaned = super().clean()
        source, locator = cleaned.get("cite_source"), (cleaned.get("cite_locator") or "").strip()
        if locator and not source:
            self.add_error("cite_source", _("A citation locator needs its source document."))
        if source and not locator:
            self.add_error(
                "cite_locator", _("Say where in %(source)s (annex, paragraph, row).") % {"source": source}
            )
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit)
        if commit:
            self._save_citation()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_citation():
                save_m2m()
                self._save_citation()

            self.save_m2m = save_m2m_and_citation
        return instance

    def _save_citation(self):
        source, locator = (
            self.cleaned_data.get("cite_source"),
            (self.cleaned_data.get("cite_locator") or "").strip(),
        )
        if source and locator:
            self.instance.cite(source, locator, reason=self.cleaned_data.get("change_reason") or "")


# The filters' fields (registry/filtersets.py) ----------------------------------------------------


class SourceField(forms.ModelChoiceField):
    """A source document given by its symbol ("SCPF/30") or its slug ("scpf-30")."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        source = self.queryset.filter(Q(symbol__iexact=text) | Q(slug=text)).first()
        if source is None:
            raise forms.ValidationError(
                _("Unknown source %(value)s (give its symbol, e.g. SCPF/30)."),
                code="invalid_choice",
                params={"value": text},
            )
        return source


class SingleSelect(PythonRenderedSelectMixin, forms.SelectMultiple):
    """One <select> with a blank choice on the pages (no JavaScript needed), while every value
    given is read (?process=a&process=b in the API)."""

    allow_multiple_selected = False
    # Beyond this many records (20,000 states in the synthetic 100x registry) a <select> weighs
    # megabytes: the field becomes a text box for the slug.
    max_options = 500

    def use_required_attribute(self, initial):
        """Never required (a filter). Django's Select asks its first choice to decide, which would
        build and sort every choice (20,000 names) even when the box becomes a text box."""
        return False

    def render(self, name, value, attrs=None, renderer=None):
        if len(self.choices) <= self.max_options:
            return super().render(name, value, attrs, renderer)
        given = next((item for item in value or () if item), "")
        attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<input type="text" name="{}" value="{}" placeholder="{}"{}>',
            name,
            given,
            _("slug"),
            flatatt(attrs),
        )

    def optgroups(self, name, value, attrs=None):
        blank = self.create_option(name, "", "\u2014", not any(value), 0)
        return [(None, [blank], 0), *super().optgroups(name, value, attrs)]


class NameOrderedChoices(ModelChoiceIterator):
    """The records in name order in the language in use (see local_names.sort_key)."""

    def __iter__(self):
        language = local_names.language_code()
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: local_names.sort_key(str(choice[1]), language))


class SlugsField(forms.ModelMultipleChoiceField):
    widget = SingleSelect
    iterator = NameOrderedChoices

    def label_from_instance(self, obj):
        """Processes and participants by their names in the language in use."""
        if isinstance(obj, m.Process):
            return local_names.book().process_short_name(obj).text
        if isinstance(obj, m.Participant):
            name = local_names.book().participant_name(obj).text
            return f"{name} ({obj.acronym})" if obj.acronym and obj.acronym != name else name
        return super().label_from_instance(obj)

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = [item for item in value if item not in self.empty_values]
        return super().clean(value)
