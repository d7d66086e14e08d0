#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: regdigest and the user's files, against a real docker-registry.
# A symlinked lock file and config.json are written through to their target
# (the link stays, the lock file keeps its mode 0640); a 0444 lock file or
# Dockerfile is refused and left as it was (as root too); config.json only
# loses group and other permissions (it holds credentials); a Dockerfile and a
# compose file with a UTF-8 byte order mark and CRLF lines are checked and
# pinned; a directory given as --file, --from, --config, --db is named as a
# directory; a default regdigest.lock with merge conflict markers or list
# lines is a corrupt lock file (an explicit --file list still works); SIGTERM
# to a `lock` waiting on a slow registry leaves no temp file and the lock file
# intact; an empty HOME is refused with a message; relative XDG_CONFIG_HOME
# and XDG_DATA_HOME are ignored.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
# shellcheck source=../lib/fault_proxy.sh
source "$HERE/../lib/fault_proxy.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
work="$RD_TMP/work"
mkdir -p "$work"
cd "$work"
export HOME="$RD_TMP/home"
mkdir -p "$HOME"
unset XDG_CONFIG_HOME XDG_DATA_HOME REGDIGEST_CONFIG DOCKER_CONFIG
v1="$REG_HOST/files/app:v1"
v2="$REG_HOST/files/app:v2"
d1="$(rd_push --repo files/app --tag v1 --kind schema2 --seed files-1)"
d2="$(rd_push --repo files/app --tag v2 --kind oci --seed files-2)"
# no_temp_files DESC DIR...: no .*.tmp-* file is left in the directories.
no_temp_files() {
  local left
  left="$(find "${@:2}" -maxdepth 1 -name '.*.tmp-*' | head -5)"
  rd_assert_eq "$1" "" "$left"
}

# --- lock through a symbolic link: the target is written, its mode kept ---
mkdir -p shared
rd_rd lock --file shared/real.lock "$v1"
rd_assert_rc "lock into shared/real.lock: exit 0" 0
chmod 0640 shared/real.lock
ln -s shared/real.lock regdigest.lock
rd_rd lock "$v2"
rd_assert_rc "lock through the link: exit 0" 0
rd_assert_eq "lock through the link: regdigest.lock is still a link" "shared/real.lock" \
  "$(readlink regdigest.lock)"
rd_assert_eq "lock through the link: the target has both entries" "$d1 $d2" \
  "$(jq -r '[.entries[].digest] | join(" ")' shared/real.lock)"
rd_assert_eq "lock through the link: the target keeps mode 0640" "640" \
  "$(stat -c %a shared/real.lock)"
no_temp_files "lock through the link: no temp file left" . shared

# --- a read-only lock file or Dockerfile is refused (as root too) ---
rd_rd lock --file ro.lock "$v2"
rd_assert_rc "lock into ro.lock: exit 0" 0
chmod 0444 ro.lock
cp -p ro.lock ro.lock.before
rd_rd lock --file ro.lock "$v1"
rd_assert_rc "0444 lock file (uid $(id -u)): exit 3" 3
rd_assert_contains "0444 lock file: says why, naming it" "$RD_ERR" \
  "cannot write ro.lock: Permission denied (mode 0444)"
rd_assert_eq "0444 lock file: unchanged, still 0444" "same 444" \
  "$(cmp -s ro.lock ro.lock.before && echo same) $(stat -c %a ro.lock)"
printf 'FROM %s\n' "$v1" >ro.Dockerfile
chmod 0444 ro.Dockerfile
rd_rd pin ro.Dockerfile
rd_assert_rc "0444 Dockerfile: pin fails, exit 3" 3
rd_assert_contains "0444 Dockerfile: says why" "$RD_ERR" "cannot write"
rd_assert_eq "0444 Dockerfile: unchanged" "FROM $v1" "$(cat ro.Dockerfile)"
no_temp_files "read-only files: no temp file left" .

# --- UTF-8 byte order mark and CRLF: checked and pinned as docker build reads them ---
mkdir -p bom
printf '\xEF\xBB\xBFFROM %s AS base\r\nRUN true\r\nFROM %s\r\n' "$v1" "$v2" >bom/Dockerfile
printf '\xEF\xBB\xBFservices:\r\n  web:\r\n    image: %s\r\n' "$v1" >bom/compose.yaml
rd_rd pin --check -o json bom/Dockerfile bom/compose.yaml
rd_assert_eq "BOM+CRLF: pin --check sees 3 unpinned references, with their lines" \
  "unpinned bom/Dockerfile:1 unpinned bom/Dockerfile:3 unpinned bom/compose.yaml:3" \
  "$(jq -r '[.results[] | "\(.state) \(.file):\(.line)"] | join(" ")' <<<"$RD_OUT")"
rd_rd pin bom/Dockerfile bom/compose.yaml
rd_assert_rc "BOM+CRLF: pin exit 0" 0
rd_assert_eq "BOM+CRLF: the Dockerfile is pinned, BOM and CRLF kept" \
  "$(printf '\xEF\xBB\xBFFROM %s@%s AS base\r\nRUN true\r\nFROM %s@%s\r\n' "$v1" "$d1" "$v2" "$d2" | od -c)" \
  "$(od -c <bom/Dockerfile)"
rd_assert_eq "BOM+CRLF: the compose file is pinned, BOM and CRLF kept" \
  "$(printf '\xEF\xBB\xBFservices:\r\n  web:\r\n    image: %s@%s\r\n' "$v1" "$d1" | od -c)" \
  "$(od -c <bom/compose.yaml)"
rd_rd pin --check bom/Dockerfile bom/compose.yaml
rd_assert_rc "BOM+CRLF: pin --check after pin: exit 0" 0
rd_assert_contains "BOM+CRLF: 3 checked, 3 ok" "$RD_OUT" "3 checked: 3 ok"

# --- a directory where a file is expected: named, and said to be a directory ---
mkdir -p adir
rd_rd lock --file adir "$v1"
rd_assert_rc "lock --file DIR: exit 3" 3
rd_assert_contains "lock --file DIR: names it" "$RD_ERR" "regdigest: cannot read adir: Is a directory"
rd_rd record --from adir --db "$RD_TMP/h.db"
rd_assert_rc "record --from DIR: exit 2" 2
rd_assert_contains "record --from DIR: names --from" "$RD_ERR" "--from adir: is a directory"
rd_rd check --file adir
rd_assert_contains "check --file DIR: names --file" "$RD_ERR" "--file adir: is a directory"
rd_rd --config adir resolve "$v1"
rd_assert_rc "--config DIR: not ignored, exit 3" 3
rd_assert_contains "--config DIR: names it" "$RD_ERR" "cannot read adir: Is a directory"
rd_rd record --db adir "$v1"
rd_assert_rc "--db DIR: exit 2" 2
rd_assert_contains "--db DIR: names it" "$RD_ERR" "adir is a directory"

# --- the default regdigest.lock is a lock file, never a list ---
mkdir -p conflict
printf '{\n  "version": 1,\n<<<<<<< HEAD\n  "entries": []\n=======\n  "entries": []\n>>>>>>> b\n}\n' \
  >conflict/regdigest.lock
cd conflict
rd_rd check
rd_assert_rc "merge conflict in the default lock file: exit 3" 3
rd_assert_eq "merge conflict: one line naming the file" \
  "regdigest: regdigest.lock: unresolved merge conflict (line 3); resolve it, or check out one side and run \`regdigest lock\` again" \
  "$RD_ERR"
printf '%s@%s\n' "$v1" "$d1" >regdigest.lock
rd_rd check
rd_assert_rc "reference lines in the default lock file: exit 3" 3
rd_assert_contains "reference lines in the default lock file: corrupt lock file" "$RD_ERR" \
  "regdigest.lock: not valid JSON"
rd_rd check --file regdigest.lock
rd_assert_rc "the same lines with an explicit --file: a list, exit 0" 0
cd "$work"

# --- SIGTERM while lock waits for a slow registry: no temp file, lock intact ---
rd_start_fault_proxy "$REG_URL"
rd_fault 'slow delay=30'
mkdir -p term
cp shared/real.lock term/regdigest.lock
cp term/regdigest.lock term/before.lock
(cd term && exec "$RD_BIN" lock "$PROXY_HOST/files/app:v1" >/dev/null 2>&1) &
lock_pid=$!
sleep 1.5
kill -TERM "$lock_pid"
set +e
wait "$lock_pid"
term_rc=$?
set -e
rd_assert_eq "SIGTERM: lock dies of SIGTERM (128+15)" 143 "$term_rc"
rd_assert_eq "SIGTERM: the lock file is intact" same \
  "$(cmp -s term/regdigest.lock term/before.lock && echo same)"
no_temp_files "SIGTERM: no temp file left" term
rd_no_fault

# --- login/logout write through a symlinked config.json (no group/other access) ---
mkdir -p dc real-dc
printf '{"auths": {}, "psFormat": "table"}\n' >real-dc/config.json
chmod 0640 real-dc/config.json
ln -s ../real-dc/config.json dc/config.json
rd_run_stdin "pw" env DOCKER_CONFIG="$work/dc" "$RD_BIN" login "$REG_HOST" -u alice --password-stdin
rd_assert_rc "login through a symlinked config.json: exit 0" 0
rd_assert_eq "login: config.json is still a link" "../real-dc/config.json" "$(readlink dc/config.json)"
rd_assert_eq "login: the target has the entry and its other keys; 0640 becomes 0600 (secrets)" \
  "true table 600" \
  "$(jq -r --arg r "$REG_HOST" '.auths | has($r)' real-dc/config.json) $(jq -r .psFormat \
    real-dc/config.json) $(stat -c %a real-dc/config.json)"
rd_run env DOCKER_CONFIG="$work/dc" "$RD_BIN" logout "$REG_HOST"
rd_assert_rc "logout through the link: exit 0" 0
rd_assert_eq "logout: still a link, the entry gone from the target" \
  "../real-dc/config.json false" \
  "$(readlink dc/config.json) $(jq -r --arg r "$REG_HOST" '.auths | has($r)' real-dc/config.json)"
no_temp_files "login/logout: no temp file left" dc real-dc

# --- an empty HOME is refused with a message, never read as / ---
rd_run env HOME= "$RD_BIN" resolve "$v1"
rd_assert_rc "empty HOME: exit 2" 2
rd_assert_match "empty HOME: one line saying so" \
  '^regdigest: (usage error: )?HOME is set but empty; set it to your home directory$' "$RD_ERR"
rd_run env HOME= "$RD_BIN" logout "$REG_HOST"
rd_assert_rc "empty HOME: logout exit 2" 2
rd_run env HOME= DOCKER_CONFIG="$work/dc" REGDIGEST_CONFIG=/dev/null "$RD_BIN" resolve "$v1"
rd_assert_rc "empty HOME with DOCKER_CONFIG and REGDIGEST_CONFIG: no home needed, exit 0" 0

# --- relative XDG paths are ignored, for config and history alike ---
mkdir -p "$HOME/.config/regdigest" rel/regdigest
printf '{"concurrency": 3}\n' >rel/regdigest/config.json
printf 'not json\n' >"$HOME/.config/regdigest/config.json"
rd_run env XDG_CONFIG_HOME=rel "$RD_BIN" resolve "$v1"
rd_assert_rc "relative XDG_CONFIG_HOME: ignored, the config under HOME is read (and is broken)" 2
rd_assert_contains "relative XDG_CONFIG_HOME: the error names HOME's config" "$RD_ERR" \
  "$HOME/.config/regdigest/config.json"
rm "$HOME/.config/regdigest/config.json"
rd_run env XDG_DATA_HOME=rel "$RD_BIN" record "$v1"
rd_assert_rc "relative XDG_DATA_HOME: record exit 0" 0
rd_assert_eq "relative XDG_DATA_HOME: the history is under HOME, not rel/" "yes no" \
  "$([[ -f "$HOME/.local/share/regdigest/history.db" ]] && echo yes || echo no) $(
    [[ -e rel/regdigest/history.db ]] && echo yes || echo no)"

rd_finish
