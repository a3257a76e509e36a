"""Helpers the tests of every layer share: staff accounts, an emptied registry, and a rendered
admin page turned back into the POST data a browser would send."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from registry import models as m
from registry.exports.tables import TABLES, PairTable
from registry.permissions import setup_groups


def make_staff_user(name, group):
    if not Group.objects.filter(name=group).exists():  # after a transactional test's flush
        setup_groups()
    # No password: hashing one costs a third of a second, and the tests sign in without it.
    user = get_user_model().objects.create_user(name, password=None, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def make_later_source(
    title="Budapest Process Ministerial Declaration 2024 (test)",
    day=date(2024, 6, 12),
    kind="outcome",
    **fields,
):
    """A test source after the papers (the fixtures hold only what the papers say), of that day."""
    return m.SourceDocument.objects.create(
        title=title,
        kind=kind,
        date=day,
        date_precision="day",
        as_of=day,
        as_of_precision="day",
        languages="en",
        **fields,
    )


def empty_the_registry():
    """Every registry table emptied, in one statement each (no signals, no history: quick)."""
    m.Citation.objects.all()._raw_delete(m.Citation.objects.db)
    for table in reversed(TABLES):
        model = table.through if isinstance(table, PairTable) else table.model
        model._base_manager.all()._raw_delete(model._base_manager.db)


def _value(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _put(data, name, value):
    if value is None:
        return
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        return
    if isinstance(value, (list, tuple)):
        data[name] = [str(v) for v in value]
        return
    data[name] = str(_value(value))


def form_data(response, context_key="adminform"):
    """The main form and every inline formset of an admin page, as POST data."""
    data = {}
    form = response.context[context_key].form
    for name in form.fields:
        _put(data, name, form[name].value())
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in formset.management_form.fields:
            _put(data, f"{formset.prefix}-{name}", formset.management_form[name].value())
        for subform in formset.forms:
            for name in subform.fields:
                _put(data, subform.add_prefix(name), subform[name].value())
    return data


def inline_prefix(response, model_name: str) -> str:
    """The formset prefix of the inline for a model ("participations", ...)."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            return inline.formset.prefix
    raise LookupError(model_name)


def view_queries(captured) -> list[dict]:
    """The queries an API request made for its answer (a CaptureQueriesContext's), without its
    client's rate count (registry/serving/throttles.py: one upsert a request, and a cleanup when
    a client's window begins), which is the same whatever the answer holds."""
    return [query for query in captured.captured_queries if "registry_ratecount" not in query["sql"]]
