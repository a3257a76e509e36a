"""Time is told per process: a source about one process moves that process's "latest known", not
every page's; pages across processes say "the newest source about any process"."""

from datetime import date

import pytest

from registry import models as m

from ..helpers import make_later_source

pytestmark = pytest.mark.django_db


def test_another_processs_later_source_leaves_a_process_page_as_it_was(client):
    source = make_later_source("Bali Process co-chairs' statement (test)", date(2024, 3, 14))
    m.AccountDraft(
        process=m.Process.objects.get(slug="bali-process"),
        source=source,
        locator="para. 2",
        lists={"member": ["Australia", "Indonesia"]},
    ).apply()
    budapest = client.get("/en/processes/budapest-process/").content.decode()
    assert "Budapest Process: its newest source is of <strong>April 2009</strong> (SCPF/30)" in budapest
    assert "Participants (latest known: sources up to April 2009)" in budapest
    banner = budapest.split('<section class="asof"')[1].split("</section>")[0]
    assert "2024" not in banner  # nor among the dates offered: the Budapest Process's sources only
    bali = client.get("/en/processes/bali-process/").content.decode()
    assert "its newest source is of <strong>14 March 2024</strong>" in bali
    home = client.get("/en/").content.decode()
    assert "the newest source about any process is of <strong>14 March 2024</strong>" in home
