#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: the history in a real PostgreSQL 15 server (initdb + postgres in
# the test's own directory, on a free 127.0.0.1 port, as nobody). record /
# history / drift behave as with SQLite; 8 record processes x 200 references at
# once lose and duplicate nothing; a reader's long transaction does not block a
# writer; a server stopped in the middle of a record -> exit 3, nothing stored,
# and a server restarted in the middle -> the run is retried and stored once; a
# refused password (never printed, even at -vv), a foreign database and a newer
# schema are refused untouched; export -> import round trips SQLite <->
# PostgreSQL give identical exports and `history` output; PGPASSFILE works.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
# shellcheck source=../lib/postgres.sh
source "$HERE/../lib/postgres.sh"
rd_tmpdir
rd_require_bin
rd_start_postgres
rd_start_registry anon

app="$REG_HOST/team/app:v1"
stable="$REG_HOST/team/stable:v1"
d1="$(rd_push --repo team/app --tag v1 --kind oci --seed one)"
ds="$(rd_push --repo team/stable --tag v1 --kind oci-index --seed stable)"
shown_url="postgresql://rd@127.0.0.1:$PG_PORT/history?sslmode=disable"
count() { rd_psql "${2:-history}" "SELECT count(*) FROM observations${1:+ WHERE $1}"; }

# --- record, move the tag, record: history and drift as with SQLite ---
rd_rd record --db "$PG_URL" "$app" "$stable"
rd_assert_rc "record into PostgreSQL: exit 0" 0
rd_assert_eq "record: REFERENCE DIGEST per reference" "$app $d1"$'\n'"$stable $ds" "$RD_OUT"
rd_assert_contains "record: names the database without its password" "$RD_ERR" \
  "recorded 2 observations in $shown_url"
rd_assert_eq "record: the schema was created, version 3" "regdigest-history 3" \
  "$(rd_psql history "SELECT string_agg(value, ' ' ORDER BY key) FROM regdigest_meta")"
rd_assert_eq "record: 2 rows" "2" "$(count)"

d2="$(rd_push --repo team/app --tag v1 --kind oci --seed two)"
REGDIGEST_DB="$PG_URL" rd_rd record "$app" "$stable"
rd_assert_rc "record with REGDIGEST_DB: exit 0" 0
rd_rd history --db "$PG_URL" "$app"
rd_assert_rc "history of a tag that moved: exit 1" 1
rd_assert_contains "history: header" "$RD_OUT" "$app: 1 change between 2 distinct digests, 2 observations"
rd_assert_eq "history: digests newest first" "$d2 $d1" \
  "$(grep -oE 'sha256:[0-9a-f]{64}' <<<"$RD_OUT" | paste -sd' ')"
rd_rd history --db "$PG_URL" "$stable" -o json
rd_assert_rc "history of a tag that never moved: exit 0" 0
rd_assert_eq "history -o json: counts" "2 0 0" \
  "$(jq -r '"\(.observations) \(.changes) \(.failedObservations)"' <<<"$RD_OUT")"
rd_rd drift --db "$PG_URL" --since 1h
rd_assert_rc "drift --since 1h: exit 1" 1
rd_assert_match "drift: old -> new" "^drifted +$app +$d1 -> $d2 at [0-9-]{10}T[0-9:]{8}Z" "$RD_OUT"
rd_assert_not_contains "drift: the unmoved tag is not listed" "$RD_OUT" "$stable"
rd_rd drift --db "$PG_URL" --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"
rd_assert_rc "drift with nothing in the window: exit 0" 0
rd_rd record --db "$PG_URL" "$REG_HOST/team/app:no-such-tag"
rd_assert_rc "record of a missing tag: exit 3" 3
rd_assert_eq "record of a missing tag: stored with its status" "|not found" \
  "$(rd_psql history "SELECT digest, status FROM observations WHERE reference LIKE '%no-such-tag'")"

# --- credentials: never printed, even at -vv; PGPASSFILE ---
rd_rd -vv history --db "$PG_URL" "$app"
rd_assert_not_contains "-vv: the password is not printed" "$RD_ERR$RD_OUT" "$PG_RD_PASSWORD"
bad_url="postgresql://rd:wrong-$RANDOM@127.0.0.1:$PG_PORT/history?sslmode=disable"
rd_rd -vv record --db "$bad_url" "$app"
rd_assert_rc "a refused password: exit 3" 3
rd_assert_contains "a refused password: says so" "$RD_ERR" "password authentication failed"
rd_assert_not_contains "a refused password: not printed" "$RD_ERR$RD_OUT" "${bad_url#*rd:}"
printf '127.0.0.1:%s:history:rd:%s\n' "$PG_PORT" "$PG_RD_PASSWORD" >"$RD_TMP/pgpass"
chmod 0600 "$RD_TMP/pgpass"
PGPASSFILE="$RD_TMP/pgpass" rd_rd history --db "$shown_url" "$stable"
rd_assert_rc "PGPASSFILE supplies the password: exit 0" 0

# --- a role that may only read (docs/history.md's team setup) ---
rd_psql postgres "CREATE ROLE auditor LOGIN PASSWORD 'audit-pw'; GRANT CONNECT ON DATABASE history TO auditor" >/dev/null
auditor_url="postgresql://auditor:audit-pw@127.0.0.1:$PG_PORT/history?sslmode=disable"
rd_rd history --db "$auditor_url" "$app"
rd_assert_rc "a role without SELECT: history exit 3" 3
rd_assert_contains "a role without SELECT: says permission denied" "$RD_ERR" \
  "permission denied for table regdigest_meta"
rd_psql history "GRANT SELECT ON ALL TABLES IN SCHEMA public TO auditor" >/dev/null
rd_rd history --db "$auditor_url" "$app"
rd_assert_rc "a read-only role: history works (exit 1: the tag moved)" 1
rd_rd drift --db "$auditor_url" --since 1h
rd_assert_rc "a read-only role: drift works" 1
rows_before="$(count)"
rd_rd record --db "$auditor_url" "$app"
rd_assert_rc "a read-only role: record exit 3" 3
rd_assert_eq "a read-only role: record stored nothing" "$rows_before" "$(count)"

# --- 8 record processes x 200 references at once ---
rd_push --repo conc/app --tags "$(seq -f 't%g' 1 200 | paste -sd, -)" --kind oci >/dev/null
rd_pg_createdb conc
conc_url="${PG_URL/\/history?//conc?}"
seq -f "$REG_HOST/conc/app:t%g" 1 200 >"$RD_TMP/conc.txt"
pids=()
for w in 1 2 3 4 5 6 7 8; do
  "$RD_BIN" record --db "$conc_url" --file "$RD_TMP/conc.txt" >"$RD_TMP/conc-$w.out" \
    2>"$RD_TMP/conc-$w.err" &
  pids+=($!)
done
for w in 1 2 3 4 5 6 7 8; do
  rc=0
  wait "${pids[$((w - 1))]}" || rc=$?
  RD_RC=$rc RD_OUT="" RD_ERR="$(<"$RD_TMP/conc-$w.err")"
  rd_assert_rc "concurrent record $w of 8: exit 0" 0
done
rd_assert_eq "concurrent record: 1600 rows, none lost" "1600" "$(count '' conc)"
rd_assert_eq "concurrent record: 8 runs of 200 distinct references, no duplicate" "8|200|200" \
  "$(rd_psql conc "SELECT count(DISTINCT run_id), min(n), max(n) FROM (SELECT run_id, count(DISTINCT reference) AS n FROM observations GROUP BY run_id) r")"

# --- a reader's long transaction does not block a writer (MVCC) ---
rd_psql conc "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM observations; SELECT pg_sleep(6); COMMIT" >/dev/null &
reader=$!
sleep 0.5
start=$(date +%s%N)
rd_rd record --db "$conc_url" "$stable"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
rd_assert_rc "record during a long read: exit 0" 0
rd_assert_eq "record during a long read: not blocked (< 4 s, took ${elapsed_ms} ms)" "yes" \
  "$([[ $elapsed_ms -lt 4000 ]] && echo yes || echo no)"
wait "$reader" || true

# --- the server stops, or restarts, in the middle of a record ---
proxy_port_file="$RD_TMP/proxy.port"
rd_spawn "$RD_TMP/proxy.out" "$RD_PY" "$RD_SERVERS_DIR/counting_proxy.py" "$REG_PORT" \
  "$proxy_port_file" "$RD_TMP/proxy.stats" --hold 2
for ((i = 0; i < 50; i++)); do [[ -s "$proxy_port_file" ]] && break; sleep 0.1; done
slow_refs=()
for t in 1 2 3 4 5; do slow_refs+=("127.0.0.1:$(<"$proxy_port_file")/conc/app:t$t"); done
# wait_connected: until the record process has opened the database: its
# session is idle after the schema check's ROLLBACK (it then waits 2 s on the
# proxy before it writes).
wait_connected() {
  local q="SELECT count(*) FROM pg_stat_activity WHERE application_name = 'regdigest'"
  q+=" AND state = 'idle' AND query = 'ROLLBACK'"
  for ((i = 0; i < 200; i++)); do
    [[ "$(rd_psql postgres "$q")" != 0 ]] && return 0
    sleep 0.02
  done
  return 1
}
"$RD_BIN" record --db "$PG_URL" "${slow_refs[@]}" >"$RD_TMP/kill.out" 2>"$RD_TMP/kill.err" &
victim=$!
wait_connected
rd_pg_stop QUIT  # an immediate shutdown, as a crash
rc=0
wait "$victim" || rc=$?
RD_RC=$rc RD_OUT="$(<"$RD_TMP/kill.out")" RD_ERR="$(<"$RD_TMP/kill.err")"
rd_assert_rc "server stopped during record: exit 3" 3
rd_assert_contains "server stopped during record: nothing recorded, says why" "$RD_ERR" \
  "nothing recorded: $shown_url"
rd_pg_restart
rd_assert_eq "server stopped during record: no partial run stored" "0" \
  "$(count "reference LIKE '127.0.0.1:$(<"$proxy_port_file")/%'")"
"$RD_BIN" record --db "$PG_URL" "${slow_refs[@]}" >"$RD_TMP/restart.out" 2>"$RD_TMP/restart.err" &
victim=$!
wait_connected
rd_pg_stop QUIT
rd_pg_restart
rc=0
wait "$victim" || rc=$?
RD_RC=$rc RD_OUT="$(<"$RD_TMP/restart.out")" RD_ERR="$(<"$RD_TMP/restart.err")"
rd_assert_rc "server restarted during record: the run is retried, exit 0" 0
rd_assert_eq "server restarted during record: stored once" "5" \
  "$(count "reference LIKE '127.0.0.1:$(<"$proxy_port_file")/%'")"

# --- a foreign database and a newer schema: refused, untouched ---
rd_pg_createdb foreign
rd_psql foreign "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('alice')"
rd_pg_createdb newer
rd_rd record --db "${PG_URL/\/history?//newer?}" "$stable"
rd_psql newer "UPDATE regdigest_meta SET value = '99' WHERE key = 'schema_version'"
declare -A want_message=(
  [foreign]="is not a regdigest history database (a database with other tables: users)"
  [newer]="schema version 99, newer than this regdigest knows (3)"
)
for kind in foreign newer; do
  url="${PG_URL/\/history?//$kind?}"
  dump() {
    PGPASSWORD="$PG_ADMIN_PASSWORD" "$PG_BIN/pg_dump" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
      --no-owner "$1" | grep -vE '^(--|\\restrict|\\unrestrict)'
  }
  before="$(dump "$kind")"
  for cmd in record history drift; do
    case "$cmd" in
      record) rd_rd record --db "$url" "$app" ;;
      history) rd_rd history --db "$url" "$app" ;;
      drift) rd_rd drift --db "$url" ;;
    esac
    rd_assert_rc "$kind database, $cmd: exit 3" 3
    rd_assert_contains "$kind database, $cmd: says why" "$RD_ERR" "${want_message[$kind]}"
  done
  rd_assert_eq "$kind database: untouched (pg_dump identical)" "$before" "$(dump "$kind")"
done

# --- export -> import round trips: SQLite <-> PostgreSQL ---
sqlite_db="$RD_TMP/local.db"
rd_rd record --db "$sqlite_db" "$app" "$stable" "$REG_HOST/team/app:no-such-tag"
rd_push --repo team/app --tag v1 --kind oci --seed three >/dev/null
rd_rd record --db "$sqlite_db" "$app" "$stable"
rd_rd history --db "$sqlite_db" --export "$RD_TMP/sqlite.jsonl"
rd_assert_rc "export from SQLite: exit 0" 0
rd_assert_contains "export from SQLite: counted" "$RD_ERR" "exported 5 observations"
rd_pg_createdb moved
moved_url="${PG_URL/\/history?//moved?}"
rd_rd history --db "$moved_url" --import "$RD_TMP/sqlite.jsonl"
rd_assert_rc "import into PostgreSQL: exit 0" 0
rd_assert_contains "import into PostgreSQL: all added" "$RD_ERR" "imported 5 observations"
rd_run_stdin "$(<"$RD_TMP/sqlite.jsonl")" "$RD_BIN" history --db "$moved_url" --import -
rd_assert_contains "import of the same file again (stdin): adds nothing" "$RD_ERR" \
  "imported 0 observations into ${shown_url/\/history?//moved?} (5 already there)"
rd_rd history --db "$moved_url" --export -
rd_assert_eq "export from PostgreSQL: identical to SQLite's" "$(<"$RD_TMP/sqlite.jsonl")" "$RD_OUT"
for ref in "$app" "$stable" "$REG_HOST/team/app:no-such-tag"; do
  for fmt in text json; do
    sqlite_out="$("$RD_BIN" history --db "$sqlite_db" "$ref" -o "$fmt" 2>&1 || true)"
    pg_out="$("$RD_BIN" history --db "$moved_url" "$ref" -o "$fmt" 2>&1 || true)"
    rd_assert_eq "history $ref -o $fmt: identical on both backends" "$sqlite_out" "$pg_out"
  done
done
rd_rd history --db "$PG_URL" --export "$RD_TMP/pg.jsonl"
rd_rd history --db "$RD_TMP/back.db" --import "$RD_TMP/pg.jsonl"
rd_assert_rc "import a PostgreSQL export into a new SQLite file: exit 0" 0
rd_rd history --db "$RD_TMP/back.db" --export -
rd_assert_eq "PostgreSQL -> SQLite: the export is identical" "$(<"$RD_TMP/pg.jsonl")" "$RD_OUT"
rd_assert_eq "drift: identical on both backends" \
  "$("$RD_BIN" drift --db "$PG_URL" --since 1d 2>&1 || true)" \
  "$("$RD_BIN" drift --db "$RD_TMP/back.db" --since 1d 2>&1 || true)"
printf '{"reference":"docker.io/library/x:1","observedAt":"nope"}\n' >>"$RD_TMP/pg.jsonl"
rd_rd history --db "$moved_url" --import "$RD_TMP/pg.jsonl"
rd_assert_rc "import of a bad line: exit 3" 3
rd_assert_contains "import of a bad line: names the line" "$RD_ERR" \
  "pg.jsonl:$(wc -l <"$RD_TMP/pg.jsonl"): observedAt: not an RFC 3339 time"

# --- record --all-tags: snapshots in PostgreSQL; a new tag shows in drift REPO ---
rd_rd record --all-tags --db "$PG_URL" "$REG_HOST/team/app"
rd_assert_rc "record --all-tags into PostgreSQL: exit 0" 0
rd_push --repo team/app --tag v9 --kind oci --seed nine >/dev/null
rd_rd record --all-tags --db "$PG_URL" "$REG_HOST/team/app"
rd_assert_eq "record --all-tags: two snapshots stored" "2" \
  "$(rd_psql history "SELECT count(*) FROM repository_snapshots")"
rd_rd drift --db "$PG_URL" --since 1h -o json "$REG_HOST/team/app"
rd_assert_rc "drift REPO from PostgreSQL: exit 1" 1
rd_assert_eq "drift REPO from PostgreSQL: v9 added" "added $REG_HOST/team/app:v9" \
  "$(jq -r '[.results[] | "\(.state) \(.reference)"] | join(",")' <<<"$RD_OUT" 2>/dev/null)"

rd_finish
