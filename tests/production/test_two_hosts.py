"""Several hosts, for real: two application hosts (two gunicorn groups, each with temporary
folders of its own), sharing nothing but the database and a Redis server (docs/deployment.md,
"Several hosts"). A write through one is read at once through the other, cached answers
included; rate limits and the sign-in lockout count across both; the change feed stays in
commit order and each change is delivered once with a delivery worker on each host."""

import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests import live

from .test_concurrency import participation_ids

pytestmark = pytest.mark.live

PASSWORD = "a-long-test-password-42"


@contextmanager
def two_hosts(live_registry, redis_url, **settings_env):
    """Hosts A and B on the live registry's database and one Redis: their URLs."""
    with ExitStack() as stack:
        urls = []
        for _host in "AB":
            own = {
                "REDIS_URL": redis_url,
                "RUNTIME_DIR": tempfile.mkdtemp(prefix="rcp-host-"),
                "TRUSTED_PROXIES": "1",  # as behind their load balancer: the client's address forwarded
                **settings_env,
            }
            urls.append(stack.enter_context(live.another_server(live_registry, workers=2, **own)))
        yield urls


def test_a_write_through_one_host_is_read_at_once_through_the_other(live_registry, redis_url):
    writer = live_registry.session(live_registry.curator_token)
    (target,) = participation_ids(live_registry, 1)
    viewer = {"Authorization": f"Token {live_registry.viewer_token}"}
    served = Counter()
    with two_hosts(live_registry, redis_url) as (host_a, host_b):
        for round_ in range(8):
            note = f"two hosts, round {round_}"
            written = writer.patch(f"{host_a}/api/participations/{target}/", json={"status_note": note})
            assert written.status_code == 200
            for _ in range(3):
                record = requests.get(f"{host_b}/api/participations/{target}/", headers=viewer, timeout=30)
                assert record.json()["status_note"] == note, round_
                anonymous = requests.get(f"{host_b}/api/participations/{target}/", timeout=30)
                assert anonymous.json()["status_note"] == note, round_
                page = requests.get(f"{host_b}/en/processes/budapest-process/", timeout=30)
                assert note in page.text, round_
                served.update(r.headers.get("X-Registry-Cache") for r in (record, anonymous, page))
    assert served["hit"] >= 8 and served["miss"] >= 8, served  # the hosts share answers through Redis


def test_a_rate_limit_counts_across_both_hosts(live_registry, redis_url):
    with two_hosts(live_registry, redis_url, API_THROTTLE_ANON="20/minute") as hosts:
        client = {"X-Forwarded-For": "203.0.113.90"}
        codes = [
            requests.get(f"{hosts[n % 2]}/api/regions/", headers=client, timeout=30).status_code
            for n in range(30)
        ]
    assert (codes.count(200), codes.count(429)) == (20, 10), codes


def sign_in(host: str, username: str, password: str) -> int:
    """The admin's sign-in form, sent as a browser does from one address; the answer's status."""
    headers = {"X-Forwarded-For": "203.0.113.91"}
    form = requests.get(f"{host}/admin/login/", headers=headers, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    answer = requests.post(
        f"{host}/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers=headers,
        # The cookie is marked Secure (production settings): sent by hand over the test's HTTP.
        cookies={"csrftoken": form.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    return answer.status_code


def test_the_sign_in_lockout_counts_across_both_hosts(live_registry, redis_url):
    live.manage({**live_registry.env, "CURATOR_PASSWORD": PASSWORD}, "create_curator", "two-hosts-curator")
    with two_hosts(live_registry, redis_url) as (host_a, host_b):
        wrong = [sign_in(host, "two-hosts-curator", "guess") for host in (host_a, host_b, host_a, host_b)]
        assert wrong == [200, 200, 200, 200]  # the form again, with its error
        assert sign_in(host_a, "two-hosts-curator", "guess") == 429  # the fifth, wherever it lands
        assert sign_in(host_b, "two-hosts-curator", PASSWORD) == 429  # locked on the other host too


def test_the_feed_stays_in_commit_order_and_each_change_is_delivered_once(live_registry, redis_url):
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    live_registry.manage(
        "shell",
        "-c",
        "from registry.models import Subscription; "
        f"Subscription.objects.create(name='two hosts', url='{receiver.url}', resources=['participations'])",
    )
    env = {**live_registry.env, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true"}
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "deliver_webhooks", "--interval", "0.2"], cwd=live.ROOT, env=env
        )
        for _host in "AB"
    ]
    try:
        feed = f"{live_registry.url}/api/changes/"
        start = requests.get(feed, params={"page_size": 1}, timeout=30).json()["last_sequence"]
        targets = participation_ids(live_registry, 20)
        with two_hosts(live_registry, redis_url) as hosts:

            def write(host, ids):
                session = live_registry.session(live_registry.curator_token)
                return [
                    session.patch(
                        f"{host}/api/participations/{pk}/", json={"status_note": f"delivered {pk}"}
                    ).status_code
                    for pk in ids
                ]

            seen, done = [], threading.Event()

            def poll():
                reader = live_registry.session(live_registry.viewer_token)  # not the anonymous rate
                after = start
                while not done.is_set():
                    page = reader.get(f"{hosts[1]}/api/changes/", params={"after": after, "page_size": 1000})
                    if page.status_code != 200:
                        seen.append(f"HTTP {page.status_code}")  # fails the order check below
                        return
                    rows = page.json()["results"]
                    seen.extend(row["sequence"] for row in rows)
                    after = rows[-1]["sequence"] if rows else after

            poller = threading.Thread(target=poll)
            poller.start()
            with ThreadPoolExecutor(2) as pool:
                codes = list(pool.map(write, hosts, (targets[:10], targets[10:])))
            time.sleep(1)
            done.set()
            poller.join(timeout=60)
        assert codes == [[200] * 10] * 2
        assert seen == sorted(set(seen)) and len(seen) >= 20  # increasing, never twice
        deadline = time.monotonic() + 60
        while len(receiver.received) < 20 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # a second delivery of any change would arrive by now
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=20)
        receiver.shutdown()
    keys = [json.loads(body)["change"]["sequence"] for body in receiver.received]
    assert len(keys) == 20 and len(set(keys)) == 20, keys  # each change once
    assert keys == sorted(keys)  # in the feed's order


class Receiver(ThreadingHTTPServer):
    """A webhook subscriber on 127.0.0.1 that records the bodies it receives."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Recording)
        self.received = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Recording(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the stdlib's name)
        self.server.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass
