"""A consistent copy of the whole registry while it serves, and its restore (`manage.py backup`,
`manage.py restore`; docs/deployment.md, "Backups").

An archive (.tar.gz) holds the database — SQLite's online backup (a consistent copy even while
workers write in WAL mode: copying the file is not), or PostgreSQL's `pg_dump` (custom format,
one snapshot) — the stored copies of the sources (MEDIA_ROOT/sources/), and a manifest: the
records counted by table, the change feed's last sequence (consumers' cursors stay valid after a
restore), the time it was taken. The export (`manage.py export`) is open data, not a backup: it
leaves out the history and the feed."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

SQLITE_NAME = "database.sqlite3"
PG_DUMP_NAME = "database.pgdump"
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"


class BackupError(Exception):
    """What the command reports (a clear message, a non-zero exit), never a traceback."""


def _counts(cursor, tables) -> tuple[dict[str, int], int]:
    """Rows by registry table (history tables and the change feed included), and the feed's last
    sequence, read through a DB-API cursor."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    cursor.execute('SELECT MAX("sequence") FROM "registry_change"')
    return counts, cursor.fetchone()[0] or 0


def _registry_tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(t for t in connection.introspection.table_names(cursor) if t.startswith("registry_"))


def manifest_of(counts: dict[str, int], last_sequence: int) -> dict:
    return {
        "taken": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": counts,
        "last_sequence": last_sequence,
    }


def backup(output: Path) -> dict:
    """Write the archive to `output`; returns its manifest, which counts the copy itself (read from
    the copied SQLite file; on PostgreSQL in the very snapshot pg_dump copies)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists: give another file name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    tables = _registry_tables()
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        work = Path(work)
        if connection.vendor == "sqlite":
            contents = _sqlite_copy(work / SQLITE_NAME, tables)
        elif connection.vendor == "postgresql":
            contents = _pg_dump(work / PG_DUMP_NAME, tables)
        else:
            raise BackupError(f"No backup for the {connection.vendor} database.")
        (work / MANIFEST_NAME).write_text(json.dumps(contents, indent=2), encoding="utf-8")
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for name in (MANIFEST_NAME, SQLITE_NAME, PG_DUMP_NAME):
                if (work / name).exists():
                    archive.add(work / name, arcname=name)
            sources = Path(settings.MEDIA_ROOT) / "sources"
            if sources.is_dir():
                archive.add(sources, arcname=f"{MEDIA_DIR}/sources")
        os.replace(partial, output)  # a half-written archive never has the name asked for
    return contents


def _sqlite_copy(target: Path, tables) -> dict:
    """SQLite's online backup API: a consistent copy of the live database, pages copied under
    its own locks (a writer waits a moment, readers never); then counted in the copy."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        return manifest_of(*_counts(destination.cursor(), tables))
    finally:
        destination.close()


def _pg_command(tool: str) -> list[str]:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    database = connection.settings_dict
    command = [path, "--host", database.get("HOST") or "localhost", "--username", database.get("USER") or ""]
    if database.get("PORT"):
        command += ["--port", str(database["PORT"])]
    return command


def _pg_env() -> dict:
    return {**os.environ, "PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}


def _pg_dump(target: Path, tables) -> dict:
    """pg_dump of the snapshot this connection holds open and counts in (pg_export_snapshot):
    the manifest and the dump see exactly the same rows, whatever commits meanwhile."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        contents = manifest_of(*_counts(cursor, tables))
        command = _pg_command("pg_dump") + ["--format=custom", "--no-owner", f"--snapshot={snapshot}"]
        command += ["--file", str(target), connection.settings_dict["NAME"]]
        result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return contents


def read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST_NAME)
        if member is None:
            raise BackupError(f"{archive_path} holds no manifest: not a registry backup.")
        return json.loads(member.read())


def restore(archive_path: Path) -> dict:
    """Bring the archive back into the configured database (which should be empty: a fresh
    database) and MEDIA_ROOT; returns the manifest after checking every table is back."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"No file {archive_path}.")
    try:
        contents = read_manifest(archive_path)
    except (tarfile.TarError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive_path} is not a registry backup ({error}).") from error
    if contents["database"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {contents['database']} database; the configured one is {connection.vendor}."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        work = Path(work)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(work / SQLITE_NAME)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            command = _pg_command("pg_restore") + [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
            ]
            command += ["--dbname", connection.settings_dict["NAME"], str(work / PG_DUMP_NAME)]
            result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
        media = work / MEDIA_DIR / "sources"
        if media.is_dir():
            shutil.copytree(media, Path(settings.MEDIA_ROOT) / "sources", dirs_exist_ok=True)
    connection.close()  # the next query sees the restored database
    with connection.cursor() as cursor:
        counts, last_sequence = _counts(cursor, list(contents["tables"]))
    differ = [t for t, n in contents["tables"].items() if counts.get(t) != n]
    if differ or last_sequence != contents["last_sequence"]:
        raise BackupError(
            f"Restored, but not as the backup counted it: {', '.join(differ) or 'the change feed'}."
        )
    return contents
