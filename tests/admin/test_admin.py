"""The curators' admin: every model's pages, the process hub, validation, history and revert,
permissions, and re-loading the fixtures after a curator's edit."""

from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import models as m
from registry.permissions import CURATOR, VIEWER, setup_groups
from registry.seeding import seed
from tests.helpers import form_data, inline_prefix

from ..helpers import make_later_source

pytestmark = pytest.mark.django_db

REGISTRY_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "registry"]


def url(model, view, *args):
    return reverse(f"admin:registry_{model._meta.model_name}_{view}", args=args)


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def test_every_registry_model_is_in_the_admin():
    expected = set(apps.get_app_config("registry").get_models())
    expected = {model for model in expected if not model.__name__.startswith("Historical")}
    expected -= {m.State, m.Organization}  # proxies of Participant: the participant admin filters by kind
    expected -= {m.RegistryVersion, m.ProcessVersion}  # the response cache's change counters, not data
    expected -= {m.SeedKey}  # the seed's memory of what it loaded: written by `seed` and `import` only
    expected -= {m.FormerSlug}  # written by a rename only; shown on its record's page and in the API
    expected -= {m.RateCount}  # the API's rate counts: bookkeeping, rolled over every minute
    assert expected == set(REGISTRY_ADMINS)


def first_row(model):
    """A row of the model: the fixtures' first, or for the facts the papers do not give (a
    process's status over time, succession) a test row."""
    obj = model.objects.order_by("pk").first()
    if obj is None and model is m.StatusPeriod:
        obj = m.StatusPeriod.objects.create(process=m.Process.objects.first(), status="dormant")
    if obj is None and model is m.Succession:
        earlier, later = m.Process.objects.order_by("pk")[:2]
        obj = m.Succession.objects.create(predecessor=earlier, successor=later)
    if obj is None and model is m.Departure:  # the papers state none: a test source does
        account = m.ProcessAccount.objects.create(
            process=m.Process.objects.order_by("pk").first(), source=make_later_source()
        )
        obj = m.Departure.objects.create(
            account=account, participant=m.Participant.objects.order_by("pk").first(), role="member"
        )
    if obj is None and model is m.WorkerHeartbeat:
        obj = m.WorkerHeartbeat.start()
    if obj is None and model in (m.Subscription, m.Delivery):  # webhooks: none in the fixtures
        subscription = m.Subscription.objects.create(name="A portal (test)", url="https://93.184.216.34/hook")
        change = m.Change.objects.order_by("sequence").first()
        delivery = m.Delivery.objects.create(
            subscription=subscription, change=change, next_attempt=change.time
        )
        obj = subscription if model is m.Subscription else delivery
    return obj


@pytest.mark.parametrize("model", REGISTRY_ADMINS, ids=lambda model: model.__name__)
def test_changelist_add_and_change_pages_for_a_curator(client, curator, model):
    obj = first_row(model)
    assert obj is not None, "the fixtures have a row of every model"
    if model in (m.Change, m.Delivery, m.WorkerHeartbeat):  # logs, read-only: list and entries
        assert queries(client, url(model, "changelist")) < 20
        assert queries(client, url(model, "change", obj.pk)) < 20
        assert client.get(url(model, "add")).status_code == 403
        return
    many = queries(client, url(model, "changelist"))
    one = queries(client, url(model, "changelist") + f"?id__exact={obj.pk}")
    assert many == one, f"{model.__name__}: a query per row ({many} for a page, {one} for one row)"
    assert queries(client, url(model, "add")) < 40
    assert queries(client, url(model, "change", obj.pk)) < 45
    assert queries(client, url(model, "history", obj.pk)) < 22  # a process's: a query per kind of fact


def test_process_page_and_its_history_cost_no_query_per_row(client, curator):
    budapest = m.Process.objects.get(slug="budapest-process")
    change, history = url(m.Process, "change", budapest.pk), url(m.Process, "history", budapest.pk)
    newcomers = list(
        m.Participant.objects.states_and_territories().exclude(participations__process=budapest)[:35]
    )
    assert len(newcomers) == 35

    def add(participants):
        for participant in participants:
            m.Participation.objects.create(process=budapest, participant=participant, role="observer")

    add(newcomers[:5])  # the page and the history then hold rows of every kind measured below
    queries(client, change)  # warm the content-type cache
    before = queries(client, change), queries(client, history)
    add(newcomers[5:])
    # The history resolves its latest 100 changes' links with a query per kind of link, so it
    # may need fewer once the latest are all participations; never more.
    after = queries(client, change), queries(client, history)
    assert after[0] == before[0] and after[1] <= before[1]


def test_participant_page_costs_no_query_per_row(client, curator):
    australia = m.Participant.objects.get(iso_code="AU")
    change = url(m.Participant, "change", australia.pk)
    queries(client, change)
    before = queries(client, change)
    for process in m.Process.objects.exclude(participations__participant=australia):
        m.Participation.objects.create(process=process, participant=australia, role="invited")
    assert australia.participations.count() > 15
    assert queries(client, change) == before


@pytest.mark.parametrize(
    "search",
    ["Swaziland", "SZ", "Eswatini", "Laos PDR", "ICMPD"],
)
def test_participants_are_found_by_any_name_variant_iso_code_or_acronym(client, curator, search):
    response = client.get(url(m.Participant, "changelist"), {"q": search})
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize(
    "search", ["Puebla Process", "Conferencia Regional sobre Migraciones", "MDSA", "Budapest Group"]
)
def test_processes_are_found_by_any_alias(client, curator, search):
    response = client.get(url(m.Process, "changelist"), {"q": search})
    assert response.context["cl"].result_count == 1


def test_autocomplete_finds_a_state_by_a_papers_spelling(client, curator):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Swaziland",
            "app_label": "registry",
            "model_name": "participation",
            "field_name": "participant",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["Eswatini"]


# ------------------------------------------------------------------ the process page as hub


def test_a_presidency_handed_over_from_the_process_page(client, curator):
    """Guatemala hands the RCM presidency pro tempore to Honduras: Guatemala's line is edited on
    its own page, which returns to the process page, where Honduras's row is added."""
    rcm = m.Process.objects.get(slug="rcm")
    hub = url(m.Process, "change", rcm.pk)
    page = client.get(hub)
    guatemala = m.Participation.objects.get(
        process=rcm,
        role="presidency_pro_tempore",
        participant__iso_code="GT",
        account__source__symbol="SCPF/30",
    )
    group = next(g for g in page.context["participation_groups"] if g.role == "presidency_pro_tempore")
    edit = next(row.edit_url for row in group.rows if row.pk == guatemala.pk)
    assert edit in page.content.decode()
    row_page = client.get(edit)
    data = form_data(row_page)
    data.update({"end": "2009-06", "change_reason": "Presidency rotation", "_save": "Save"})
    saved = client.post(edit, data)
    assert saved.status_code == 302 and saved["Location"] == f"{hub}#participations-overview"

    page = client.get(hub)
    data = form_data(page)
    prefix = inline_prefix(page, "participation")
    new = f"{prefix}-{int(data[f'{prefix}-INITIAL_FORMS'])}"  # the blank row
    honduras = m.Participant.objects.get(iso_code="HN")
    data.update(
        {
            f"{new}-participant": str(honduras.pk),
            f"{new}-role": "presidency_pro_tempore",
            f"{new}-start": "2009-06",
            f"{new}-cite_source": str(m.SourceDocument.objects.get(symbol="SCPF/30").pk),
            f"{new}-cite_locator": "Annex II, row 'RCM', column 'Governments' (the rotation)",
            "change_reason": "Presidency rotation",
        }
    )
    response = client.post(hub, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    guatemala.refresh_from_db()
    assert guatemala.end.isoformat() == "2009-06-30" and guatemala.end_precision == "month"
    new_row = m.Participation.objects.get(process=rcm, role="presidency_pro_tempore", participant=honduras)
    assert new_row.start_precision == "month" and new_row.account is None
    assert new_row.citations.get().source.symbol == "SCPF/30"
    record = guatemala.history.latest()
    assert (record.history_user, record.history_change_reason) == (curator, "Presidency rotation")
    assert {c.field for c in record.diff_against(record.prev_record).changes} == {"end", "end_precision"}
    history = client.get(url(m.Process, "history", rcm.pk)).content.decode()
    assert "Honduras" in history and "Presidency rotation" in history


def test_the_hub_lists_participations_by_role_one_line_each(client, curator):
    budapest = m.Process.objects.get(slug="budapest-process")
    newcomers = list(m.Participant.objects.exclude(participations__process=budapest)[:60])
    for participant in newcomers:
        m.Participation.objects.create(
            process=budapest, participant=participant, role="observer", end=date(2008, 1, 1)
        )
    page = client.get(url(m.Process, "change", budapest.pk))
    groups = {group.role: group for group in page.context["participation_groups"]}
    assert list(groups)[0] == "member" and len(groups["member"].rows) == 49  # SCPF/30's governments
    observers = groups["observer"]
    assert len(observers.shown) == 50 and len(observers.folded) == 10  # the rest folded
    assert not any(row.in_force for row in observers.rows)  # ended in 2008
    html = page.content.decode()
    assert html.count('class="changelink"') >= 49 + 60
    assert html.count("<input") < 250  # no field per participation: one line each, edited on its own


def test_a_suspension_recorded_on_the_process_page(client, curator):
    """Eritrea suspended its IGAD-RCP membership from a date (a curated fact)."""
    igad = m.Process.objects.get(slug="igad-rcp")
    page = client.get(url(m.Process, "change", igad.pk))
    data = form_data(page)
    prefix = inline_prefix(page, "participation")
    new = f"{prefix}-{int(data[f'{prefix}-INITIAL_FORMS'])}"
    data.update(
        {
            f"{new}-participant": str(m.Participant.objects.get(iso_code="ER").pk),
            f"{new}-role": "member",
            f"{new}-start": "2007-04",
            f"{new}-suspended": "on",
            f"{new}-status_note": "Suspended its membership",
        }
    )
    assert client.post(url(m.Process, "change", igad.pk), data).status_code == 302
    assert m.Participation.objects.filter(
        process=igad, participant__iso_code="ER", suspended=True, account=None
    ).exists()


def test_unexplained_total_warns_on_the_process_page(client, curator):
    total = m.StatedTotal.objects.get(account__process__slug="rcm", account__source__symbol="SCPF/30")
    total.stated = 12
    total.save()
    page = client.get(url(m.Process, "change", total.account.process_id))
    warnings = [str(message) for message in page.context["messages"]]
    assert any("SCPF/30 states 12 but 11 participations" in w for w in warnings)
    bali = client.get(url(m.Process, "change", m.Process.objects.get(slug="bali-process").pk))
    assert not list(bali.context["messages"])  # its discrepancies are explained
    assert "The row lists 43 governments" in bali.content.decode()


def test_participant_page_lists_all_its_participations(client, curator):
    australia = m.Participant.objects.get(iso_code="AU")
    page = client.get(url(m.Participant, "change", australia.pk))
    formset = next(
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is m.Participation
    )
    assert formset.initial_form_count() == australia.participations.count() == 13


# ------------------------------------------------------------------ validation


def add_participation(client, **fields):
    page = client.get(url(m.Participation, "add"))
    data = form_data(page)
    data.update({key: str(value) for key, value in fields.items()})
    return client.post(url(m.Participation, "add"), data)


@pytest.fixture
def rcm_and_jamaica():
    return {
        "process": m.Process.objects.get(slug="rcm").pk,
        "participant": m.Participant.objects.get(iso_code="JM").pk,
    }


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"role": "member", "start": "2005", "end": "2004"}, "end", "cannot be before its start"),
        ({"role": "member", "start": "April 2009"}, "start", "Enter a year"),
        ({"role": "emperor"}, "role", "Select a valid choice"),
        ({"role": "member", "cite_locator": "Annex II"}, "cite_source", "needs its source document"),
    ],
)
def test_participation_form_errors_store_nothing(client, curator, rcm_and_jamaica, fields, field, message):
    before = m.Participation.objects.count(), m.Citation.objects.count()
    response = add_participation(client, **rcm_and_jamaica, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert (m.Participation.objects.count(), m.Citation.objects.count()) == before


def test_after_an_error_the_chosen_participant_and_process_are_still_chosen(client, curator, rcm_and_jamaica):
    """Autocomplete selects render what was chosen, not what is stored, when a page comes back."""
    response = add_participation(client, **rcm_and_jamaica, role="member", start="April 2009")
    page = response.content.decode()
    jamaica, rcm = m.Participant.objects.get(iso_code="JM"), m.Process.objects.get(slug="rcm")
    assert f'<option value="{jamaica.pk}" selected>' in page and f'<option value="{rcm.pk}" selected>' in page
    assert 'value="April 2009"' in page


def test_a_page_shown_again_after_an_error_costs_no_query_per_row(client, curator):
    """The participant page's rows keep their chosen process after an error, read in one query."""
    australia = m.Participant.objects.get(iso_code="AU")
    change = url(m.Participant, "change", australia.pk)

    def post_with_an_error():
        page = client.get(change)
        data = form_data(page)
        prefix = inline_prefix(page, "participation")
        data[f"{prefix}-0-start"] = "2010-13"  # no such month
        with CaptureQueriesContext(connection) as captured:
            response = client.post(change, data)
        assert response.status_code == 200 and "errornote" in response.content.decode()
        return len(captured.captured_queries), response.content.decode()

    before, _page = post_with_an_error()
    added = list(m.Process.objects.exclude(participations__participant=australia)[:10])
    for process in added:
        m.Participation.objects.create(process=process, participant=australia, role="invited")
    after, page = post_with_an_error()
    assert after == before
    assert all(f'<option value="{process.pk}" selected>' in page for process in added)


def test_overlapping_participation_is_a_form_error(client, curator, rcm_and_jamaica):
    assert add_participation(client, **rcm_and_jamaica, role="observer", start="2010").status_code == 302
    before = m.Participation.objects.count()
    response = add_participation(client, **rcm_and_jamaica, role="observer", start="2012-03", end="2013")
    assert "Overlaps" in " ".join(response.context["adminform"].form.errors["start"])
    assert m.Participation.objects.count() == before


def test_iso_code_must_be_iso_3166_1_in_the_admin(client, curator):
    page = client.get(url(m.Participant, "add"))
    data = form_data(page)
    data.update({"slug": "atlantis", "name": "Atlantis", "kind": "state", "iso_code": "ZZ"})
    response = client.post(url(m.Participant, "add"), data)
    assert "not an ISO 3166-1 alpha-2 code" in " ".join(response.context["adminform"].form.errors["iso_code"])
    assert not m.Participant.objects.filter(slug="atlantis").exists()


# ------------------------------------------------------------------ history and revert


def test_an_edit_is_in_the_history_with_user_reason_and_diff_and_can_be_reverted(client, curator):
    process = m.Process.objects.get(slug="manila-process")
    page = client.get(url(m.Process, "change", process.pk))
    data = form_data(page)
    data.update({"status": "inactive", "change_reason": "No meeting since 2000"})
    assert client.post(url(m.Process, "change", process.pk), data).status_code == 302

    history = client.get(url(m.Process, "history", process.pk)).content.decode()
    assert "curator" in history and "No meeting since 2000" in history
    assert "unknown" in history and "inactive" in history  # the field-level diff
    record = process.history.latest()
    assert [c.field for c in record.diff_against(record.prev_record).changes] == ["status"]

    original = process.history.earliest()
    revert_url = reverse("admin:registry_process_simple_history", args=[process.pk, original.history_id])
    form = client.get(revert_url)
    data = form_data(form)
    data["change_reason"] = "Reverted: the sources do not say"
    assert client.post(revert_url, data).status_code == 302
    process.refresh_from_db()
    assert process.status == "unknown"
    assert process.history.latest().history_change_reason == "Reverted: the sources do not say"


def test_reloading_the_fixtures_keeps_an_edit_made_in_the_admin(client, curator):
    process = m.Process.objects.get(slug="apc")
    data = form_data(client.get(url(m.Process, "change", process.pk)))
    data["name"] = "Asia-Pacific Consultations on Refugees, Displaced Persons and Migrants"
    assert client.post(url(m.Process, "change", process.pk), data).status_code == 302
    report = seed(settings.REGISTRY_FIXTURES_DIR)
    process.refresh_from_db()
    assert process.name == "Asia-Pacific Consultations on Refugees, Displaced Persons and Migrants"
    assert any("slug=apc: name is" in conflict for conflict in report.conflicts)


# ------------------------------------------------------------------ permissions


def test_viewer_can_look_but_not_change(client, viewer):
    process = m.Process.objects.get(slug="rcm")
    assert client.get(url(m.Process, "changelist")).status_code == 200
    assert client.get(url(m.Process, "history", process.pk)).status_code == 200
    page = client.get(url(m.Process, "change", process.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(url(m.Process, "change", process.pk), {"name": "X"}).status_code == 403
    assert client.get(url(m.Participation, "add")).status_code == 403
    assert client.get(url(m.Participation, "import")).status_code == 403


def test_only_superusers_manage_accounts(client, curator):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_setup_groups_is_idempotent():
    first = setup_groups()
    assert setup_groups() == first
    curator_codes = set(Group.objects.get(name=CURATOR).permissions.values_list("codename", flat=True))
    assert {"change_participation", "view_historicalparticipation"} <= curator_codes
    assert "change_historicalparticipation" not in curator_codes and "change_user" not in curator_codes


def test_create_curator_and_viewer_accounts(monkeypatch, client):
    monkeypatch.setenv("CURATOR_PASSWORD", "rcp-Curator-2026!")
    call_command("create_curator", "maria", "--email", "maria@example.org")
    call_command("create_curator", "sam", "--viewer")
    maria, sam = (get_user_model().objects.get(username=name) for name in ("maria", "sam"))
    assert maria.is_staff and not maria.is_superuser and [g.name for g in maria.groups.all()] == [CURATOR]
    assert [g.name for g in sam.groups.all()] == [VIEWER]
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": "maria", "password": "rcp-Curator-2026!"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/admin/"

    monkeypatch.setenv("CURATOR_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_curator", "weak")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_python_rendered_select_matches_djangos_html():
    from django import forms
    from django.test.html import parse_html

    from registry.forms import FastSelect

    choices = [
        ("", "---------"),
        ("a", "<b>Ann & co</b>"),
        ("b", "Bob"),
        ("Group", [("c", "C1"), ("d", "D1")]),
    ]
    for value in ("b", "", "d"):
        attrs = {"id": "id_x", "class": "wide", "required": True}
        ours = FastSelect(choices=choices).render("x", value, attrs)
        djangos = forms.Select(choices=choices).render("x", value, attrs)
        assert parse_html(ours) == parse_html(djangos)  # same elements, attributes and text
    assert "&lt;b&gt;Ann &amp; co&lt;/b&gt;" in ours


def test_the_hub_lists_the_participations_in_force_and_links_the_older_accounts(client, curator):
    budapest = m.Process.objects.get(slug="budapest-process")
    page = client.get(url(m.Process, "change", budapest.pk))
    rows = [row for group in page.context["participation_groups"] for row in group.rows]
    assert {row.account.source.symbol for row in rows} == {"SCPF/30"}
    assert len(rows) == budapest.participations.filter(account__source__symbol="SCPF/30").count()
    older = m.ProcessAccount.objects.get(process=budapest, source__symbol="MC/INF/266")
    link = f"process__id__exact={budapest.pk}&amp;account__source__id__exact={older.source_id}"
    assert link in page.content.decode()
    listing = client.get(
        url(m.Participation, "changelist"),
        {"process__id__exact": budapest.pk, "account__source__id__exact": older.source_id},
    )
    assert listing.context["cl"].result_count == 44


def test_the_accounts_old_admin_addresses_lead_to_the_new(client, curator, account):
    """Accounts were "process snapshots" until migration 0007; bookmarks still work."""
    account = account("bali-process", "SCPF/30")
    old = client.get(f"/admin/registry/processsnapshot/{account.pk}/change/?_changelist_filters=a")
    assert old.status_code == 301
    assert old["Location"] == f"/admin/registry/processaccount/{account.pk}/change/?_changelist_filters=a"
    assert client.get(old["Location"]).status_code == 200


def test_a_curator_adds_a_source_of_any_kind_with_partial_dates(client, curator):
    page = client.get("/admin/registry/sourcedocument/add/")
    assert 'name="symbol"' in page.content.decode() and 'name="date_precision"' not in page.content.decode()
    data = {
        "title": "Fifth Ministerial Conference of the Budapest Process, chair's summary (test source)",
        "kind": "meeting-report",
        "symbol": "",
        "body": "Budapest Process",
        "date": "2024",
        "as_of": "2024-06",
        "languages": "en",
        "web_address": "www.budapest-process.org/test",
        "description": "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/registry/sourcedocument/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source = m.SourceDocument.objects.get(title__startswith="Fifth Ministerial")
    assert (source.date, source.date_precision) == (date(2024, 1, 1), "year")
    assert (source.as_of, source.as_of_precision) == (date(2024, 6, 1), "month")
    assert source.slug.startswith("fifth-ministerial-conference") and source.web_address.startswith(
        "https://"
    )
    refused = client.post("/admin/registry/sourcedocument/add/", {**data, "as_of": "June 2024"})
    assert "Enter a year (2009)" in refused.content.decode()


def test_every_citation_select_offers_to_add_a_source_in_a_popup(client, curator):
    budapest = m.Process.objects.get(slug="budapest-process")
    page = client.get(f"/admin/registry/process/{budapest.pk}/change/").content.decode()
    assert 'id="add_id_participations-0-cite_source"' in page
    assert "/admin/registry/sourcedocument/add/?_to_field=id&amp;_popup=1" in page
    popup = client.post(
        "/admin/registry/sourcedocument/add/?_to_field=id&_popup=1",
        {
            "title": "Budapest Process web page (test source)",
            "kind": "web-page",
            "as_of": "2024",
            "_popup": "1",
            "_to_field": "id",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )
    assert popup.status_code == 200 and "popup_response" in popup.content.decode()
