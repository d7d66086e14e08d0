#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: the history database against a real registry. record, move the
# tag, record -> `history` shows both digests newest first (text, json, junit,
# github); `drift --since 1h` lists old -> new (exit 1), exit 0 when nothing
# moved; four `record` processes at once on one database all succeed and every
# observation is stored; a corrupt file, a foreign SQLite database and a newer
# schema are refused with a clear error, byte-identical and before any
# registry request; --file (lock file or list), --from (Dockerfile); the
# default path under $XDG_DATA_HOME, else ~/.local/share.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

# sql DB STATEMENTS: runs SQL with Python's sqlite3 module (no sqlite3 CLI
# needed); prints the rows of the last statement, columns joined by '|'.
sql() {
  "$RD_PY" - "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
rows = []
for statement in filter(str.strip, sys.argv[2].split(";")):
    rows = db.execute(statement).fetchall()
for row in rows:
    print("|".join("" if v is None else str(v) for v in row))
PY
}
rows() { sql "$1" "SELECT count(*) FROM observations${2:+ WHERE $2}"; }

rd_start_registry anon
app="$REG_HOST/team/app:v1"
stable="$REG_HOST/team/stable:v1"
d1="$(rd_push --repo team/app --tag v1 --kind oci --seed one)"
ds="$(rd_push --repo team/stable --tag v1 --kind oci-index --seed stable)"
db="$RD_TMP/dbs/new/history.db"

# --- record, move the tag, record ---
rd_rd record --db "$db" "$app" "$stable"
rd_assert_rc "record: exit 0" 0
rd_assert_eq "record: REFERENCE DIGEST per reference" "$app $d1"$'\n'"$stable $ds" "$RD_OUT"
rd_assert_contains "record: says where it recorded" "$RD_ERR" "recorded 2 observations in $db"
rd_assert_eq "record: the database and its directories were created" "2" "$(rows "$db")"
rd_assert_eq "record: the database is in WAL mode" "wal" "$(sql "$db" 'PRAGMA journal_mode')"
rd_assert_eq "record: digest, media type and status stored" \
  "$d1|application/vnd.oci.image.manifest.v1+json|ok" \
  "$(sql "$db" "SELECT digest, media_type, status FROM observations WHERE reference = '$app'")"
d2="$(rd_push --repo team/app --tag v1 --kind oci --seed two)"
rd_assert_ne "the tag moved to new content" "$d1" "$d2"
rd_rd record --db "$db" "$app" "$stable"
rd_assert_rc "record after the move: exit 0" 0
rd_assert_contains "record after the move: the new digest" "$RD_OUT" "$app $d2"

# --- history ---
rd_rd history --db "$db" "$app"
rd_assert_rc "history of a tag that moved: exit 1" 1
rd_assert_contains "history: header" "$RD_OUT" "$app: 1 change between 2 distinct digests, 2 observations"
rd_assert_eq "history: digests newest first" "$d2 $d1" \
  "$(grep -oE 'sha256:[0-9a-f]{64}' <<<"$RD_OUT" | paste -sd' ')"
rd_assert_match "history: first and last seen as RFC 3339" \
  "$d2 +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z +[0-9-]{10}T[0-9:]{8}Z +1" "$RD_OUT"
rd_rd history --db "$db" "$app" -o json
rd_assert_rc "history -o json: exit 1" 1
rd_assert_eq "history -o json: timeline newest first" "$d2 $d1" \
  "$(jq -r '[.timeline[].digest] | join(" ")' <<<"$RD_OUT")"
rd_assert_eq "history -o json: counts" "2 1 0" \
  "$(jq -r '"\(.observations) \(.changes) \(.failedObservations)"' <<<"$RD_OUT")"
rd_assert_eq "history -o json: first seen of the newest is its last seen" "true" \
  "$(jq -r '.timeline[0].firstSeen == .timeline[0].lastSeen' <<<"$RD_OUT")"
rd_rd history --db "$db" "$stable"
rd_assert_rc "history of a tag that never moved: exit 0" 0
rd_assert_contains "history: one digest seen twice" "$RD_OUT" "$stable: 0 changes between 1 distinct digest, 2 observations"
# A -> B -> A: two changes between two distinct digests, and the header says both.
back="$REG_HOST/team/back:v1"
back_db="$RD_TMP/dbs/back.db"
for seed in one two one; do
  rd_push --repo team/back --tag v1 --kind oci --seed "$seed" >/dev/null
  rd_rd record --db "$back_db" "$back"
  rd_assert_rc "A -> B -> A: record after pushing $seed: exit 0" 0
done
rd_rd history --db "$back_db" "$back"
rd_assert_rc "A -> B -> A: history exit 1" 1
rd_assert_contains "A -> B -> A: header counts changes and distinct digests" "$RD_OUT" \
  "$back: 2 changes between 2 distinct digests, 3 observations"
rd_rd history --db "$db" team/app:v1
rd_assert_rc "history of a reference never recorded: exit 3" 3
rd_assert_contains "history of a reference never recorded: says so" "$RD_ERR" \
  "no observations of docker.io/team/app:v1 in $db"
rd_rd history --db "$db" "$app" -o junit
rd_assert_rc "history -o junit: exit 1" 1
printf '%s\n' "$RD_OUT" >"$RD_TMP/history.xml"
rd_run xmllint --noout "$RD_TMP/history.xml"
rd_assert_rc "history -o junit: valid XML (xmllint)" 0
rd_assert_contains "history -o junit: the change is a failure" "$(<"$RD_TMP/history.xml")" \
  "<failure type=\"drifted\" message=\"$app drifted: $d1 -&gt; $d2 at "
rd_rd history --db "$db" "$app" -o github
rd_assert_rc "history -o github: exit 1" 1
rd_assert_contains "history -o github: an ::error for the change" "$RD_OUT" "::error title=regdigest drifted::$app drifted: $d1 -> $d2"
rd_rd history --db "$db" 'Bad_Ref'
rd_assert_rc "history of an invalid reference: exit 2" 2

# --- drift ---
rd_rd drift --db "$db" --since 1h
rd_assert_rc "drift --since 1h: exit 1" 1
rd_assert_match "drift: old -> new with the time of change" \
  "^drifted +$app +$d1 -> $d2 at [0-9-]{10}T[0-9:]{8}Z" "$RD_OUT"
rd_assert_not_contains "drift: the tag that did not move is not listed" "$RD_OUT" "$stable"
# The window boundary: a change observed exactly at --since is in the window.
changed_at="$(grep -oE ' at [0-9-]{10}T[0-9:]{8}Z' <<<"$RD_OUT" | head -n1 | cut -c5-)"
rd_assert_match "drift: the time of change" '^[0-9-]{10}T[0-9:]{8}Z$' "$changed_at"
rd_rd drift --db "$db" --since "$changed_at"
rd_assert_rc "drift --since exactly the time of change: exit 1" 1
rd_assert_contains "drift --since exactly the time of change: listed" "$RD_OUT" \
  "$app  $d1 -> $d2 at $changed_at"
rd_rd drift --db "$db" --since "$(date -u -d "$changed_at + 1 second" +%Y-%m-%dT%H:%M:%SZ)"
rd_assert_rc "drift --since one second after the change: exit 0" 0
rd_assert_contains "drift --since one second after the change: nothing" "$RD_OUT" \
  "no recorded digest changed since"
rd_rd drift --db "$db" --since 1h -o json
rd_assert_rc "drift -o json: exit 1" 1
rd_assert_eq "drift -o json: the change" "$app drifted $d1 $d2" \
  "$(jq -r '.results[] | "\(.reference) \(.state) \(.expected) \(.current)"' <<<"$RD_OUT")"
rd_rd drift --db "$db" --since 1h -o junit
rd_assert_rc "drift -o junit: exit 1" 1
printf '%s\n' "$RD_OUT" >"$RD_TMP/drift.xml"
rd_run xmllint --noout "$RD_TMP/drift.xml"
rd_assert_rc "drift -o junit: valid XML (xmllint)" 0
rd_assert_contains "drift -o junit: one test, one failure" "$(<"$RD_TMP/drift.xml")" \
  'tests="1" failures="1" errors="0" skipped="0"'
rd_rd drift --db "$db" --since 1h --all -o junit
rd_assert_rc "drift --all -o junit: exit 1" 1
rd_assert_contains "drift --all -o junit: the unmoved tag is a passing testcase" "$RD_OUT" \
  "<testcase classname=\"regdigest drift\" name=\"$stable\"/>"
rd_rd drift --db "$db" --since "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)"
rd_assert_rc "drift --since a future RFC 3339 time: exit 0" 0
rd_assert_contains "drift with nothing in the window: says so" "$RD_OUT" "no recorded digest changed since"
quiet_db="$RD_TMP/dbs/quiet.db"
for n in 1 2; do
  rd_rd record --db "$quiet_db" "$stable"
  rd_assert_rc "record $n of an unmoved tag: exit 0" 0
done
rd_rd drift --db "$quiet_db" --since 1h
rd_assert_rc "drift when nothing changed: exit 0" 0
rd_rd drift --db "$quiet_db" --since 1h -o junit
rd_assert_rc "drift -o junit with no drift: exit 0" 0
printf '%s\n' "$RD_OUT" >"$RD_TMP/quiet.xml"
rd_run xmllint --noout "$RD_TMP/quiet.xml"
rd_assert_rc "drift -o junit with no drift: valid XML" 0
rd_rd drift --db "$quiet_db" --since yesterday
rd_assert_rc "drift --since garbage: exit 2" 2
rd_assert_contains "drift --since garbage: says what it expects" "$RD_ERR" "90s, 30m, 12h, 7d, 2w"
rd_rd drift --db "$RD_TMP/dbs/absent.db"
rd_assert_rc "drift on a missing database: exit 3" 3
rd_assert_contains "drift on a missing database: says so" "$RD_ERR" "no history database at"
rd_assert_eq "drift on a missing database: creates nothing" "no" \
  "$([[ -e "$RD_TMP/dbs/absent.db" ]] && echo yes || echo no)"

# --- failures are recorded with their status ---
rd_rd record --db "$db" "$REG_HOST/team/app:no-such-tag" "$app"
rd_assert_rc "record of a missing tag: exit 3" 3
rd_assert_contains "record of a missing tag: the others still printed" "$RD_OUT" "$app $d2"
rd_assert_eq "record of a missing tag: stored with its status" "|not found" \
  "$(sql "$db" "SELECT digest, status FROM observations WHERE reference LIKE '%no-such-tag'")"
rd_rd history --db "$db" "$REG_HOST/team/app:no-such-tag" -o json
rd_assert_rc "history with only failed observations: exit 3" 3
rd_assert_eq "history -o json: the failure" "1 not found" \
  "$(jq -r '"\(.failedObservations) \(.lastFailure.status)"' <<<"$RD_OUT")"
rd_rd record --db "$db" "$app" 'Bad_Ref'
rd_assert_rc "record with an invalid reference: exit 2" 2
rd_assert_eq "record with an invalid reference: the valid one recorded" "4" \
  "$(rows "$db" "reference = '$app'")"

# --- --file: a lock file or a list; --from: a Dockerfile ---
cat >"$RD_TMP/regdigest.lock" <<EOF2
{
  "version": 1,
  "entries": [
    {
      "reference": "$stable",
      "digest": "$ds",
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "resolvedAt": "2026-11-28T21:06:11Z"
    }
  ]
}
EOF2
file_db="$RD_TMP/dbs/file.db"
rd_rd record --db "$file_db" --file "$RD_TMP/regdigest.lock"
rd_assert_rc "record --file regdigest.lock: exit 0" 0
rd_assert_eq "record --file regdigest.lock: its entries recorded" "$stable $ds" "$RD_OUT"
printf '# refs\n%s\n\n%s\n' "$app" "$stable" >"$RD_TMP/refs.txt"
rd_rd record --db "$file_db" --file "$RD_TMP/refs.txt"
rd_assert_rc "record --file refs.txt: exit 0" 0
rd_assert_eq "record --file refs.txt: both recorded" "$app $d2"$'\n'"$stable $ds" "$RD_OUT"
printf 'FROM %s AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /x /x\n' "$app" \
  >"$RD_TMP/Dockerfile"
rd_rd record --db "$file_db" --from "$RD_TMP/Dockerfile"
rd_assert_rc "record --from Dockerfile: exit 0" 0
rd_assert_eq "record --from Dockerfile: the image reference recorded" "$app $d2" "$RD_OUT"
rd_assert_contains "record --from Dockerfile: scratch skipped with a note" "$RD_ERR" "scratch"
rd_assert_eq "record --file/--from: 4 observations" "4" "$(rows "$file_db")"
printf '{"version": 1, "entries": [' >"$RD_TMP/broken.lock"
rd_rd record --db "$file_db" --file "$RD_TMP/broken.lock"
rd_assert_rc "record --file with a corrupt lock file: exit 3" 3
rd_assert_contains "record --file with a corrupt lock file: names it" "$RD_ERR" "broken.lock"

# --- four record processes at once on one new database ---
rd_push --repo conc/app --tags "$(seq -f 't%g' 1 12 | paste -sd, -)" --kind oci >/dev/null
conc_db="$RD_TMP/dbs/concurrent/history.db"
pids=()
for w in 1 2 3 4; do
  # shellcheck disable=SC2046 # one argument per reference
  "$RD_BIN" record --db "$conc_db" $(seq -f "$REG_HOST/conc/app:t%g" 1 12) \
    >"$RD_TMP/conc-$w.out" 2>"$RD_TMP/conc-$w.err" &
  pids+=($!)
done
for w in 1 2 3 4; do
  rc=0
  wait "${pids[$((w - 1))]}" || rc=$?
  RD_RC=$rc RD_OUT="$(<"$RD_TMP/conc-$w.out")" RD_ERR="$(<"$RD_TMP/conc-$w.err")"
  rd_assert_rc "concurrent record $w of 4: exit 0" 0
done
rd_assert_eq "concurrent record: all 48 observations stored" "48" "$(rows "$conc_db")"
rd_rd history --db "$conc_db" "$REG_HOST/conc/app:t7" -o json
rd_assert_rc "concurrent record: history exit 0" 0
rd_assert_eq "concurrent record: 4 observations of one tag, one digest" "4 1" \
  "$(jq -r '"\(.observations) \(.timeline | length)"' <<<"$RD_OUT")"

# --- files that are not ours: clear error, untouched, no request sent ---
head -c 8192 /dev/urandom >"$RD_TMP/corrupt.db"
sql "$RD_TMP/foreign.db" "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('alice');"
cp "$conc_db" "$RD_TMP/newer.db"
sql "$RD_TMP/newer.db" "PRAGMA journal_mode = DELETE; PRAGMA user_version = 7;" >/dev/null
declare -A want_message=(
  [corrupt]="file is not a database"
  [foreign]="other tables: users"
  [newer]="schema version 7, newer than this regdigest knows"
)
for kind in corrupt foreign newer; do
  file="$RD_TMP/$kind.db"
  cp "$file" "$file.orig"
  requests_before="$(rd_registry_request_count)"
  for cmd in record history drift; do
    case "$cmd" in
      record) rd_rd record --db "$file" "$app" ;;
      history) rd_rd history --db "$file" "$app" ;;
      drift) rd_rd drift --db "$file" ;;
    esac
    rd_assert_rc "$kind database, $cmd: exit 3" 3
    rd_assert_contains "$kind database, $cmd: names the file" "$RD_ERR" "regdigest: $file"
    rd_assert_contains "$kind database, $cmd: says why" "$RD_ERR" "${want_message[$kind]}"
    rd_run cmp "$file" "$file.orig"
    rd_assert_rc "$kind database, $cmd: file bytes unchanged" 0
  done
  rd_assert_eq "$kind database: no registry request" "$requests_before" \
    "$(rd_registry_request_count)"
done

# --- a reader who may only read the database: works, creates no file ---
# (root bypasses permissions: the reader runs as nobody.)
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
if [[ "$(id -u)" == 0 ]] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  chmod 0755 "$RD_TMP"
  shared="$RD_TMP/shared"
  mkdir -p "$shared" && chmod 1777 "$shared"  # a shared folder anyone may write in
  rd_rd record --db "$shared/history.db" "$app"
  rd_assert_rc "shared folder: the writer records" 0
  chmod 0644 "$shared/history.db"
  rd_run as_nobody "$RD_BIN" history --db "$shared/history.db" "$app"
  rd_assert_rc "read-only reader: history exit 0" 0
  rd_assert_contains "read-only reader: history shows the observation" "$RD_OUT" "$app: 0 changes between 1 distinct digest"
  rd_run as_nobody "$RD_BIN" drift --db "$shared/history.db" --since 1h
  rd_assert_rc "read-only reader: drift exit 0" 0
  rd_assert_eq "read-only reader: no -wal or -shm created" "history.db" "$(ls "$shared")"
  rd_run as_nobody "$RD_BIN" record --db "$shared/history.db" "$app"
  rd_assert_rc "read-only user: record exit 3" 3
  rd_assert_contains "read-only user: record says it cannot write" "$RD_ERR" \
    "cannot write $shared/history.db: Permission denied"
  rd_rd record --db "$shared/history.db" "$app"
  rd_assert_rc "shared folder: the writer still records after the readers" 0
  rd_assert_eq "shared folder: both observations stored" "2" "$(rows "$shared/history.db")"
else
  rd_fail "read-only reader test needs root, the nobody user and setpriv"
fi

# --- a directory as the database ---
for cmd in record history drift; do
  case "$cmd" in
    record) rd_rd record --db "$RD_TMP/dbs" "$app" ;;
    history) rd_rd history --db "$RD_TMP/dbs" "$app" ;;
    drift) rd_rd drift --db "$RD_TMP/dbs" ;;
  esac
  rd_assert_rc "--db DIR, $cmd: exit 2" 2
  rd_assert_contains "--db DIR, $cmd: says it is a directory" "$RD_ERR" \
    "$RD_TMP/dbs is a directory, not a history database file"
done

# --- REGDIGEST_DB selects the database when --db is not given ---
REGDIGEST_DB="$db" rd_rd history "$app"
rd_assert_rc "REGDIGEST_DB: history reads that database" 1
rd_assert_contains "REGDIGEST_DB: the timeline" "$RD_OUT" "between 2 distinct digests"

# --- default path: $XDG_DATA_HOME, else ~/.local/share ---
XDG_DATA_HOME="$RD_TMP/xdg" rd_rd record "$stable"
rd_assert_rc "record without --db: exit 0" 0
rd_assert_eq "record without --db: \$XDG_DATA_HOME/regdigest/history.db" "1" \
  "$(rows "$RD_TMP/xdg/regdigest/history.db")"
XDG_DATA_HOME="$RD_TMP/xdg" rd_rd history "$stable"
rd_assert_rc "history without --db reads the same database" 0
(
  unset XDG_DATA_HOME
  "$RD_BIN" record "$stable" >/dev/null 2>&1
)
rd_assert_eq "record without --db or XDG_DATA_HOME: ~/.local/share/regdigest/history.db" "1" \
  "$(rows "$HOME/.local/share/regdigest/history.db")"

# --- help ---
for cmd in record history drift; do
  rd_rd "$cmd" --help
  rd_assert_rc "$cmd --help: exit 0" 0
  rd_assert_contains "$cmd --help: exit statuses in the footer" "$RD_OUT" "Exit status:"
done

rd_finish
