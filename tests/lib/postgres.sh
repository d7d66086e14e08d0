#!/usr/bin/env bash
# shellcheck shell=bash
# A real PostgreSQL 15 server for integration tests, in the test's own
# directory, on a free port of 127.0.0.1, run as `nobody` when the test runs
# as root (postgres refuses root), stopped by PID (fast shutdown). Source after
# servers.sh and rd_tmpdir.
#
#   rd_start_postgres        initdb + postgres; sets PG_PORT, PG_PID, PG_URL
#                            (user rd, password in the URL, database history)
#   rd_pg_stop [SIGNAL]      stops the server by PID (SIGINT: fast; SIGQUIT: crash)
#   rd_pg_restart            starts it again on the same port and data
#   rd_psql DB SQL           runs SQL as the superuser; prints rows, columns '|'
#   rd_pg_createdb NAME      a new empty database owned by rd

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_ADMIN_PASSWORD="admin-$RANDOM$RANDOM"
PG_RD_PASSWORD="rd-$RANDOM$RANDOM"

rd_pg_as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

# rd_pg_exec_owner CMD...: exec's CMD as the server's owner (no shell left behind).
rd_pg_exec_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  fi
  exec "$@"
}

rd_psql() {
  PGPASSWORD="$PG_ADMIN_PASSWORD" "$PG_BIN/psql" -X -A -t -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -c "$2"
}

rd_pg_wait() {
  local i
  for ((i = 0; i < 100; i++)); do
    if rd_psql postgres 'SELECT 1' >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  rd_die "PostgreSQL did not start: $(tail -n 5 "$PG_DIR/log")"
}

rd_pg_spawn() {
  # exec all the way down: PG_PID is the postmaster's own PID.
  (rd_pg_exec_owner "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off >>"$PG_DIR/log" 2>&1 </dev/null) &
  PG_PID=$!
  rd_pg_wait
}

rd_pg_stop() {
  [[ -n "${PG_PID:-}" ]] || return 0
  kill "-${1:-INT}" "$PG_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$PG_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$PG_PID" 2>/dev/null || true
  wait "$PG_PID" 2>/dev/null || true
  PG_PID=""
}

rd_pg_restart() { rd_pg_spawn; }

rd_pg_createdb() {
  rd_psql postgres "CREATE DATABASE \"$1\" OWNER rd"
}

rd_start_postgres() {
  if [[ ! -x "$PG_BIN/postgres" ]]; then
    echo "SKIP: no PostgreSQL server at $PG_BIN (scripts/setup installs postgresql)" >&2
    exit 77
  fi
  PG_DIR="$RD_TMP/pg"
  mkdir -p "$PG_DIR"
  chmod 0755 "$RD_TMP"
  printf '%s\n' "$PG_ADMIN_PASSWORD" >"$PG_DIR/pwfile"
  if [[ "$(id -u)" == 0 ]]; then chown -R nobody:nogroup "$PG_DIR"; fi
  rd_pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
    rd_die "initdb failed: $(tail -n 5 "$PG_DIR/initdb.log")"
  PG_PORT="$(rd_free_port)"
  rd_pg_spawn
  RD_STOP_HOOKS+=(rd_pg_stop)
  rd_psql postgres "CREATE ROLE rd LOGIN PASSWORD '$PG_RD_PASSWORD'" >/dev/null
  rd_pg_createdb history >/dev/null
  # shellcheck disable=SC2034 # used by the scripts that source this file
  PG_URL="postgresql://rd:$PG_RD_PASSWORD@127.0.0.1:$PG_PORT/history?sslmode=disable"
}
