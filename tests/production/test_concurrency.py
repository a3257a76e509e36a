"""Concurrent writes through a live multi-worker gunicorn server on the suite's database (SQLite,
the embedded default, and PostgreSQL): writers wait their turn, the If-Match check answers 412 to
the loser of a race, and no answer is a 5xx."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.live


def simultaneously(*calls):
    """Runs the calls in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [future.result() for future in [pool.submit(run, call) for call in calls]]


def participation_ids(live_registry, count):
    answer = live_registry.session().get(
        f"{live_registry.url}/api/participations/?process=budapest-process&page_size={count}"
    )
    assert answer.status_code == 200
    return [row["id"] for row in answer.json()["results"]]


def test_same_etag_patches_race_one_wins_one_gets_412(live_registry):
    first, second = (
        live_registry.session(live_registry.curator_token),
        live_registry.session(live_registry.curator_token),
    )
    (target,) = participation_ids(live_registry, 1)
    url = f"{live_registry.url}/api/participations/{target}/"
    outcomes = []
    for round_ in range(50):
        etag = first.get(url).headers["ETag"]

        def patch(session, note, etag=etag):
            return lambda: session.patch(url, json={"status_note": note}, headers={"If-Match": etag})

        notes = (f"round {round_}: first", f"round {round_}: second")
        answers = simultaneously(patch(first, notes[0]), patch(second, notes[1]))
        codes = [answer.status_code for answer in answers]
        outcomes.append(sorted(codes))
        assert sorted(codes) == [200, 412], (round_, [answer.text[:300] for answer in answers])
        winner = notes[codes.index(200)]
        assert first.get(url).json()["status_note"] == winner  # the winner's write, nothing lost
    assert outcomes == [[200, 412]] * 50


def test_writes_to_different_objects_both_succeed(live_registry):
    sessions = [live_registry.session(live_registry.curator_token) for _ in range(2)]
    one, other = participation_ids(live_registry, 2)

    def patch(session, pk, note):
        url = f"{live_registry.url}/api/participations/{pk}/"
        return lambda: session.patch(url, json={"status_note": note})

    for round_ in range(30):
        note = f"parallel {round_}"
        answers = simultaneously(patch(sessions[0], one, note), patch(sessions[1], other, note))
        assert [answer.status_code for answer in answers] == [200, 200], [a.text[:300] for a in answers]
    for pk in (one, other):
        assert sessions[0].get(f"{live_registry.url}/api/participations/{pk}/").json()["status_note"] == (
            "parallel 29"
        )


def test_creates_answer_201_with_a_plain_location_under_gunicorn(live_registry):
    session = live_registry.session(live_registry.curator_token)
    answer = session.post(
        f"{live_registry.url}/api/sources/",
        json={
            "symbol": "MC/INF/998",
            "slug": "mc-inf-998",
            "title": "A later paper (live test)",
            "as_of": "2010",
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"].endswith("/api/sources/MC/INF/998/")


def test_creates_answer_201_under_runserver(live_server, transactional_db):
    """pytest-django's live server is Django's runserver WSGI server (wsgiref), which refuses a
    header value that is not a plain str."""
    from rest_framework.authtoken.models import Token

    from registry.permissions import CURATOR
    from tests.helpers import make_staff_user

    token = Token.objects.create(user=make_staff_user("runserver-curator", CURATOR)).key
    import requests

    answer = requests.post(
        f"{live_server.url}/api/sources/",
        json={
            "symbol": "MC/INF/997",
            "slug": "mc-inf-997",
            "title": "A later paper (runserver test)",
            "as_of": "2010-06",
        },
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["Location"] == f"{live_server.url}/api/sources/MC/INF/997/"


def test_a_consumer_polling_the_change_feed_during_concurrent_writes_misses_nothing(live_registry):
    """Four writers save at once while a consumer follows /api/changes/ with ?after=: it sees every
    change exactly once, in increasing order, although transactions commit in any order."""
    reader = live_registry.session()
    feed = f"{live_registry.url}/api/changes/"
    start = reader.get(feed, params={"after": 0, "page_size": 1}).json()
    while start["next"]:  # to the end of the feed
        start = reader.get(feed, params={"after": start["last_sequence"], "page_size": 1000}).json()
    after = start["last_sequence"]
    targets = participation_ids(live_registry, 4)
    writers = [live_registry.session(live_registry.curator_token) for _ in targets]
    seen, done = [], threading.Event()

    def poll():
        nonlocal after
        while True:
            finished = done.is_set()
            page = reader.get(feed, params={"after": after, "page_size": 1000}).json()
            seen.extend(entry["sequence"] for entry in page["results"])
            after = page["last_sequence"]
            if finished and not page["results"]:
                return

    def write(session, pk):
        def run():
            url = f"{live_registry.url}/api/participations/{pk}/"
            return [session.patch(url, json={"status_note": f"feed {n}"}).status_code for n in range(15)]

        return run

    poller = threading.Thread(target=poll)
    poller.start()
    codes = simultaneously(*(write(session, pk) for session, pk in zip(writers, targets, strict=True)))
    done.set()
    poller.join(timeout=60)
    assert codes == [[200] * 15] * 4
    assert seen == sorted(set(seen))  # increasing, never twice
    everything = reader.get(feed, params={"after": start["last_sequence"], "page_size": 1000}).json()[
        "results"
    ]
    assert seen == [entry["sequence"] for entry in everything]  # nothing missed
    assert sum(1 for entry in everything if entry["resource"] == "participations") == 60


def test_every_worker_answers_from_its_cache_and_shows_each_write_at_once(live_registry):
    """Cached answers are keyed on the registry's version, which each request reads from the
    database: after each write through one worker, every worker's next answer, a page or the
    API's, has it."""
    from tests.live import WORKERS

    writer = live_registry.session(live_registry.curator_token)
    (target,) = participation_ids(live_registry, 1)
    record = f"{live_registry.url}/api/participations/{target}/"
    page = f"{live_registry.url}/en/processes/budapest-process/"
    viewer = {"Authorization": f"Token {live_registry.viewer_token}"}  # not the anonymous throttle
    served = Counter()
    for round_ in range(12):
        note = f"version round {round_}"
        assert writer.patch(record, json={"status_note": note}).status_code == 200
        for _ in range(2 * WORKERS):  # a new connection each time: whichever worker takes it
            answer = requests.get(record, headers=viewer, timeout=30)
            assert answer.json()["status_note"] == note, (round_, answer.headers.get("X-Registry-Cache"))
            html = requests.get(page, timeout=30)
            assert note in html.text, round_
            served.update([answer.headers.get("X-Registry-Cache"), html.headers.get("X-Registry-Cache")])
    assert served["hit"] and served["miss"], served


def test_a_write_by_a_command_shows_at_once_on_every_worker(live_registry):
    """A command on the host (here `manage.py shell`) moves the version in the database as a
    request does: while readers keep every worker's cache warm, the answer after the command
    returns has the write."""
    (target,) = participation_ids(live_registry, 1)
    page = f"{live_registry.url}/en/processes/budapest-process/"
    done = threading.Event()

    def keep_reading():
        while not done.is_set():
            assert requests.get(page, timeout=30).status_code == 200

    with ThreadPoolExecutor(2) as pool:
        readers = [pool.submit(keep_reading) for _ in range(2)]
        try:
            live_registry.manage(
                "shell",
                "-c",
                "from registry.models import Participation; row = Participation.objects.get(pk="
                f"{target}); row.status_note = 'written by a command'; row.save()",
            )
            shown = ["written by a command" in requests.get(page, timeout=30).text for _ in range(6)]
        finally:
            done.set()
        for reader in readers:
            reader.result()
    assert shown == [True] * 6
