"""The country-year table (COW IGO dyadic shape): /api/export/country-year.csv and
`manage.py export --format country-year`."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import models as m
from registry.exports.country_year import COLUMNS
from tests.helpers import view_queries

pytestmark = pytest.mark.django_db

URL = "/api/export/country-year.csv"


def table(client, **params) -> list[dict]:
    answer = client.get(URL, params)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(answer.streaming_content).decode()
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def row(rows, year, process, state) -> dict:
    (found,) = [r for r in rows if (r["year"], r["process"], r["state"]) == (str(year), process, state)]
    return found


def test_a_state_in_a_process_year_by_year_with_its_status_and_source(client):
    rows = table(client, as_of="2010")
    austria = lambda year: row(rows, year, "budapest-process", "austria")  # noqa: E731
    # The earliest year any process was established (IGC, 1985) opens the panel.
    assert min(int(r["year"]) for r in rows) == 1985 and max(int(r["year"]) for r in rows) == 2010
    assert (austria(1990)["status"], austria(1990)["source"]) == ("-1", "MC/INF/266")  # established 1991
    assert (austria(1995)["status"], austria(1995)["source"]) == ("-9", "")  # no source describes it yet
    assert austria(2003) | {"as_of": "2003-12-31"} == austria(2003)
    assert (austria(2003)["status"], austria(2003)["roles"], austria(2003)["source"]) == (
        "1",
        "member",
        "MC/INF/266",
    )
    assert (austria(2009)["status"], austria(2009)["source"]) == ("1", "SCPF/30")
    assert austria(2010)["as_of"] == "2010-12-31" and austria(2010)["iso_code"] == "AT"
    # An observer (or partner: the source does not say which) is coded 3, its role kept.
    bali = row(rows, 2009, "bali-process", "austria")
    assert (bali["status"], bali["roles"]) == ("3", "observer_or_partner")


def test_the_status_is_the_registrys_own_as_of_rule_for_every_row(client):
    """Each row of a year agrees with Participation.objects.as_of on the year's last day."""
    rows = table(client, as_of="2009-06-30")
    slugs = dict(m.Process.objects.values_list("pk", "slug"))
    states = dict(m.State.objects.values_list("pk", "slug"))
    for year, day in ((2003, date(2003, 12, 31)), (2009, date(2009, 6, 30))):
        roles = {
            (slugs[p], states[s]): held
            for (p, s), held in m.Participation.objects.as_of(day).roles_by_pair().items()
            if s in states
        }
        that_year = [r for r in rows if r["year"] == str(year)]
        assert that_year and all(r["as_of"] == day.isoformat() for r in that_year)
        for r in that_year:
            held = roles.get((r["process"], r["state"]), set())
            assert set(filter(None, r["roles"].split(";"))) == held
            if held:
                assert r["status"] in ("1", "3")
            elif r["status"] not in ("-1", "-9"):
                assert r["status"] == "0" and r["source"]
    zeros = [r for r in rows if r["status"] == "0"]
    assert zeros, "someone listed in 2003 and not in 2009 (or the reverse) reads 0"


def test_a_curated_participation_from_a_later_source_counts_from_its_start(client, later_source):
    midsa, france = m.Process.objects.get(slug="midsa"), m.State.objects.get(slug="france")
    joined = m.Participation.objects.create(
        process=midsa, participant=france, role="observer", start=date(2024, 6, 12), start_precision="day"
    )
    joined.cite(later_source, "para. 3 (test)")
    rows = table(client, as_of="2025")
    assert row(rows, 2023, "midsa", "france")["status"] == "0"
    later = row(rows, 2024, "midsa", "france")
    assert (later["status"], later["roles"], later["source"]) == ("3", "observer", later_source.key)


def test_the_command_writes_the_same_table_and_bad_dates_are_refused(client, tmp_path):
    target = tmp_path / "country-year.csv"
    call_command("export", format="country-year", as_of="2004", output=str(target))
    answer = client.get(URL, {"as_of": "2004"})
    assert target.read_bytes() == b"".join(answer.streaming_content)
    assert answer["Content-Disposition"] == 'attachment; filename="rcp-country-year-2004-12-31.csv"'
    assert client.get(URL, {"as_of": "2009-13"}).status_code == 400
    today = timezone.localdate()
    assert table(client)[-1]["year"] == str(today.year)


def test_queries_grow_with_the_years_not_the_rows(client):
    def queries(as_of):
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(URL, {"as_of": as_of})
            rows = b"".join(answer.streaming_content).count(b"\n") - 1
        return len(view_queries(captured)), rows

    (few, rows_few), (many, rows_many) = queries("1990"), queries("2009")
    assert rows_many > 4 * rows_few
    assert many - few == 2 * (2009 - 1990)  # two queries a year: the accounts in force, the participations
