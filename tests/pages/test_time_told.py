"""Time told honestly: past the newest source the pages say they show the latest known state and
how old it is; each participation says which sources list it; a state's statements say why one is
not in force; a state page answers "since when"."""

import re

import pytest

pytestmark = pytest.mark.django_db


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


def test_the_banner_says_the_latest_known_state_and_how_old_it_is(client):
    assert (
        "Showing the latest known state: the newest source about any process is of April 2009 (SCPF/30)."
        in text(client.get("/en/"))
    )
    assert "its latest known state then, from sources up to April 2009" in text(client.get("/en/?as_of=2020"))
    past = text(client.get("/en/?as_of=2005"))
    assert "Showing the registry as of 31 December 2005 : participations valid then" in past
    assert "sources up to" not in past
    assert "la fuente más reciente sobre cualquier proceso es de abril de 2009 (SCPF/30)" in text(
        client.get("/es/")
    )


def test_a_later_source_moves_the_latest_known_date(client, later_source):
    assert f"the newest source about any process is of 12 June 2024 ({later_source.label})" in text(
        client.get("/en/")
    )


def test_a_process_says_when_it_was_last_attested_and_what_lists_each_participant(client):
    page = text(client.get("/en/processes/budapest-process/"))
    assert "active (as of April 2009, SCPF/30)" in page
    assert "Last attested: April 2009 (SCPF/30). What follows is the latest known state" in page
    assert "Participants (latest known: sources up to April 2009)" in page
    assert "Albania 2003 (MC/INF/266) , April 2009 (SCPF/30)" in page  # first and last listed
    assert "Armenia April 2009 (SCPF/30) —" in page  # listed by SCPF/30 only
    then = text(client.get("/en/processes/budapest-process/?as_of=2005"))
    assert "Last attested: 2003 (MC/INF/266)." in then and "Participants (as of 31 December 2005)" in then
    assert "not news of today" not in then


def test_a_state_page_says_why_a_statement_is_not_in_force_and_since_when(client):
    page = text(client.get("/en/states/austria/"))
    assert "takes part in 4 processes (latest known: sources up to April 2009)" in page
    assert "superseded by SCPF/30 (April 2009)" in page and "Valid on the date" not in page
    assert (
        "Budapest Process : Member / participating government, listed since 2003 (MC/INF/266), "
        "the earliest source that lists it; no source says when it joined"
    ) in page
    then = text(client.get("/en/states/austria/?as_of=2005"))
    assert "not yet: listed from April 2009" in then


def test_the_map_title_says_latest_known(client):
    svg = client.get("/en/maps/process/bali-process.svg").content.decode()
    assert re.search(
        r"<title>Bali Process: \d+ members, \d+ with other roles "
        r"\(latest known: sources up to April 2009\)</title>",
        svg,
    )
