"""The process page's "Record a new account": paste the lists, settle the names that do not
resolve, preview, record — as a curator does it, through the admin's forms."""

import re

import pytest
from django.urls import reverse

from registry import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def budapest(process):
    return process("budapest-process")


@pytest.fixture
def page(budapest):
    return reverse("admin:registry_process_record_account", args=[budapest.pk])


@pytest.fixture
def members(budapest):
    rows = m.Participation.objects.filter(process=budapest, role="member", account__source__symbol="SCPF/30")
    return list(rows.order_by("position").values_list("name_as_cited", flat=True))


def form(later_source, names, **changes):
    data = {
        "source": later_source.pk,
        "locator": "para. 3",
        "list_member": "\n".join(names),
        "list_observer": "UNHCR, Frontex",
        "total_member": len(names),
        "leader_chair": "Türkiye",
        "leader_chair_start": "2024-06",
        "change_reason": "Fifth Ministerial Conference (test)",
        "preview": "Preview",
    }
    data.update(changes)
    return data


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_the_process_page_offers_it_and_a_viewer_may_not(client, viewer, budapest, page):
    assert client.get(page).status_code == 403


def test_a_curator_records_an_account_with_two_unknown_names(
    client, curator, budapest, page, later_source, members
):
    change = client.get(reverse("admin:registry_process_change", args=[budapest.pk])).content.decode()
    assert page in change and "Record a new account" in change
    assert client.get(page).status_code == 200
    names = [name for name in members if name != "Ukraine"] + ["Phillipines", "Kosovo"]
    first = client.post(page, form(later_source, names))
    html = first.content.decode()
    assert first.status_code == 200 and "Names to settle" in html
    assert "“Phillipines”" in html and "“Kosovo”" in html and 'name="record"' not in html
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()
    philippines = m.Participant.objects.get(slug="philippines")
    rows = {"Phillipines": 0, "Kosovo": 1}
    settle = {
        "resolve-count": 2,
        f"resolve-{rows['Phillipines']}-name": "Phillipines",
        f"resolve-{rows['Phillipines']}-choice": philippines.pk,
        f"resolve-{rows['Kosovo']}-name": "Kosovo",
        f"resolve-{rows['Kosovo']}-choice": "new",
        f"resolve-{rows['Kosovo']}-new_name": "Kosovo",
        f"resolve-{rows['Kosovo']}-new_kind": "territory",
        f"resolve-{rows['Kosovo']}-new_iso_code": "XK",
    }
    second = client.post(page, {**form(later_source, names), **settle})
    html = second.content.decode()
    assert 'name="record"' in html
    assert "Joined (2)" in html and "Kosovo (new)" in html  # and Philippines
    assert "Ukraine" in html[html.index("Left (listed before") :]
    # The settled names stay on the page, chosen, until the account is recorded.
    assert hidden(html, "resolve-count") == "2"
    assert f'value="{philippines.pk}" checked' in html.replace(' id="id_resolve-0-choice_0"', "")
    record = {
        **form(later_source, names),
        **settle,
        "previewed": hidden(html, "previewed"),
        "record": "Record",
    }
    record.pop("preview")
    done = client.post(page, record)
    assert done.status_code == 302, done.content.decode()[:2000]
    account = m.ProcessAccount.objects.get(source=later_source, process=budapest)
    assert account.participations.filter(role="member").count() == len(names)
    assert m.Participant.objects.get(iso_code="XK").participations.get().name_as_cited == "Kosovo"
    assert m.ParticipantAlias.objects.filter(name="Phillipines", participant=philippines).exists()
    history = m.Participation.history.filter(account_id=account.pk)
    assert set(history.values_list("history_change_reason", flat=True)) == {
        "Fifth Ministerial Conference (test)"
    }


def test_edited_lists_after_the_preview_are_previewed_again_not_recorded(
    client, curator, budapest, page, later_source, members
):
    html = client.post(page, form(later_source, members)).content.decode()
    record = {**form(later_source, members[:-1]), "previewed": hidden(html, "previewed"), "record": "Record"}
    response = client.post(page, record)
    assert response.status_code == 200 and "changed since the preview" in response.content.decode()
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"list_member": "", "list_observer": "", "leader_chair": ""},
            "State at least one list, departure or aspect of the process.",
        ),
        ({"list_member": "Albania\nalbania"}, "twice"),
        ({"leader_chair_start": "June"}, "Enter a year"),
        ({"locator": ""}, "This field is required."),
        ({"total_member": "-3"}, "greater than or equal to 0"),
    ],
)
def test_bad_input_is_a_form_error(client, curator, page, later_source, changes, message):
    response = client.post(page, form(later_source, ["Albania"], **changes))
    html = response.content.decode()
    assert response.status_code == 200 and "errornote" in html and message in html
    assert not m.ProcessAccount.objects.filter(source=later_source).exists()


def test_a_second_account_of_a_source_points_to_the_first(client, curator, budapest, page):
    scpf = m.SourceDocument.objects.get(symbol="SCPF/30")
    html = client.post(page, form(scpf, ["Albania"])).content.decode()
    existing = m.ProcessAccount.objects.get(process=budapest, source=scpf)
    assert "already has an account" in html
    assert reverse("admin:registry_processaccount_change", args=[existing.pk]) in html


def test_a_partial_list_a_departure_and_an_aspect_from_the_admin(
    client, curator, budapest, page, later_source
):
    data = {
        "source": later_source.pk,
        "locator": "para. 2",
        "list_member": "Albania, Austria",
        "partial_member": "on",
        "leaving_withdrew": "Hungary",
        "region": "Europe and Central Asia",
        "preview": "Preview",
    }
    html = client.post(page, data).content.decode()
    left = html[html.index("Left (listed before") : html.index("Role changed (")]
    changed = html[html.index("Role changed (") : html.index("unchanged</summary>")]
    assert "(0)" in left  # a partial list infers no departure
    # Hungary keeps its other role in the process: its role changed, as the document says.
    assert "Hungary — members who withdrew" in changed
    record = {**data, "previewed": hidden(html, "previewed"), "record": "Record"}
    record.pop("preview")
    assert client.post(page, record).status_code == 302
    account = m.ProcessAccount.objects.get(source=later_source, process=budapest)
    assert dict(account.stated_lists.values_list("role", "complete")) == {"member": False}
    assert account.departures.get().participant.slug == "hungary"
    assert account.region.name == "Europe and Central Asia" and account.secretariat_kind == ""
