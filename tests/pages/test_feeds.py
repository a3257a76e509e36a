"""Atom feeds of the changes — the registry's, a process's, a state's — linked from the pages and
valid Atom 1.0 as a feed reader (feedparser) reads them."""

import feedparser
import pytest

from registry import models as m

pytestmark = pytest.mark.django_db


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/en/", "/en/changes.atom"),
        ("/en/processes/budapest-process/", "/en/processes/budapest-process/changes.atom"),
        ("/en/states/albania/", "/en/states/albania/changes.atom"),
        ("/en/organizations/unhcr/", "/en/organizations/unhcr/changes.atom"),
    ],
)
def test_pages_link_their_valid_atom_feed(client, page, feed):
    html = client.get(page).content.decode()
    assert f'type="application/atom+xml" href="{feed}"' in html
    atom = parsed(client, feed)
    assert atom.entries and all(entry.id.startswith("urn:rcp-registry:change:") for entry in atom.entries)
    assert len({entry.id for entry in atom.entries}) == len(atom.entries)


def test_a_change_appears_in_the_process_and_state_feeds_with_what_changed(client, curator):
    albania = m.Participation.objects.filter(
        process__slug="budapest-process", participant__iso_code="AL"
    ).first()
    albania.status_note = "Confirmed at the 2024 conference (test)"
    albania._change_reason = "A test change"
    albania.save()
    for url in (
        "/en/processes/budapest-process/changes.atom",
        "/en/states/albania/changes.atom",
        "/en/changes.atom",
    ):
        newest = parsed(client, url).entries[0]
        assert "Albania" in newest.title and "updated" in newest.title
        assert (
            "Confirmed at the 2024 conference (test)" in newest.summary and "A test change" in newest.summary
        )
    other = parsed(client, "/en/processes/bali-process/changes.atom").entries[0]
    assert "Confirmed at the 2024" not in other.summary


def test_an_unknown_process_feed_is_a_404(client):
    assert client.get("/en/processes/atlantis/changes.atom").status_code == 404


def test_a_feed_costs_no_query_per_entry(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/processes/budapest-process/changes.atom").status_code == 200
        return len(captured)

    before = queries()
    for row in m.Participation.objects.filter(process__slug="budapest-process")[:30]:
        row.status_note = "touched (test)"
        row.save()
    assert queries() <= before <= 40  # 50 entries either way: a few queries per kind of record
