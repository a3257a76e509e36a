"""Backups that restore: `manage.py backup` while the registry serves and takes writes, then
`manage.py restore` into a fresh database, on the engine the suite runs on (SQLite's online
backup API; pg_dump of one snapshot on PostgreSQL)."""

import json
import subprocess
import sys
import tarfile
import time

import pytest

from .. import live

pytestmark = pytest.mark.live

# Writes through the ORM as a curator's would: each a record, its history row and a change.
WRITER = """
import time
from registry import models as m
budapest = m.Process.objects.get(slug="budapest-process")
end = time.monotonic() + {seconds}
n = 0
while time.monotonic() < end:
    n += 1
    alias = m.ProcessAlias(process=budapest, name=f"{prefix} {{n}}", language="en", kind="variant")
    alias._change_reason = "backup test"
    alias.save()
print(n)
"""

COUNTS = """
import json
from django.db import connection
from registry import models as m
with connection.cursor() as cursor:
    cursor.execute('SELECT MAX("sequence") FROM "registry_change"')
    last = cursor.fetchone()[0]
print(json.dumps({
    "aliases": m.ProcessAlias.objects.count(),
    "alias_history": m.ProcessAlias.history.count(),
    "participations": m.Participation.objects.count(),
    "accounts": m.ProcessAccount.objects.count(),
    "last_sequence": last,
}))
"""


def shell(env, code):
    return live.manage(env, "shell", "-v0", "-c", code).stdout


def test_a_backup_under_writes_restores_every_record_its_history_and_the_feed(live_registry, tmp_path):
    env = live_registry.env
    writer = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            WRITER.format(seconds=6, prefix="Backup test alias"),
        ],
        cwd=live.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # the writer is writing
    archive = tmp_path / "registry.tar.gz"
    taken = live.manage(env, "backup", "--output", str(archive))
    assert "Backed up to" in taken.stdout
    written, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors
    assert int(written) > 0
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert "manifest.json" in names and manifest["last_sequence"] > 0

    fresh = live.ThrowawayDatabase()
    try:
        restored_env = {**env, "DATABASE_URL": fresh.url}
        done = live.manage(restored_env, "restore", str(archive))
        assert f"#{manifest['last_sequence']}" in done.stdout
        counts = json.loads(shell(restored_env, COUNTS))
        tables = manifest["tables"]
        assert counts["aliases"] == tables["registry_processalias"]
        assert counts["alias_history"] == tables["registry_historicalprocessalias"]
        assert counts["participations"] == tables["registry_participation"] > 0
        assert counts["accounts"] == tables["registry_processsnapshot"] > 0
        assert counts["last_sequence"] == manifest["last_sequence"]
        # The feed goes on after the restored sequence: consumers' cursors stay valid.
        shell(restored_env, WRITER.format(seconds=0.01, prefix="Written after the restore"))
        assert json.loads(shell(restored_env, COUNTS))["last_sequence"] > manifest["last_sequence"]
        # A second restore into a database that holds a registry is refused, nothing touched.
        again = live.manage(restored_env, "restore", str(archive), check=False)
        assert again.returncode != 0 and "already holds a registry" in again.stderr
    finally:
        fresh.drop()


def test_bad_input_is_a_message_not_a_traceback(live_registry, tmp_path):
    env = live_registry.env
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_text("not a backup")
    fresh = live.ThrowawayDatabase()
    try:
        result = live.manage({**env, "DATABASE_URL": fresh.url}, "restore", str(not_an_archive), check=False)
        assert result.returncode != 0 and "not a registry backup" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        fresh.drop()
    existing = tmp_path / "taken.tar.gz"
    existing.write_text("")
    result = live.manage(env, "backup", "--output", str(existing), check=False)
    assert result.returncode != 0 and "exists" in result.stderr and "Traceback" not in result.stderr
