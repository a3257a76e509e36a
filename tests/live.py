"""The registry served for real: gunicorn with production settings and several workers, on a
throwaway copy of the configured database (a temporary SQLite file, or a new database on the
PostgreSQL server the suite runs on), set up with the project's own commands (migrate, seed,
create_curator, drf_create_token).

Tests that must see what users see under concurrency, through a real WSGI server, use the
`live_registry` fixture (tests/conftest.py)."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
WORKERS = 3


@dataclass
class LiveRegistry:
    url: str
    env: dict
    curator_token: str
    viewer_token: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    def manage(self, *args, **kwargs) -> subprocess.CompletedProcess:
        return manage(self.env, *args, **kwargs)

    def session(self, token: str | None = None) -> requests.Session:
        session = requests.Session()
        if token:
            session.headers["Authorization"] = f"Token {token}"
        return session


def manage(env, *args, check=True, input=None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=input,
        timeout=300,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayDatabase:
    """A database URL of its own, on the engine the suite runs on; dropped afterwards."""

    def __init__(self):
        db = settings.DATABASES["default"]
        self.vendor = "postgresql" if "postgresql" in db["ENGINE"] else "sqlite"
        if self.vendor == "sqlite":
            self.folder = tempfile.mkdtemp(prefix="rcp-live-")
            self.url = f"sqlite:///{self.folder}/registry.sqlite3"
        else:
            self.name = f"rcp_live_{uuid.uuid4().hex[:8]}"
            self.admin = dict(
                host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None
            )
            self._execute(f'CREATE DATABASE "{self.name}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{db['HOST']}:{self.admin['port']}/{self.name}"

    def _execute(self, sql):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.admin) as connection:
            connection.execute(sql)

    def drop(self):
        if self.vendor == "sqlite":
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
        else:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# Set for the tests' own process only (Playwright's event loop beside the ORM): a server or a
# command started from the tests runs as in production.
TEST_PROCESS_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")


def production_environment(**settings_env) -> dict:
    """The environment of a command or server started from the tests, with these settings."""
    env = {name: value for name, value in os.environ.items() if name not in TEST_PROCESS_ONLY}
    return {**env, **settings_env}


def prepare(database_url: str) -> dict:
    """The environment of a production server on the database, migrated and seeded, with a
    Curator and a Viewer: the commands a deployment runs."""
    env = production_environment(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="live-test-" + uuid.uuid4().hex * 2,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        RESPONSE_CACHE_LOCATION=tempfile.mkdtemp(prefix="rcp-live-cache-"),
        CACHE_LOCATION=tempfile.mkdtemp(prefix="rcp-live-shared-"),
        LOG_LEVEL="WARNING",
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # as make serve-prod does (incremental)
    manage(env, "setup_groups")
    manage(env, "seed")
    for name, flags in (("live-curator", []), ("live-viewer", ["--viewer"])):
        manage({**env, "CURATOR_PASSWORD": "a-long-test-password-42"}, "create_curator", name, *flags)
        output = manage(env, "drf_create_token", name).stdout
        env[f"TEST_TOKEN_{name}"] = re.search(r"token (\w+)", output).group(1)
    return env


def serve(env: dict, workers: int = WORKERS) -> tuple[subprocess.Popen, str, Path]:
    """gunicorn as `make serve-prod` starts it, on a free loopback port; waits until it answers
    (whether its database can serve is for /healthz to say)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="rcp-gunicorn-", suffix=".log")[1])
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{url}/ping", timeout=10)
            return process, url, log
        except requests.RequestException:  # not listening yet, or the workers still booting
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")
        time.sleep(0.2)


def start(database_url: str, workers: int = WORKERS) -> LiveRegistry:
    env = prepare(database_url)
    process, url, log = serve(env, workers)
    return LiveRegistry(url, env, env["TEST_TOKEN_live-curator"], env["TEST_TOKEN_live-viewer"], log, process)


@contextmanager
def another_server(registry: LiveRegistry, workers: int = WORKERS, **settings_env):
    """A second server on the same database, with other settings (e.g. API_THROTTLE_ANON)."""
    env = {**registry.env, "CACHE_LOCATION": tempfile.mkdtemp(prefix="rcp-live-shared-"), **settings_env}
    process, url, _log = serve(env, workers)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def stop(registry: LiveRegistry):
    registry.process.terminate()
    try:
        registry.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        registry.process.kill()


def required_program(name: str, installed_by: str) -> str:
    """The program's path; without it, a skip locally and a failure in CI (CI=true)."""
    import pytest

    found = shutil.which(name) or next(
        (str(path) for path in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if path.exists()), None
    )
    if found is None:
        message = f"Debian's {name} is not installed ({installed_by} installs it)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@contextmanager
def redis_server():
    """A throwaway Redis (Debian's redis-server) on a free loopback port, nothing saved to disk;
    yields its URL."""
    program = required_program("redis-server", "make test")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="rcp-redis-")
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", folder],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("redis-server did not start")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def behind_nginx(registry: LiveRegistry):
    """nginx (Debian's) in front of the live registry's gunicorn, configured by `manage.py
    nginx_config` as `make serve-proxy` does; yields its URL."""
    program = required_program("nginx", "make test")
    port = free_port()
    runtime = tempfile.mkdtemp(prefix="rcp-nginx-")
    upstream = registry.url.removeprefix("http://")
    conf = manage(
        {**registry.env, "RUNTIME_DIR": runtime},
        "nginx_config",
        "--listen",
        f"127.0.0.1:{port}",
        "--upstream",
        upstream,
    ).stdout.strip()
    process = subprocess.Popen(
        [program, "-p", str(Path(conf).parent), "-c", conf, "-e", "stderr", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/ping", timeout=5)
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise AssertionError(f"nginx did not start:\n{process.stderr.read()}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(runtime, ignore_errors=True)
