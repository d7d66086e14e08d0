#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: auth under faults, against a REAL docker-registry in token mode
# and the real token server (tests/servers/token_server.py), with
# tests/servers/fault_proxy.py in front of the registry where a fault must be
# injected. Sections: token responses with only access_token and without
# expires_in; a token the registry stops accepting mid-run (renewed once);
# insufficient_scope (one new token, then one retry, never a loop); malformed
# and unsupported WWW-Authenticate and a realm that is not http(s) (clear
# error, exit 3); a manifest GET redirected to another loopback port
# (followed, without Authorization, correct digest); an https registry whose
# realm is plain http (refused unless on loopback).
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

RD_USERS="alice:alice-Auth-F4ults-pw"
export RD_USERS
# Writes $DOCKER_CONFIG/config.json with alice's credentials for the given hosts.
alice_config() {
  local b64 host entries=""
  b64="$(rd_b64 "alice:alice-Auth-F4ults-pw")"
  for host in "$@"; do
    entries+="${entries:+, }\"$host\": {\"auth\": \"$b64\"}"
  done
  rd_docker_config "{\"auths\": {$entries}}"
}
token_lines() { wc -l <"$TOKEN_LOG" | tr -d ' '; }
token_log_after() { tail -n +"$(($1 + 1))" "$TOKEN_LOG"; }
reg_lines() { wc -l <"$REG_LOG" | tr -d ' '; }
# Registry access-log lines after line $1 for "METHOD PATH" answered STATUS.
reg_count_after() {
  tail -n +"$(($1 + 1))" "$REG_LOG" | grep -cE "\"$2 HTTP/[0-9.]+\" $3 " || true
}

# --- token response with only access_token ---
RD_TOKEN_ARGS="--token-field access_token" rd_start_registry token
d1="$(rd_push --repo ok/app --tag 1 --seed af-access)"
alice_config "$REG_HOST"
tok_before="$(token_lines)"
rd_rd -vv resolve "$REG_HOST/ok/app:1"
rd_assert_rc "only access_token: exit 0" 0
rd_assert_eq "only access_token: digest" "$d1" "$RD_OUT"
rd_assert_eq "only access_token: one token request, answered 200" "200" \
  "$(token_log_after "$tok_before" | jq -r .status)"

# --- token response without expires_in (60 s per the spec): reused ---
RD_TOKEN_ARGS="--omit-expires-in" rd_start_registry token
d1="$(rd_push --repo ok/app --tag 1 --seed af-noexp-1)"
d2="$(rd_push --repo ok/app --tag 2 --seed af-noexp-2)"
alice_config "$REG_HOST"
tok_before="$(token_lines)"
rd_rd -vv resolve "$REG_HOST/ok/app:1" "$REG_HOST/ok/app:2"
rd_assert_rc "no expires_in: exit 0" 0
rd_assert_eq "no expires_in: digests" \
  "$REG_HOST/ok/app:1 $d1"$'\n'"$REG_HOST/ok/app:2 $d2" "$RD_OUT"
rd_assert_eq "no expires_in: one token for both tags" "1" "$(($(token_lines) - tok_before))"
rd_assert_contains "no expires_in: taken as 60 s" "$RD_ERR" "expires in 60 s"

# --- a token the registry stops accepting mid-run: renewed once ---
# The registry accepts tokens for 2 s; the client, told expires_in 2, keeps
# them 60 s (the spec's minimum). Token answers take 3.5 s, so ok/app:2's
# cached token is over 3 s old when it is used after ok/other's token.
RD_TOKEN_ARGS="--expires-in 2 --delay 3.5" rd_start_registry token
d1="$(rd_push --repo ok/app --tag 1 --seed af-exp-1)"
d2="$(rd_push --repo ok/app --tag 2 --seed af-exp-2)"
d3="$(rd_push --repo ok/other --tag 1 --seed af-exp-3)"
alice_config "$REG_HOST"
tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_rd -v resolve --concurrency 1 "$REG_HOST/ok/app:1" "$REG_HOST/ok/other:1" "$REG_HOST/ok/app:2"
rd_assert_rc "token expired mid-run: exit 0" 0
rd_assert_eq "token expired mid-run: digests" \
  "$REG_HOST/ok/app:1 $d1"$'\n'"$REG_HOST/ok/other:1 $d3"$'\n'"$REG_HOST/ok/app:2 $d2" "$RD_OUT"
rd_assert_eq "token expired mid-run: ok/app's token requested twice (renewed once)" "2" \
  "$(token_log_after "$tok_before" | jq -r '.scopes | join(" ")' | grep -cx 'repository:ok/app:pull')"
rd_assert_eq "token expired mid-run: 3 token requests in all" "3" \
  "$(($(token_lines) - tok_before))"
rd_assert_eq "token expired mid-run: the registry refused the old token once" "1" \
  "$(reg_count_after "$reg_before" "HEAD /v2/ok/app/manifests/2" 401)"
rd_assert_eq "token expired mid-run: then accepted the new one" "1" \
  "$(reg_count_after "$reg_before" "HEAD /v2/ok/app/manifests/2" 200)"
rd_assert_contains "token expired mid-run: -v says the cached token was refused" "$RD_ERR" \
  "refused the cached token"

# --- insufficient_scope: a token lacking a scope is replaced once ---
# The token server grants only the first scope of a request, so the
# prefetched token for ok/b and ok/c covers ok/b only.
RD_TOKEN_ARGS="--max-scopes-per-token 1" rd_start_registry token
declare -A D
for r in a b c; do D[$r]="$(rd_push --repo "ok/$r" --tag 1 --seed "af-scope-$r")"; done
alice_config "$REG_HOST"
tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_rd -v resolve --concurrency 1 "$REG_HOST/ok/a:1" "$REG_HOST/ok/b:1" "$REG_HOST/ok/c:1"
rd_assert_rc "insufficient_scope: exit 0" 0
rd_assert_eq "insufficient_scope: digests" \
  "$REG_HOST/ok/a:1 ${D[a]}"$'\n'"$REG_HOST/ok/b:1 ${D[b]}"$'\n'"$REG_HOST/ok/c:1 ${D[c]}" \
  "$RD_OUT"
rd_assert_eq "insufficient_scope: token requests (a; b+c granting b; c)" \
  $'repository:ok/a:pull\nrepository:ok/b:pull repository:ok/c:pull\nrepository:ok/c:pull' \
  "$(token_log_after "$tok_before" | jq -r '.scopes | join(" ")')"
rd_assert_eq "insufficient_scope: the multi-scope token granted nothing on ok/c" "" \
  "$(token_log_after "$tok_before" | sed -n 2p |
    jq -r '.granted[] | select(.name == "ok/c") | .actions | join(",")')"
rd_assert_eq "insufficient_scope: ok/c refused once, then accepted" "1 1" \
  "$(reg_count_after "$reg_before" "HEAD /v2/ok/c/manifests/1" 401) $(reg_count_after "$reg_before" "HEAD /v2/ok/c/manifests/1" 200)"

# --- the main registry: alice may pull ok/*, nothing on secret/* ---
cat >"$RD_TMP/acl.json" <<'EOF'
{"grants": {"alice": {"ok/*": ["pull", "push"]}}}
EOF
RD_ACL="$RD_TMP/acl.json" rd_start_registry token
da="$(rd_push --repo ok/app --tag 1 --seed af-main-1)"
rd_start_fault_proxy "$REG_URL"
alice_config "$REG_HOST" "$PROXY_HOST"

# insufficient_scope for a scope the user has no access to: never a loop.
tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_rd resolve "$REG_HOST/secret/x:1"
rd_assert_rc "no access, fresh token: exit 3" 3
rd_assert_contains "no access, fresh token: unauthorized" "$RD_ERR" "unauthorized"
rd_assert_eq "no access, fresh token: one token request" "1" "$(($(token_lines) - tok_before))"
rd_assert_eq "no access, fresh token: two HEADs (401 without, 401 with the token)" "2" \
  "$(reg_count_after "$reg_before" "HEAD /v2/secret/x/manifests/1" 401)"

tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_rd resolve --concurrency 1 "$REG_HOST/ok/app:1" "$REG_HOST/secret/x:1"
rd_assert_rc "no access, prefetched token: exit 3" 3
rd_assert_eq "no access, prefetched token: ok/app still resolved" "$REG_HOST/ok/app:1 $da" \
  "$(grep ok/app <<<"$RD_OUT")"
rd_assert_eq "no access, prefetched token: 3 token requests (ok/app, prefetch, one renewal)" \
  "3" "$(($(token_lines) - tok_before))"
rd_assert_eq "no access, prefetched token: secret/x sent twice, both 401" "2" \
  "$(reg_count_after "$reg_before" "HEAD /v2/secret/x/manifests/1" 401)"

# Malformed, unsupported and unusable challenges, through the proxy.
auth_fault() {  # auth_fault NAME VALUE EXPECTED_STDERR_PART
  rd_fault "www-authenticate value=$2"
  rd_rd -vv resolve "$PROXY_HOST/ok/app:1"
  rd_assert_rc "$1: exit 3" 3
  rd_assert_contains "$1: clear message" "$RD_ERR" "$3"
  rd_assert_contains "$1: names the registry" "$RD_ERR" "$PROXY_HOST"
  rd_assert_eq "$1: one error line on stderr (besides -vv logs)" "1" \
    "$(grep -cvE '^regdigest: (debug|trace): ' <<<"$RD_ERR")"
  rd_assert_eq "$1: nothing on stdout" "" "$RD_OUT"
}
auth_fault "malformed WWW-Authenticate" \
  "'Bearer realm=\"http://127.0.0.1:$TOKEN_PORT/token'" "unusable challenge"
auth_fault "WWW-Authenticate with a parameter but no scheme" \
  "'realm=\"http://127.0.0.1:$TOKEN_PORT/token\"'" "unusable challenge"
auth_fault "only an unsupported scheme" "'Negotiate'" "does not support (negotiate)"
auth_fault "realm with a non-http scheme" \
  "'Bearer realm=\"ftp://127.0.0.1:$TOKEN_PORT/token\",service=\"rd-registry\"'" \
  "unusable token realm (scheme \"ftp\")"
auth_fault "realm with a file scheme" \
  "'Bearer realm=\"file:///etc/passwd\",service=\"rd-registry\"'" \
  "unusable token realm (scheme \"file\")"

# A manifest GET redirected to another loopback port (storage/CDN style).
# HEAD is refused (405) so regdigest GETs; the first GET (no token yet) gets
# its 401 straight; the authenticated GET is answered 307 to the proxy's
# second listener, which serves the real bytes and logs the Authorization.
rd_fault 'status code=405 method=HEAD path=/manifests/' \
  'redirect method=GET path=/manifests/ skip=1'
before="$(rd_proxy_lines)"
rd_rd -vv resolve "$PROXY_HOST/ok/app:1"
rd_assert_rc "redirect to another port: exit 0" 0
rd_assert_eq "redirect to another port: correct digest" "$da" "$RD_OUT"
rd_assert_eq "redirect to another port: proxy saw HEAD 405, GET 401, GET 307 (with token)" \
  $'proxy HEAD 405 false\nproxy GET 401 false\nproxy GET 307 true\nredirect-target GET 200 false' \
  "$(rd_proxy_log_after "$before" |
    jq -r '[.listener, .method, (.status | tostring), (.authorization | tostring)] | join(" ")')"
rd_assert_contains "redirect to another port: -v shows the hop" "$RD_ERR" \
  "redirected (307) to http://127.0.0.1:$PROXY_REDIRECT_PORT/"
rd_no_fault

# An https registry (same storage, another process) whose challenge names a
# plain-http realm: refused unless the realm is on loopback.
mkdir -p "$RD_TMP/tls"
rd_gen_tls "$RD_TMP/tls"
start_tls_registry() {  # start_tls_registry REALM: exports TLS_HOST
  local port conf="$RD_TMP/tls/config-$RANDOM.yml"
  port="$(rd_free_port)"
  sed -e "s#^  addr: .*#  addr: 127.0.0.1:$port#" -e "s#^    realm: .*#    realm: $1#" \
    -e "s#^  headers:#  tls:\n    certificate: $RD_TMP/tls/server.crt\n    key: $RD_TMP/tls/server.key\n  headers:#" \
    "$REG_DIR/config.yml" >"$conf"
  rd_spawn "$RD_TMP/tls/registry.log" docker-registry serve "$conf"
  RD_WAIT_PID=$RD_LAST_PID rd_wait_http "https://127.0.0.1:$port/v2/" --cacert "$RD_TMP/tls/ca.pem" ||
    rd_die "tls registry did not start"
  TLS_HOST="127.0.0.1:$port"
  TLS_CONF="$RD_TMP/tls/regdigest-$port.json"
  printf '{"registries": {"%s": {"endpoint": "https://%s"}}}\n' "$TLS_HOST" "$TLS_HOST" >"$TLS_CONF"
}
start_tls_registry "http://realm.invalid/token"
alice_config "$TLS_HOST"
tok_before="$(token_lines)"
rd_rd --config "$TLS_CONF" --ca-file "$RD_TMP/tls/ca.pem" resolve "$TLS_HOST/ok/app:1"
rd_assert_rc "https registry, plain-http realm elsewhere: exit 3" 3
rd_assert_contains "https registry, plain-http realm elsewhere: refused, says why" "$RD_ERR" \
  "refusing plain-http token realm realm.invalid for https registry $TLS_HOST"
start_tls_registry "$TOKEN_URL"
alice_config "$TLS_HOST"
rd_rd --config "$TLS_CONF" --ca-file "$RD_TMP/tls/ca.pem" resolve "$TLS_HOST/ok/app:1"
rd_assert_rc "https registry, plain-http realm on loopback: exit 0" 0
rd_assert_eq "https registry, plain-http realm on loopback: digest" "$da" "$RD_OUT"
rd_assert_eq "https registry, plain-http realm on loopback: one token request" "1" \
  "$(($(token_lines) - tok_before))"

rd_finish
