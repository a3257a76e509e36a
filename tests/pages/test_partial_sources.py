"""A source that lists only the members says nothing of the region, the secretariat or IOM's role:
those stay as the last source that stated them gave them, on every page and in the API, and the
past holds."""

from datetime import date

import pytest

from registry import models as m

from ..helpers import make_later_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_only(db):
    """A 2014 news item about MIDSA that lists its members, and nothing else."""
    source = make_later_source("MIDSA ministerial meeting news item (test)", date(2014, 10, 1), kind="other")
    midsa = m.Process.objects.get(slug="midsa")
    members = m.Participation.objects.filter(process=midsa, role="member", account__source__symbol="SCPF/30")
    names = list(members.order_by("position").values_list("name_as_cited", flat=True))
    m.AccountDraft(process=midsa, source=source, locator="para. 1", lists={"member": names}).apply()
    return midsa


def row_of(html, name):
    return html.split(name, 1)[1].split("</tr>", 1)[0]


def test_what_a_members_only_source_does_not_state_stays(client, members_only):
    for address in ("/en/processes/", "/en/processes/?as_of=2009-04-30", "/en/processes/?as_of=2020"):
        row = row_of(client.get(address).content.decode(), ">MIDSA<")
        assert ">Africa</td>" in row, address  # the region SCPF/30 gives
        assert ">no official secretariat</td>" in row, address  # the secretariat SCPF/30 gives
    page = client.get("/en/processes/midsa/").content.decode()
    assert "No source describes IOM's role as of this date" not in page
    told = page.split('id="attested-by-aspect"')[1].split("</p>")[0]
    assert "member / participating government — 1 October 2014 (MIDSA ministerial meeting news item" in told
    assert "observer, partner — April 2009 (SCPF/30)" in told  # lists the news item does not state
    assert "IOM&#x27;s role — April 2009 (SCPF/30)" in told and "secretariat — April 2009 (SCPF/30)" in told
    roles = m.IomRole.objects.as_of(date(2026, 1, 1)).filter(process=members_only)
    assert roles.exists() and {r.account.source.symbol for r in roles} == {"SCPF/30"}
    detail = client.get("/api/processes/midsa/").json()
    assert detail["secretariat"]["source"] == "SCPF/30" and detail["region"] is not None


def test_each_role_list_is_told_with_the_source_it_rests_on(client):
    """A news item names some Budapest members (a partial list): the page says the members rest
    on it, the observers and partners on SCPF/30, and lists both."""
    source = make_later_source("Budapest Process meeting news item (test)", date(2024, 3, 14), kind="other")
    budapest = m.Process.objects.get(slug="budapest-process")
    draft = m.AccountDraft(
        process=budapest,
        source=source,
        locator="para. 2",
        lists={"member": ["Albania", "Laos PDR"]},
        partial_roles=frozenset({"member"}),
    )
    draft.apply()
    page = client.get("/en/processes/budapest-process/")
    assert page.status_code == 200
    told = page.content.decode().split('id="attested-by-aspect"')[1].split("</p>")[0]
    assert "member / participating government — 14 March 2024 (Budapest Process meeting news item" in told
    assert (
        "observer or partner (the source does not say which), secretariat, chair, co-chair — April 2009"
        in told
    )
    html = page.content.decode()
    assert "Lao People" in html and "Ukraine" in html  # the news item's member, and SCPF/30's


def test_a_participant_page_says_which_later_source_speaks_for_each_statement(client):
    source = make_later_source("Budapest Process members present (test)", date(2024, 3, 14), kind="other")
    budapest = m.Process.objects.get(slug="budapest-process")
    m.AccountDraft(
        process=budapest,
        source=source,
        locator="para. 2",
        lists={"member": ["Albania"]},
        partial_roles=frozenset({"member"}),
        leavings=[m.Leaving("member", "Hungary", "withdrew")],
    ).apply()

    def budapest_rows(slug):
        """The rows of the Budapest Process's statements as a member."""
        html = client.get(f"/en/states/{slug}/").content.decode()
        groups = html.split('scope="rowgroup"')[1:]
        group = next(group for group in groups if ">Budapest Process</a>" in group[:400])
        return [row for row in group.split("<tr") if "member" in row]

    albania = budapest_rows("albania")
    assert any("superseded by Budapest Process members present (test)" in row for row in albania)
    assert any("in force" in row for row in albania)  # the news item's own statement
    assert any(
        "superseded by Budapest Process members present (test)" in row for row in budapest_rows("hungary")
    )
    assert any("in force" in row for row in budapest_rows("ukraine"))  # a partial list leaves it
