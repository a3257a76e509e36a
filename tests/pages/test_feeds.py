"""Atom feeds of the changes — the registry's, a process's, a state's — linked from the pages and
valid Atom 1.0 as a feed reader (feedparser) reads them."""

import re

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
        source = albania.account.source
        assert newest.title == (
            "Albania as member / participating government in Budapest Process: changed"
            f" — {source.label}, {source.as_of_display}"
        )
        assert newest.link == "http://testserver/en/processes/budapest-process/"
        assert (
            "Confirmed at the 2024 conference (test)" in newest.summary and "A test change" in newest.summary
        )
        assert "status_note" not in newest.summary and "status note: — → “Confirmed" in newest.summary
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


ROUGH = re.compile(r"\b\w+_\w+\b|(?<!/)\b\d{3}\b|\b\d{5,}\b")  # a field name ("status_note"), a row number


def test_a_recorded_account_is_one_entry_listing_who_joined_and_left(client, later_source):
    process = m.Process.objects.get(slug="budapest-process")
    in_force = m.Participation.objects.filter(
        process=process, role="member", account__source__symbol="SCPF/30"
    )
    names = [row.name_as_cited for row in in_force.order_by("position")]
    draft = m.AccountDraft(
        process=process,
        source=later_source,
        locator="para. 3",
        lists={"member": [n for n in names if n != "Ukraine"] + ["Kosovo"]},
        picks={"Kosovo": m.NewParticipant(name="Kosovo", kind="territory", iso_code="XK")},
        reason="Recorded from the 2024 declaration (test)",
    )
    draft.apply()
    for language, joined, left in (
        ("en", "Listed", "No longer listed"),
        ("fr", "Inscrits", "Ne sont plus inscrits"),
    ):
        feed = parsed(client, f"/{language}/processes/budapest-process/changes.atom")
        newest = feed.entries[0]
        assert newest.link == f"http://testserver/{language}/processes/budapest-process/"
        assert later_source.title in newest.title
        assert (
            f"{joined}: Kosovo" in newest.summary and left in newest.summary and "Ukraine" in newest.summary
        )
        assert feed.feed.language == language if "language" in feed.feed else True
        assert not ROUGH.search(newest.title)
        second = feed.entries[1]
        assert later_source.title not in second.title  # the whole account is the first entry alone


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_entry_reads_as_words_linking_a_page_in_the_feeds_language(client, language):
    participation = m.Participation.objects.filter(process__slug="midsa").first()
    participation.status_note = "Confirmed (test)"
    participation._change_reason = "A check"
    participation.save()
    citation = m.Citation.objects.filter(source__symbol="SCPF/30").first()
    citation.delete()
    for url in ("changes.atom", "processes/midsa/changes.atom", "states/angola/changes.atom"):
        feed = parsed(client, f"/{language}/{url}")
        for entry in feed.entries:
            assert entry.link.startswith(f"http://testserver/{language}/"), entry.link
            assert not ROUGH.search(entry.title), entry.title
            assert " (participations)" not in entry.title and "(stated-totals)" not in entry.title
            for english in (" listed as ", " added: ", " changed: ", " removed: ", "Also:", "Listed:"):
                assert language == "en" or english not in entry.title + entry.summary, (english, entry.title)
