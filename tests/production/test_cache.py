"""The response cache (registry/serving/cache.py): repeated reads come from the cache, and any write,
through the ORM, the admin or the API, is seen on the very next request."""

import re
from collections import Counter
from datetime import date
from itertools import chain

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from registry import models as m
from registry.permissions import CURATOR
from tests.helpers import form_data, make_staff_user

pytestmark = pytest.mark.django_db
CACHE = "X-Registry-Cache"
READS = [
    "/en/",
    "/en/processes/?kind=geographic&ordering=-size",
    "/en/processes/midsa/",
    "/en/states/australia/",
    "/en/overlap/",
    "/en/timeline/",
    "/en/maps/process/midsa.svg",
    "/en/sources/scpf-30/",
    "/api/processes/midsa/",
    "/api/participations/?process=midsa&as_of=2009-04-30",
]


def table_of(sql: str) -> str:
    """Which counter a statement reads or writes: a client's rate count or the change counters
    (a process page's number is read in the same statement)."""
    return next((table for table in ("registry_ratecount", "registry_registryversion") if table in sql), sql)


@pytest.mark.parametrize("url", READS)
def test_a_repeated_read_is_answered_from_the_cache_with_one_query(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first[CACHE] == "miss"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again[CACHE] == "hit"
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # Only the change counters are read (a process page's with them), and an API read adds its
    # client's rate count (registry/serving/throttles.py; pages are not rate-limited).
    expected = ["registry_registryversion"] + (["registry_ratecount"] if url.startswith("/api/") else [])
    assert [table_of(q["sql"]) for q in queries.captured_queries] == expected


def test_each_query_string_and_date_is_its_own_entry(client):
    assert client.get("/en/processes/midsa/?as_of=2003")[CACHE] == "miss"
    assert client.get("/en/processes/midsa/?as_of=2009-04-30")[CACHE] == "miss"
    assert client.get("/en/processes/midsa/?as_of=2003")[CACHE] == "hit"


def test_an_orm_change_is_on_the_next_page(client):
    assert b"Met again in 2010" not in client.get("/en/processes/midsa/").content
    process = m.Process.objects.get(slug="midsa")
    process.status_note = "Met again in 2010."
    process.save()
    page = client.get("/en/processes/midsa/")
    assert page[CACHE] == "miss" and b"Met again in 2010" in page.content


def test_a_deletion_and_a_many_to_many_change_bump_the_counter():
    def number():
        return m.RegistryVersion.objects.get().number

    before = number()
    m.Citation.objects.filter(source__symbol="SCPF/30").first().delete()
    after_delete = number()
    role = m.IomRole.objects.filter(offices__isnull=False).first()
    role.offices.clear()
    after_clear = number()
    assert before < after_delete < after_clear


def test_a_rolled_back_write_leaves_the_counter_alone():
    before = m.RegistryVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        m.Process.objects.filter(slug="midsa").first().save()
        raise RuntimeError
    assert m.RegistryVersion.current() == before


def test_an_api_write_is_on_the_next_anonymous_read(client):
    url = "/api/processes/midsa/"
    first = client.get(url)
    assert client.get(url)[CACHE] == "hit"
    api = APIClient()
    api.force_authenticate(make_staff_user("api-curator", CURATOR))
    changed = api.patch(url, {"status_note": "Changed through the API."}, format="json")
    assert changed.status_code == 200
    again = client.get(url)
    assert again[CACHE] == "miss" and again.json()["status_note"] == "Changed through the API."
    assert again["ETag"] != first["ETag"] and again["ETag"] == changed["ETag"]


def test_an_admin_change_is_on_the_next_page(client):
    client.get("/en/processes/midsa/")
    staff = make_staff_user("admin-curator", CURATOR)
    admin = type(client)()
    admin.force_login(staff)
    process = m.Process.objects.get(slug="midsa")
    url = f"/admin/registry/process/{process.pk}/change/"
    data = form_data(admin.get(url)) | {"name": "Migration Dialogue for Southern Africa (renamed)"}
    saved = admin.post(url, data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    assert b"(renamed)" in client.get("/en/processes/midsa/").content


def test_signed_in_staff_get_fresh_pages(client, curator):
    assert CACHE not in client.get("/en/processes/midsa/")
    assert CACHE not in client.get("/en/processes/midsa/")


def test_answers_ask_browsers_to_revalidate_and_carry_last_modified(client):
    page = client.get("/en/processes/midsa/")
    assert "no-cache" in page["Cache-Control"] and page["Last-Modified"]
    again = client.get("/en/processes/midsa/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert again.status_code == 304
    api = client.get("/api/processes/")
    assert "no-cache" in api["Cache-Control"] and api["Last-Modified"]


def test_caching_can_be_turned_off(client, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    client.get("/en/processes/midsa/")
    assert CACHE not in client.get("/en/processes/midsa/")
    assert client.get("/api/processes/midsa/")[CACHE] == "miss"
    assert client.get("/api/processes/midsa/")[CACHE] == "miss"


def test_bad_requests_are_not_cached(client):
    assert client.get("/api/participations/?as_of=yesterday").status_code == 400
    assert client.get("/api/processes/atlantis/").status_code == 404
    assert client.get("/en/processes/atlantis/").status_code == 404
    assert CACHE not in client.get("/en/processes/atlantis/")


def test_api_reads_are_cached_per_negotiated_format(client):
    url = "/api/processes/midsa/"
    plain_json = client.get(url, HTTP_ACCEPT="application/json")
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=4")
    browsable = client.get(url, HTTP_ACCEPT="text/html")
    assert indented[CACHE] == browsable[CACHE] == "miss"
    assert b'\n    "slug"' in indented.content and b'\n    "slug"' not in plain_json.content
    assert browsable["Content-Type"].startswith("text/html")
    again = client.get(url, HTTP_ACCEPT="application/json")
    assert again[CACHE] == "hit" and again.content == plain_json.content
    assert again["Content-Type"] == "application/json" and "Accept" in again["Vary"]
    assert again["ETag"] == plain_json["ETag"] == indented["ETag"]


def test_signed_in_answers_are_private(client, curator):
    page = client.get("/en/processes/midsa/")
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]
    assert "private" not in type(client)().get("/en/processes/midsa/")["Cache-Control"]


def test_a_cached_answer_is_sent_in_one_piece(client):
    """The Atom feeds are written in hundreds of small pieces; kept so, each piece went out in a
    write of its own and a cache hit took 10 ms under gunicorn instead of 1."""
    for attempt in ("miss", "hit"):
        response = client.get("/en/changes.atom")
        assert response[CACHE] == attempt and len(response._container) == 1


def test_only_a_write_to_a_named_record_moves_the_names_number(participant):
    def numbers():
        return m.RegistryVersion.objects.values_list("number", "names_number").get()

    number, names = numbers()
    membership = m.Participation.objects.filter(participant=participant("AT")).first()
    membership.status_note = "Confirmed"
    membership.save()
    assert numbers() == (number + 2, names)  # the participation and its history row
    austria = participant("AT")
    austria.name = "Republic of Austria"
    austria.save()
    assert numbers()[1] > names
    names = numbers()[1]
    m.RegistryVersion.bump()  # a bulk write, which does not say what it wrote
    assert numbers()[1] == names + 1


def test_what_is_kept_per_version_of_the_names_outlives_other_writes(monkeypatch):
    """cache.versioned outside a transaction (the tests run inside one, where nothing is kept):
    a build on the names alone is kept across a write to a participation or to a shared record,
    and rebuilt after a write to a name; a build on shared records (the sources) is kept across a
    write to a participation only; any other build is rebuilt after every write."""
    from registry.serving import cache

    monkeypatch.setattr(cache, "_inside_a_transaction", lambda: False)
    monkeypatch.setattr(cache, "_kept", {})
    versions = [
        m.Version("t:1", None, "t:1", "t:1"),
        m.Version("t:2", None, "t:1", "t:1"),  # a participation recorded
        m.Version("t:3", None, "t:1", "t:3"),  # a source's date corrected
        m.Version("t:4", None, "t:4", "t:4"),  # a name changed
    ]
    builds = []

    def build(kind):
        return lambda: builds.append(kind) or len(builds)

    for current in versions:
        monkeypatch.setattr(m.RegistryVersion, "current", classmethod(lambda cls, current=current: current))
        cache.versioned(("test-names",), build("names"), names_only=True)
        cache.versioned(("test-shared",), build("shared"), shared_only=True)
        cache.versioned(("test-all",), build("all"))
    assert builds == ["names", "shared", "all", "all", "shared", "all", "names", "shared", "all"]


@pytest.fixture
def dispatches(monkeypatch):
    """How many times Django REST Framework dispatched a request to a view."""
    from rest_framework.views import APIView

    calls = []
    original = APIView.dispatch

    def counted(self, request, *args, **kwargs):
        calls.append(request.path)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counted)
    return calls


def test_an_anonymous_api_hit_is_answered_whole_before_drf_runs_and_still_throttled(
    client, dispatches, monkeypatch
):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "100/minute"})
    url = "/api/participations/?process=midsa"
    first = client.get(url)
    assert first[CACHE] == "miss" and len(dispatches) == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again[CACHE] == "hit" and len(dispatches) == 1
    assert [table_of(q["sql"]) for q in queries.captured_queries] == [
        "registry_registryversion",
        "registry_ratecount",
    ]
    assert again.content == first.content and again["Vary"] == first["Vary"]
    assert again["ETag"] == first["ETag"] and again["Allow"] == first["Allow"]
    assert client.get(url)[CACHE] == "hit"
    refused = client.get(url)  # the fourth in a minute: the throttle counted the hits too
    assert refused.status_code == 429 and "Retry-After" in refused and len(dispatches) == 2


def test_clients_with_credentials_and_the_browsable_api_go_through_drf(client, dispatches):
    from rest_framework.authtoken.models import Token

    curator_token = Token.objects.create(user=make_staff_user("cache-curator", CURATOR)).key
    url = "/api/processes/midsa/"
    for _ in range(2):
        client.get(url, HTTP_AUTHORIZATION=f"Token {curator_token}")
        client.get(url, HTTP_ACCEPT="text/html")
    assert len(dispatches) == 4


def test_a_write_to_one_process_leaves_another_process_page_cached(client, participant):
    bali, midsa = "/en/processes/bali-process/", "/en/processes/midsa/"

    def both():
        return client.get(bali)[CACHE], client.get(midsa)[CACHE]

    assert both() == ("miss", "miss")
    fact = m.Participation.objects.filter(process__slug="midsa").first()
    fact.status_note = "Confirmed in 2010."
    fact.save()
    assert both() == ("hit", "miss")
    moved = m.Participation.objects.create(
        process=m.Process.objects.get(slug="midsa"), participant=participant("AT"), role="observer"
    )
    assert both() == ("hit", "miss")
    moved.process = m.Process.objects.get(slug="bali-process")  # gone from one page, on the other
    moved.save()
    assert both() == ("miss", "miss")
    moved.delete()
    assert both() == ("miss", "hit")
    m.Citation.objects.create(fact=fact, source=m.SourceDocument.objects.first(), locator="p. 9 (test)")
    assert both() == ("hit", "miss")  # a citation is its fact's process's


@pytest.mark.parametrize(
    "write",
    [
        lambda: m.Participant.objects.filter(iso_code="AT").first().save(),  # a name, anywhere
        lambda: m.Process.objects.get(slug="midsa").save(),  # named on others' pages
        lambda: m.SourceDocument.objects.first().save(),  # cited everywhere
        lambda: m.Succession.objects.first().save(),  # on both processes' pages
        lambda: m.RegistryVersion.bump(),  # a bulk write, which says nothing of what it wrote
        lambda: m.Citation.objects.filter(content_type__model="participantalias").first().save(),
    ],
)
def test_a_write_outside_one_process_refreshes_every_process_page(client, write):
    bali, midsa = m.Process.objects.get(slug="bali-process"), m.Process.objects.get(slug="midsa")
    m.Succession.objects.create(predecessor=bali, successor=midsa)  # a test fact: "continued by"
    pages = [bali.get_absolute_url(), midsa.get_absolute_url(), "/en/processes/budapest-process/"]
    assert all(client.get(page)[CACHE] == "miss" for page in pages)
    assert all(client.get(page)[CACHE] == "hit" for page in pages)
    write()
    assert all(client.get(page)[CACHE] == "miss" for page in pages)


@pytest.fixture
def kept_outside_a_transaction(monkeypatch):
    """What the cache keeps per process is kept as outside a transaction (the tests run inside
    one, where nothing is kept)."""
    from registry.serving import cache

    monkeypatch.setattr(cache, "_inside_a_transaction", lambda: False)
    cache.forget_cached()
    yield cache
    cache.forget_cached()


def test_the_sets_kept_per_process_are_built_again_only_for_the_processes_written(
    kept_outside_a_transaction, process, participant
):
    cache = kept_outside_a_transaction
    built = []

    def build(process_ids=None):
        built.append(process_ids)
        participations = m.Participation.objects.all()
        if process_ids is not None:
            participations = participations.filter(process__in=process_ids)
        return participations.participants_by_process()

    def kept():
        found = cache.process_sets(("test",), build)
        fresh = m.Participation.objects.all().participants_by_process()
        assert found.sets == fresh
        assert found.counts == Counter(chain.from_iterable(fresh.values()))
        return found

    first = kept()
    assert kept() is first and built == [None]
    midsa, bali, budapest = process("midsa"), process("bali-process"), process("budapest-process")
    fiji = participant("FJ")
    recorded = m.Participation.objects.create(process=midsa, participant=fiji, role="observer")
    kept()
    assert built[-1] == {midsa.pk}
    recorded.process = bali  # moved: gone from MIDSA, in Bali's
    recorded.save()
    kept()
    assert built[-1] == {midsa.pk, bali.pk}
    recorded.delete()
    kept()
    assert built[-1] == {bali.pk}
    cited = m.Participation.objects.filter(process=budapest).exclude(citations=None).first()
    cited.delete()  # its citations go after it, and still belong to its process
    kept()
    assert built[-1] == {budapest.pk}
    m.Participation.objects.filter(process=budapest, role="member").update(role="observer")  # bulk
    m.RegistryVersion.bump()  # as bulk writes do
    kept()
    assert built[-1] is None
    fiji.name = "Republic of Fiji"  # a shared record: every set is built again
    fiji.save()
    kept()
    assert built[-1] is None and len(built) == 7


def test_the_overlap_counts_follow_a_write_to_one_process(kept_outside_a_transaction, client, process):
    """The matrix as a visitor meets it after a write to one process: the kept counts of processes
    per state are refreshed for that process, with and without a region."""
    fiji = m.Participant.objects.get(iso_code="FJ")
    bali = process("bali-process")
    region = bali.accounts.exclude(region=None).first().region

    def processes_of_fiji(query=""):
        rows = client.get(f"/en/overlap/?min=1&format=json{query}").json()["rows"]
        return next(row["processes"] for row in rows if row["iso_code"] == "FJ")

    everywhere, in_region = processes_of_fiji(), processes_of_fiji(f"&region={region.slug}")
    assert not m.Participation.objects.filter(participant=fiji, process=process("midsa")).exists()
    m.Participation.objects.create(process=process("midsa"), participant=fiji, role="observer")
    assert processes_of_fiji() == everywhere + 1
    assert processes_of_fiji(f"&region={region.slug}") == in_region  # MIDSA is not of the region
    m.Participation.objects.filter(participant=fiji, process=bali).delete()
    assert processes_of_fiji() == everywhere
    assert processes_of_fiji(f"&region={region.slug}") == in_region - 1


def test_the_list_by_size_follows_a_write_to_one_process(kept_outside_a_transaction, client, process):
    """The kept members of each process are refreshed for the process written: a process given
    more members than any other comes first at once."""

    def first_by_size():
        page = client.get("/en/processes/?ordering=-size").content.decode()
        return re.search(r'href="/en/processes/([\w-]+)/', page.split("<tbody>")[1]).group(1)

    assert first_by_size() == "budapest-process"
    abu_dhabi = process("abu-dhabi-dialogue")
    most = max(m.Process.objects.with_summary(timezone.localdate()).values_list("member_count", flat=True))
    for state in m.Participant.objects.filter(kind="state").order_by("pk")[: most + 1]:
        m.Participation.objects.create(process=abu_dhabi, participant=state, role="member")
    assert first_by_size() == "abu-dhabi-dialogue"


@pytest.mark.parametrize("slug", ["midsa", "atlantis-process"])
def test_a_process_page_reads_its_counter_with_the_registrys_in_one_query(rf, slug):
    with CaptureQueriesContext(connection) as queries:
        version, number = m.RegistryVersion.of_request_and_page(rf.get("/"), slug)
    assert len(queries) == 1
    assert version == m.RegistryVersion.current() and number == m.ProcessVersion.of_page(slug)
    assert number == ("-" if slug == "atlantis-process" else number) and number != "None"


def test_the_sources_kept_follow_a_write_to_a_source_and_outlive_one_to_a_process(
    kept_outside_a_transaction, client, participant
):
    """The sources are kept until a shared record changes (presentation.known_sources): the date
    band's presets follow a source's corrected date on the next page."""
    from registry.presentation import known_sources

    assert 'value="2009-04">April 2009' in client.get("/en/processes/budapest-process/").content.decode()
    kept = known_sources()
    m.Participation.objects.create(
        process=m.Process.objects.get(slug="rcm"), participant=participant("JM"), role="member"
    )
    assert known_sources() is kept  # a write to one process's facts
    scpf = m.SourceDocument.objects.get(symbol="SCPF/30")
    scpf.as_of = date(2009, 5, 31)
    scpf.save()
    assert known_sources() is not kept
    page = client.get("/en/processes/budapest-process/").content.decode()
    assert 'value="2009-05">May 2009' in page and 'value="2009-04"' not in page
