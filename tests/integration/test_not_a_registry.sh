#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: only manifests are manifests. A plain web server
# (tests/servers/not_a_registry.py) answering /v2/x/manifests/z with an HTML
# page is refused by resolve, lock, check, inspect and record (one line,
# exit 3, lock writes nothing); a real manifest served as
# application/octet-stream is fetched once and accepted with the media type its
# body has; schema 1 gets its own message; a lock file holding a web server's
# media type is corrupt. The server speaks plain http on loopback, so each run
# also shows the https-first probe costing no request the server sees.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

LOG="$RD_TMP/web.log"
: >"$LOG"
rd_spawn "$RD_TMP/web.out" "$RD_PY" "$RD_SERVERS_DIR/not_a_registry.py" "$RD_TMP/web.port" "$LOG"
for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/web.port" ]] && break; sleep 0.1; done
[[ -s "$RD_TMP/web.port" ]] || rd_die "not_a_registry.py did not start"
WEB="127.0.0.1:$(<"$RD_TMP/web.port")"
cd "$RD_TMP"

requests() { grep -c . "$LOG" || true; }
one_line() { [[ "$(printf '%s\n' "$1" | grep -c .)" == 1 ]]; }

# --- resolve: an HTML page is not a manifest; one HEAD, no GET ---
: >"$LOG"
rd_rd resolve "$WEB/html:z"
rd_assert_rc "resolve HTML: exit 3" 3
rd_assert_eq "resolve HTML: nothing on stdout" "" "$RD_OUT"
rd_assert_contains "resolve HTML: says it is not a registry" "$RD_ERR" \
  "$WEB/html:z: http://$WEB does not look like a container registry: it answered the manifest request with Content-Type \"text/html; charset=utf-8\""
if one_line "$RD_ERR"; then rd_pass "resolve HTML: one line"; else rd_fail "resolve HTML: one line" "$RD_ERR"; fi
rd_assert_eq "resolve HTML: one request the server understood (the HEAD)" "HEAD /v2/html/manifests/z" "$(cat "$LOG")"

rd_rd resolve -o json "$WEB/html:z"
rd_assert_rc "resolve -o json HTML: exit 3" 3
rd_assert_contains "resolve -o json HTML: error entry" "$(jq -r '.[0].error' <<<"$RD_OUT")" \
  "does not look like a container registry"

# --- lock writes nothing; check of a lock entry for it is an error ---
rd_rd lock --file html.lock "$WEB/html:z"
rd_assert_rc "lock HTML: exit 3" 3
rd_assert_contains "lock HTML: the reason" "$RD_ERR" "does not look like a container registry"
if [[ -e html.lock ]]; then rd_fail "lock HTML: no lock file written"; else rd_pass "lock HTML: no lock file written"; fi

ZERO="sha256:$(printf x | sha256sum | cut -d' ' -f1)"
write_lock() { # FILE MEDIATYPE
  printf '{\n  "version": 1,\n  "entries": [\n    {\n      "reference": "%s",\n      "digest": "%s",\n      "mediaType": "%s",\n      "resolvedAt": "2026-01-01T00:00:00Z"\n    }\n  ]\n}\n' \
    "$WEB/html:z" "$ZERO" "$2" >"$1"
}
write_lock good-type.lock application/vnd.oci.image.manifest.v1+json
rd_rd check --file good-type.lock
rd_assert_rc "check HTML entry: exit 3" 3
rd_assert_contains "check HTML entry: the reason" "$RD_OUT$RD_ERR" "does not look like a container registry"
if grep -q '^ok ' <<<"$RD_OUT"; then
  rd_fail "check HTML entry: never ok" "$RD_OUT"
else
  rd_pass "check HTML entry: never ok"
fi

# The bug this replaces wrote application/octet-stream into lock files.
write_lock junk-type.lock application/octet-stream
rd_rd check --file junk-type.lock
rd_assert_rc "check, lock file with a web server's media type: exit 3" 3
rd_assert_contains "check, junk media type: corrupt lock file named" "$RD_ERR" "junk-type.lock"
rd_assert_contains "check, junk media type: why" "$RD_ERR" \
  "\"mediaType\" \"application/octet-stream\" is not a manifest media type"

# --- inspect and record refuse it too ---
rd_rd inspect "$WEB/html:z"
rd_assert_rc "inspect HTML: exit 3" 3
rd_assert_contains "inspect HTML: the reason" "$RD_ERR" \
  "does not look like a container registry: it answered the manifest request with Content-Type \"text/html"

rd_rd record --db history.db "$WEB/html:z"
rd_assert_rc "record HTML: exit 3" 3
rd_rd history --db history.db -o json "$WEB/html:z"
rd_assert_not_contains "record HTML: no digest recorded" "$RD_OUT" "sha256:"

# --- application/octet-stream with a real manifest: one GET, accepted ---
MANIFEST_DIGEST="sha256:$(curl -sf "http://$WEB/v2/octet/manifests/z" | sha256sum | cut -d' ' -f1)"
OCI=application/vnd.oci.image.manifest.v1+json
: >"$LOG"
rd_rd resolve -o json "$WEB/octet:z"
rd_assert_rc "resolve octet-stream manifest: exit 0" 0
rd_assert_eq "resolve octet-stream manifest: digest of the bytes" "$MANIFEST_DIGEST" \
  "$(jq -r '.[0].digest' <<<"$RD_OUT")"
rd_assert_eq "resolve octet-stream manifest: media type from the body" "$OCI" \
  "$(jq -r '.[0].mediaType' <<<"$RD_OUT")"
rd_assert_eq "resolve octet-stream manifest: HEAD then one GET" \
  "HEAD /v2/octet/manifests/z GET /v2/octet/manifests/z" "$(tr '\n' ' ' <"$LOG" | sed 's/ $//')"

rd_rd lock --file octet.lock "$WEB/octet:z"
rd_assert_rc "lock octet-stream manifest: exit 0" 0
rd_assert_eq "lock octet-stream manifest: the manifest media type is stored" "$OCI" \
  "$(jq -r '.entries[0].mediaType' octet.lock)"
rd_rd check --file octet.lock
rd_assert_rc "check octet-stream manifest: exit 0" 0

rd_rd inspect -o json "$WEB/octet:z"
rd_assert_rc "inspect octet-stream manifest: exit 0" 0
rd_assert_eq "inspect octet-stream manifest: media type" "$OCI" "$(jq -r .mediaType <<<"$RD_OUT")"
rd_assert_eq "inspect octet-stream manifest: platform" "linux/amd64" \
  "$(jq -r '.platforms[0].platform' <<<"$RD_OUT")"

rd_rd record --db history.db "$WEB/octet:z"
rd_assert_rc "record octet-stream manifest: exit 0" 0
rd_rd history --db history.db -o json "$WEB/octet:z"
rd_assert_contains "history: the manifest media type is stored" "$RD_OUT" "\"$OCI\""
rd_assert_not_contains "history: no octet-stream stored" "$RD_OUT" "octet-stream"

# --- schema 1: its own message ---
rd_rd resolve "$WEB/schema1:z"
rd_assert_rc "resolve schema 1: exit 3" 3
rd_assert_contains "resolve schema 1: its own message" "$RD_ERR" \
  "$WEB/schema1:z: schema 1 manifests are not supported"

# --- a missing manifest is still "not found" ---
rd_rd resolve "$WEB/nothing:z"
rd_assert_rc "resolve 404: exit 3" 3
rd_assert_contains "resolve 404: not found" "$RD_ERR" "not found"

rd_finish
