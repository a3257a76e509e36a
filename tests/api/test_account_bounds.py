"""An account's size is bounded and its cost does not grow by query per name: 2,000 names (most of
them new participants) are previewed and recorded; above the documented limit, a 400 naming it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as m
from registry.models.account_lists import MAX_NAMES

pytestmark = pytest.mark.django_db

URL = "/api/processes/budapest-process/accounts/"


def two_thousand(later_source):
    known = sorted(m.State.objects.values_list("name", flat=True))
    new = [f"Test Organization {number:04d}" for number in range(2000 - len(known))]
    return {
        "source": later_source.key,
        "locator": "Annex, list of participants",
        "lists": {"member": known + new},
        "resolutions": {name: {"name": name, "kind": "organization"} for name in new},
    }


def test_two_thousand_names_are_previewed_and_recorded_without_a_query_per_name(curator_api, later_source):
    body = two_thousand(later_source)
    with CaptureQueriesContext(connection) as preview:
        answer = curator_api.post(URL, {**body, "dry_run": True}, format="json")
    assert answer.status_code == 200, answer.json()
    with CaptureQueriesContext(connection) as applied:
        answer = curator_api.post(URL, body, format="json")
    assert answer.status_code == 201, answer.json()
    # Rows go in batches (SQLite binds at most 999 values a statement: ~310 statements for 2,000
    # participations, 1,735 participants, their citations, histories and feed entries), never one
    # statement a name.
    assert len(preview) < 60 and len(applied) < 2000 / 5, (len(preview), len(applied))
    account = m.ProcessAccount.objects.get(source=later_source)
    assert account.participations.count() == 2000
    new = m.Participant.objects.filter(name__startswith="Test Organization").count()
    assert new == 2000 - m.State.objects.count()
    # Each participation, each new participant and the account cite the source.
    assert m.Citation.objects.filter(source=later_source).count() == 2000 + new + 1


@pytest.mark.parametrize("count", [MAX_NAMES + 1, 50_000])
def test_above_the_limit_is_a_400_naming_it_and_nothing_is_written(curator_api, later_source, count):
    before = m.Change.objects.count()
    names = [f"Name {number}" for number in range(count)]
    for dry_run in (True, False):
        body = {"source": later_source.key, "locator": "p. 1", "lists": {"member": names}, "dry_run": dry_run}
        answer = curator_api.post(URL, body, format="json")
        assert answer.status_code == 400
        assert f"At most {MAX_NAMES:,} names in one account ({count:,} given)" in answer.json()["lists"][0]
    assert m.Change.objects.count() == before
