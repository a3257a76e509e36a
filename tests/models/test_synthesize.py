"""The benchmark's synthetic data: the registry's shape N times over, and the API and pages keep
their query counts at that size."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m
from tests.helpers import view_queries

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.cookies.clear()  # the pages set the language cookie, which asks the API for names
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(view_queries(captured))


def test_synthetic_data_grows_the_registry_and_not_the_query_counts(client):
    urls = [
        "/api/participations/?page_size=200",
        "/api/processes/?page_size=200",
        "/en/processes/",
        "/en/overlap/",
    ]
    before = {url: queries(client, url) for url in urls}
    counts = (m.Process.objects.count(), m.Participation.objects.count(), m.Event.objects.count())
    call_command("synthesize", factor=1, verbosity=0)
    assert m.Process.objects.count() == counts[0] + 20
    assert m.Participation.objects.count() == counts[1] + 2000
    assert m.Event.objects.count() == counts[2] + 500
    assert m.Participant.objects.filter(slug__startswith="synthetic-").count() == 200
    for url in urls:
        assert queries(client, url) == before[url], url


def test_the_benchmark_floor_is_a_bare_json_view(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/ping").json() == {"ok": True}


def test_synthetic_positions_number_each_process_list():
    """Positions are small integers within each list (PostgreSQL's smallint rejects 200,000)."""
    call_command("synthesize", factor=1, verbosity=0)
    synthetic = m.Participation.objects.filter(process__slug__startswith="synthetic-")
    for process_id in synthetic.values_list("process", flat=True).distinct()[:5]:
        positions = sorted(synthetic.filter(process=process_id).values_list("position", flat=True))
        assert positions == list(range(len(positions)))
