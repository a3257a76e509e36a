"""Pages stay bounded as the registry grows (the synthetic 100x registry has 2,000 processes and
20,000 states): the overlap matrix pages its rows and columns, the timeline and the home page
page their entries, and record filters with too many choices become text boxes."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from registry import models as m
from registry.forms import NameOrderedChoices, SingleSelect
from registry.views import across_processes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    """The page sizes are patched below; cached pages would hide the change."""
    settings.RESPONSE_CACHE_SECONDS = 0


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def states_of(page):
    return re.findall(r'<th scope="row"><a href="/en/states/([\w-]+)/', page)


def test_the_overlap_matrix_pages_its_rows_and_columns(client, monkeypatch):
    monkeypatch.setattr(across_processes, "STATES_PER_PAGE", 1000)
    whole = text(client.get("/en/overlap/?min=1"))
    monkeypatch.setattr(across_processes, "STATES_PER_PAGE", 10)
    monkeypatch.setattr(across_processes, "PROCESSES_PER_PAGE", 5)
    first, second = text(client.get("/en/overlap/?min=1")), text(client.get("/en/overlap/?min=1&page=2"))
    assert states_of(first) == states_of(whole)[:10] and states_of(second) == states_of(whole)[10:20]
    assert 'href="?min=1&amp;page=2"' in first and 'href="?min=1&amp;columns=2"' in first
    column = r'<th scope="col" class="upright"><a href="/en/processes/([\w-]+)/'
    columns = re.findall(column, first)
    later = re.findall(column, text(client.get("/en/overlap/?min=1&columns=2")))
    assert len(columns) == 5 and len(later) == 5 and not set(columns) & set(later)
    # The number of processes of a state counts every column, not only the page's.
    page = states_of(whole).index("australia") // 10 + 1
    australia = text(client.get(f"/en/overlap/?min=1&page={page}&columns=3"))
    row = '/en/states/australia/">Australia</a></th><td>'
    assert australia.split(row)[1].split("<")[0] == whole.split(row)[1].split("<")[0] == "7"
    # A download has every row, and the columns of the column page asked for.
    rows = list(csv.DictReader(io.StringIO(client.get("/en/overlap/?min=1&format=csv").content.decode())))
    assert [row["state"] for row in rows][:3] and len(rows) == len(states_of(whole))
    assert len(rows[0]) == 3 + 5 + 1  # state, ISO code, count; 5 processes; the as-of date


def test_the_timeline_pages_its_entries_in_order(client, monkeypatch):
    monkeypatch.setattr(across_processes, "ENTRIES_PER_PAGE", 8)
    first, second = text(client.get("/en/timeline/")), text(client.get("/en/timeline/?page=2"))
    years = [int(y) for y in re.findall(r'<h2 id="year-(\d+)">', first + second)]
    assert years == sorted(years) and len(years) >= 2
    entries = first[first.index('<section aria-labelledby="year-') : first.index('<nav class="pager"')]
    # each year on the page is a link to its section, for a phone
    linked = [int(y) for y in re.findall(r'<a href="#year-(\d+)">', first)]
    assert linked == [int(y) for y in re.findall(r'<h2 id="year-(\d+)">', first)]
    assert entries.count("<li>") == 8 and 'rel="next"' in first and 'rel="prev"' in second
    assert "Page 1 of" in first


def test_the_home_page_pages_the_processes(client):
    template = m.Process.objects.get(slug="midsa")
    for i in range(45):
        process = m.Process.objects.create(
            slug=f"extra-{i}",
            name=f"Extra process {i}",
            short_name=f"Extra {i}",
            kind=template.kind,
            status=template.status,
        )
        account = template.accounts.first()
        m.ProcessAccount.objects.create(process=process, source=account.source, name_as_listed=process.name)
    page = text(client.get("/en/"))
    assert "Page 1 of 2" in page and f"<strong>{m.Process.objects.count()}</strong>" in page
    assert "Page 2 of 2" in text(client.get("/en/?page=2"))


def test_a_record_filter_with_too_many_choices_becomes_a_text_box(client, monkeypatch):
    select = text(client.get("/en/processes/"))
    assert '<select name="member"' in select
    monkeypatch.setattr(SingleSelect, "max_options", 10)

    def every_choice(iterator):
        raise AssertionError("a text box's choices are never built (20,000 names, sorted, at 100x)")

    monkeypatch.setattr(NameOrderedChoices, "__iter__", every_choice)
    page = text(client.get("/en/processes/?member=australia"))
    assert '<input type="text" name="member" value="australia"' in page
    assert "Bali Process" in page and "MIDSA" not in page.split("<tbody>")[1]
    assert "Select a valid choice" in text(client.get("/en/processes/?member=atlantis"))


def test_the_overlap_counts_read_the_participations_covering_index(client):
    """The states of every process run over every participation as of the date (200,000 at 100
    times the data): SQLite answers it from the covering index alone, without reading the table
    or joining the participants (0.5 s → 0.2 s at 100x). PostgreSQL chooses its plan by its
    statistics, so the plan is asserted on SQLite."""
    with CaptureQueriesContext(connection) as captured:
        text(client.get("/en/overlap/"))
    (count,) = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "registry_participation"."process_id"')
        and '"registry_participation"."participant_id" IN (SELECT' in q["sql"]
    ]
    assert " JOIN " not in count.split(" WHERE ")[0]  # participations alone, states by a subquery
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {count}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "COVERING INDEX participation_participant_idx" in plan


@pytest.mark.parametrize("as_of", ["", "2003"])
def test_the_list_by_size_is_the_member_counts_order_then_the_names(client, as_of):
    """?ordering=-size sorts by the kept members of each process (not an SQL count over every
    process): the same order and the same counts as ProcessQuerySet.with_summary, ties by name."""
    day = across_processes.as_of(RequestFactory().get("/", {"as_of": as_of})).day
    listed = m.Process.objects.existing_on(day) if as_of else m.Process.objects.all()
    counts = dict(listed.with_summary(day).values_list("slug", "member_count"))
    names = dict(m.Process.objects.values_list("slug", "short_name"))
    query = f"&as_of={as_of}" if as_of else ""
    for ordering, sign in (("-size", -1), ("size", 1)):
        response = client.get(f"/en/processes/?ordering={ordering}{query}")
        # The members shown are counted from the kept members, and are the SQL counts.
        rows = response.context["page"].object_list
        assert {row.slug: row.member_count for row in rows} == {row.slug: counts[row.slug] for row in rows}
        page = text(response)
        shown = [slug for slug in re.findall(r'href="/en/processes/([\w-]+)/', page) if slug in counts]
        shown = list(dict.fromkeys(shown))
        assert len(shown) == len(counts)
        assert [sign * counts[slug] for slug in shown] == sorted(sign * counts[slug] for slug in shown)
        for first, second in zip(shown, shown[1:], strict=False):
            if counts[first] == counts[second]:
                assert names[first].casefold() <= names[second].casefold(), (first, second)
