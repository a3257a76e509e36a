#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: installs Debian's `postgresql` when it is
# missing (needs root), creates a cluster in a temporary directory, starts it on loopback, sets
# DATABASE_URL, runs the command, then stops the server and removes the cluster. A statement
# that runs for two minutes is cancelled (a test fails with it instead of hanging the run: once, a
# bad plan did), and those over ten seconds are printed at the end with their text.
#   tests/with_postgres.sh .venv/bin/pytest
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "Installing Debian's postgresql (apt-get)..." >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PORT=${PG_TEST_PORT:-54329}
DATA=$(mktemp -d /tmp/rcp-pg.XXXXXX)
RUN_AS=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root
    chown postgres "$DATA"
    RUN_AS=(runuser -u postgres --)
fi
cleanup() {
    if grep -qE "duration:|canceling statement" "$DATA/server.log" 2>/dev/null; then
        echo "PostgreSQL statements slower than 10 s, or cancelled:" >&2
        grep -E -A2 "duration:|canceling statement" "$DATA/server.log" | cut -c1-2000 >&2
    fi
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
}
trap cleanup EXIT
"${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U rcp -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
    -c statement_timeout=120s -c log_min_duration_statement=10s" start >/dev/null
"${RUN_AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U rcp rcp
export DATABASE_URL="postgres://rcp@127.0.0.1:$PORT/rcp"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on $DATABASE_URL" >&2
"$@"
