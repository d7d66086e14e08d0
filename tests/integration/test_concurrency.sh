#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: one concurrency rule in every phase. A counting proxy in front
# of a token registry records the most requests in flight at once, per method.
# With a per-registry "concurrency": 2 in the config file (top level 8), the
# HEAD phase and the GET phases (resolve --platform, lock --platform) never
# have more than 2 requests in flight to that registry; with only the top
# level (8) the proxy does see more than 2 (so the bound means something);
# --concurrency 4 overrides the per-registry setting.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry token
rd_push --repo conc/app --tags "$(seq -f 'c%g' 1 40 | paste -sd, -)" --kind oci >/dev/null
rd_spawn "$RD_TMP/proxy.out" "$RD_PY" "$RD_SERVERS_DIR/counting_proxy.py" "$REG_PORT" \
  "$RD_TMP/proxy.port" "$RD_TMP/proxy.stats" --hold 0.05
for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/proxy.port" ]] && break; sleep 0.1; done
PROXY_HOST="127.0.0.1:$(<"$RD_TMP/proxy.port")"
rd_docker_config \
  "{\"auths\": {\"$PROXY_HOST\": {\"auth\": \"$(rd_b64 "$REG_USER:$REG_PASSWORD")\"}}}"
refs="$(seq -f "$PROXY_HOST/conc/app:c%g" 1 40)"
printf '{"concurrency": 8, "registries": {"%s": {"concurrency": 2}}}\n' "$PROXY_HOST" \
  >"$RD_TMP/per-registry.json"
printf '{"concurrency": 8}\n' >"$RD_TMP/top-level.json"

# measure NAME CONFIG CMD...: runs CMD with REGDIGEST_CONFIG=CONFIG through a
# fresh count; sets max_head max_get heads gets.
measure() {
  local name="$1" config="$2"
  shift 2
  rm -f "$RD_TMP/proxy.stats"
  curl -sf "http://$PROXY_HOST/_reset" >/dev/null
  REGDIGEST_CONFIG="$config" rd_run "$@"
  rd_assert_rc "$name: exit 0" 0
  read -r _ _ max_head max_get heads gets <"$RD_TMP/proxy.stats"
  rd_log "$name: $heads HEADs (at most $max_head at once), $gets GETs (at most $max_get at once)"
}

# --- resolve --platform: the GET phase obeys the per-registry setting ---
printf '%s\n' "$refs" >"$RD_TMP/refs.txt"
measure "resolve --platform, per-registry 2" "$RD_TMP/per-registry.json" \
  "$RD_BIN" resolve --file "$RD_TMP/refs.txt" --platform linux/amd64
rd_assert_eq "resolve --platform: 40 results" "40" "$(wc -l <<<"$RD_OUT" | tr -d ' ')"
rd_assert_eq "resolve --platform: 41 HEADs (one answered 401)" "41" "$heads"
rd_assert_eq "resolve --platform: 80 GETs (manifest and config of each)" "80" "$gets"
rd_assert_match "resolve --platform, per-registry 2: HEADs at most 2 at once (saw $max_head)" \
  '^[12]$' "$max_head"
rd_assert_match "resolve --platform, per-registry 2: GETs at most 2 at once (saw $max_get)" \
  '^[12]$' "$max_get"

measure "resolve --platform, top level 8" "$RD_TMP/top-level.json" \
  "$RD_BIN" resolve --file "$RD_TMP/refs.txt" --platform linux/amd64
rd_assert_match "resolve --platform, top level 8: GETs overlap, at most 8 (saw $max_get)" \
  '^[3-8]$' "$max_get"

measure "resolve --platform --concurrency 4, per-registry 2" "$RD_TMP/per-registry.json" \
  "$RD_BIN" resolve --file "$RD_TMP/refs.txt" --platform linux/amd64 --concurrency 4
rd_assert_match "--concurrency 4 overrides per-registry 2: GETs 3 or 4 at once (saw $max_get)" \
  '^[34]$' "$max_get"

# --- lock --platform: its GET phase too ---
# shellcheck disable=SC2086 # one argument per reference
measure "lock --platform, per-registry 2" "$RD_TMP/per-registry.json" \
  "$RD_BIN" lock $refs --file "$RD_TMP/regdigest.lock" --platform linux/amd64
rd_assert_eq "lock --platform: 40 entries written" "40" \
  "$(jq '.entries | length' "$RD_TMP/regdigest.lock")"
rd_assert_eq "lock --platform: 80 GETs" "80" "$gets"
rd_assert_match "lock --platform, per-registry 2: HEADs at most 2 at once (saw $max_head)" \
  '^[12]$' "$max_head"
rd_assert_match "lock --platform, per-registry 2: GETs at most 2 at once (saw $max_get)" \
  '^[12]$' "$max_get"

rd_finish
