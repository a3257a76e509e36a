"""`manage.py bench --writes N`: the writer of the reads-under-writes mode keeps its rate against a
real server, each write lands, and a write the server refuses is counted, not hidden."""

import time
from urllib.parse import urlsplit

import pytest

from registry.management.commands.bench import Writer

pytestmark = pytest.mark.live


def test_the_writer_sends_its_writes_a_second_and_each_lands(live_registry):
    api = live_registry.session()
    rows = api.get(f"{live_registry.url}/api/participations/", params={"page_size": 5}).json()["results"]
    pks = [row["id"] for row in rows]
    writer = Writer(urlsplit(live_registry.url).port, live_registry.curator_token, pks, per_second=10)
    writer.begin()
    time.sleep(1.5)
    done = writer.end()
    assert 12 <= done["done"] <= 17 and done["errors"] == 0  # on schedule: ~15 in 1.5 s
    assert 0 < done["p50"] <= done["p99"]
    notes = {api.get(f"{live_registry.url}/api/participations/{pk}/").json()["status_note"] for pk in pks}
    assert all(note.startswith("Benchmark write ") for note in notes)

    refused = Writer(urlsplit(live_registry.url).port, live_registry.viewer_token, pks, per_second=10)
    refused.begin()
    time.sleep(0.35)
    assert refused.end()["errors"] == refused.sent >= 3  # a viewer may not write: 403, counted
