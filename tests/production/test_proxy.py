"""The registry behind nginx (config/nginx.conf, `make serve-proxy`): slow clients tie up nginx's
connections, never gunicorn's workers, and pages, JSON and SVG arrive compressed."""

import contextlib
import socket
import threading
import time

import pytest
import requests

from tests import live

pytestmark = pytest.mark.live

SLOW_CLIENTS = 200


def slowloris(url: str, stop: threading.Event) -> list[socket.socket]:
    """SLOW_CLIENTS connections that each send a request's headers a byte every 3 s, never ending
    them (the slowloris attack), until `stop`; returns the sockets opened."""
    host, port = url.removeprefix("http://").split(":")
    opened = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection((host, int(port)), timeout=5)
        sock.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        opened.append(sock)

    def drip():
        while not stop.wait(3):
            for sock in opened:
                with contextlib.suppress(OSError):  # closed by the server (its header timeout)
                    sock.sendall(b"X")

    threading.Thread(target=drip, daemon=True).start()
    return opened


def answer_times(url: str, count: int = 12) -> list[float]:
    """Seconds each of `count` ordinary requests took, one after the other, 0.5 s apart."""
    took = []
    for _ in range(count):
        started = time.monotonic()
        assert requests.get(url, timeout=30).status_code == 200
        took.append(time.monotonic() - started)
        time.sleep(0.5)
    return took


def test_slow_clients_against_nginx_leave_every_request_answered_within_a_second(live_registry):
    with live.behind_nginx(live_registry) as url:
        requests.get(f"{url}/en/", timeout=30)  # built once, then cached
        stop = threading.Event()
        opened = slowloris(url, stop)
        try:
            took = answer_times(f"{url}/en/")
        finally:
            stop.set()
            for sock in opened:
                sock.close()
    assert max(took) < 1.0, took


@pytest.mark.parametrize(
    ("path", "kind", "smaller"),
    [
        ("/en/", "text/html", 4),
        ("/api/processes/", "application/json", 4),
        ("/en/maps/process/midsa.svg", "image/svg+xml", 3),  # outlines' coordinates: less alike
    ],
)
def test_pages_json_and_svg_arrive_compressed(live_registry, path, kind, smaller):
    with live.behind_nginx(live_registry) as url:
        plain = requests.get(f"{url}{path}", headers={"Accept-Encoding": "identity"}, timeout=30)
        sent = requests.get(f"{url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
        wire = sent.raw.read(decode_content=False)
    assert sent.headers["Content-Encoding"] == "gzip" and sent.headers["Content-Type"].startswith(kind)
    assert "Accept-Encoding" in sent.headers["Vary"]
    assert len(plain.content) >= smaller * len(wire), (len(plain.content), len(wire))
