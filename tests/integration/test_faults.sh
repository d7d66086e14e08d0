#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: fault injection. tests/servers/fault_proxy.py sits between
# regdigest and a REAL docker-registry (and, for token requests, the real
# token server) and injects one fault per section: 429 with Retry-After,
# 503 forever, connections reset mid-response, answers slower than the
# timeout, a missing Docker-Content-Digest, HEAD refused with 405, a wrong
# digest, truncated and oversized bodies, malformed JSON, too many header
# fields, and Docker Hub's rate-limit headers. Each section checks the exit
# status, the message and, in the proxy's log, the requests regdigest sent.
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
digest="$(rd_push --repo t/app --tag v1 --seed faults-v1)"
rd_start_fault_proxy "$REG_URL"
REF="$PROXY_HOST/t/app:v1"
MANIFESTS='/v2/t/app/manifests/'

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }
# "METHOD STATUS" of each request the proxy logged after line $1 (status "-" when reset).
requests_after() {
  rd_proxy_log_after "$1" | jq -r '[.method, (.status // "-" | tostring)] | join(" ")'
}
# How many requests after line $1 had method $2 and a path containing $3.
count_after() {
  rd_proxy_log_after "$1" | jq -r --arg m "$2" --arg p "$3" \
    'select(.method == $m and (.path | contains($p))) | .path' | wc -l | tr -d ' '
}
# rd_rd with the elapsed time in ELAPSED_MS.
timed_rd() {
  local t0
  t0="$(now_ms)"
  rd_rd "$@"
  ELAPSED_MS=$(($(now_ms) - t0))
}

# --- baseline: through the proxy, no fault ---
rd_no_fault
rd_rd resolve "$REF"
rd_assert_rc "no fault: exit 0" 0
rd_assert_eq "no fault: digest" "$digest" "$RD_OUT"

# --- 429 with Retry-After: 1, twice, then success ---
rd_fault 'status code=429 retry-after=1 times=2 method=HEAD'
before="$(rd_proxy_lines)"
timed_rd -v resolve "$REF"
rd_assert_rc "429 twice with Retry-After: 1: exit 0" 0
rd_assert_eq "429 twice with Retry-After: 1: digest" "$digest" "$RD_OUT"
rd_assert_match "429 twice with Retry-After: 1: waited >= 2 s (took ${ELAPSED_MS} ms)" \
  '^(2[0-9]{3}|[3-9][0-9]{3}|[0-9]{5,})$' "$ELAPSED_MS"
rd_assert_eq "429 twice: proxy saw HEAD 429, HEAD 429, HEAD 200 and no GET" \
  $'HEAD 429\nHEAD 429\nHEAD 200' "$(requests_after "$before")"
rd_assert_contains "429 twice: -v logs the retry with method and path" "$RD_ERR" \
  "HEAD http://$PROXY_HOST/v2/t/app/manifests/v1: HTTP 429 Too Many Requests (Retry-After: 1); retrying in 1000 ms (attempt 2 of 4)"
T429_MS=$ELAPSED_MS

# --- 429 forever: rate limited, HEAD only, never a GET ---
rd_fault 'status code=429 retry-after=0 method=HEAD'
before="$(rd_proxy_lines)"
rd_rd --retries 2 resolve "$REF"
rd_assert_rc "429 forever: exit 3" 3
rd_assert_contains "429 forever: says rate limited" "$RD_ERR" "rate limited"
rd_assert_contains "429 forever: names the status and Retry-After" "$RD_ERR" \
  "gave up after 3 attempts: HTTP 429 Too Many Requests (Retry-After: 0)"
rd_assert_eq "429 forever: 3 HEADs, never turned into a GET" $'HEAD 429\nHEAD 429\nHEAD 429' \
  "$(requests_after "$before")"

# --- which statuses are retried: 429, 502, 503, 504; never 500, 501, 400, 403 ---
# One fault answer, then the real one: a retried status ends in success after
# 2 HEADs; another status is the answer, after 1 HEAD, with its code in the message.
for code in 502 503 504 500 501 400 403; do
  rd_fault "status code=$code times=1 method=HEAD"
  before="$(rd_proxy_lines)"
  rd_rd -v resolve "$REF"
  case "$code" in
    50[234])
      rd_assert_rc "HTTP $code once: retried, exit 0" 0
      rd_assert_eq "HTTP $code once: digest" "$digest" "$RD_OUT"
      rd_assert_eq "HTTP $code once: HEAD $code, then HEAD 200" $'HEAD '"$code"$'\nHEAD 200' \
        "$(requests_after "$before")"
      rd_assert_contains "HTTP $code once: -v logs the retry" "$RD_ERR" "HTTP $code"
      ;;
    *)
      rd_assert_rc "HTTP $code once: not retried, exit 3" 3
      rd_assert_eq "HTTP $code once: exactly one HEAD" "HEAD $code" "$(requests_after "$before")"
      rd_assert_contains "HTTP $code once: the message names the status" "$RD_ERR" "$code"
      rd_assert_not_contains "HTTP $code once: no retry logged" "$RD_ERR" "retrying"
      ;;
  esac
done

# --- 503 forever: gives up after the configured attempts ---
rd_fault 'status code=503'
cat >"$RD_TMP/retries2.json" <<'EOF'
{"retries": 2}
EOF
before="$(rd_proxy_lines)"
rd_rd --config "$RD_TMP/retries2.json" resolve "$REF"
rd_assert_rc "503 forever, config retries 2: exit 3" 3
rd_assert_contains "503 forever: message names the status and the attempts" "$RD_ERR" \
  "HEAD http://$PROXY_HOST/v2/t/app/manifests/v1 gave up after 3 attempts: HTTP 503 Service Unavailable"
rd_assert_eq "503 forever, config retries 2: exactly 3 attempts" "3" \
  "$(count_after "$before" HEAD "$MANIFESTS")"

before="$(rd_proxy_lines)"
rd_rd resolve "$REF"
rd_assert_rc "503 forever, default retries: exit 3" 3
rd_assert_contains "503 forever, default: gave up after 4 attempts" "$RD_ERR" \
  "gave up after 4 attempts: HTTP 503 Service Unavailable"
rd_assert_eq "503 forever, default retries: exactly 4 attempts" "4" \
  "$(count_after "$before" HEAD "$MANIFESTS")"

before="$(rd_proxy_lines)"
rd_rd --config "$RD_TMP/retries2.json" --retries 0 resolve "$REF"
rd_assert_rc "503, --retries 0 over the config: exit 3" 3
rd_assert_contains "503, --retries 0: the status is named" "$RD_ERR" "HTTP 503 Service Unavailable"
rd_assert_eq "503, --retries 0: exactly 1 attempt" "1" "$(count_after "$before" HEAD "$MANIFESTS")"

# --- connection reset mid-response ---
rd_fault 'reset times=1 method=HEAD'
before="$(rd_proxy_lines)"
rd_rd resolve "$REF"
rd_assert_rc "HEAD reset once: retried, exit 0" 0
rd_assert_eq "HEAD reset once: digest" "$digest" "$RD_OUT"
rd_assert_eq "HEAD reset once: 2 HEADs" "2" "$(count_after "$before" HEAD "$MANIFESTS")"

rd_fault "reset after=40 times=1 method=GET path=$MANIFESTS"
before="$(rd_proxy_lines)"
rd_rd inspect -o json "$REF"
rd_assert_rc "GET reset after 40 body bytes, once: retried, exit 0" 0
rd_assert_eq "GET reset once: inspect digest" "$digest" "$(jq -r .digest <<<"$RD_OUT")"
# (the tag's manifest: inspect also GETs the cosign sha256-<hex>.sig/.att/.sbom tags)
rd_assert_eq "GET reset once: 2 GETs of the manifest" "2" \
  "$(count_after "$before" GET "${MANIFESTS}v1")"

rd_fault 'reset after=40'
before="$(rd_proxy_lines)"
rd_rd --retries 1 inspect "$REF"
rd_assert_rc "reset forever: exit 3" 3
rd_assert_contains "reset forever: clear error" "$RD_ERR" "gave up after 2 attempts"
rd_assert_contains "reset forever: says the connection was reset" "$RD_ERR" "reset"
rd_assert_eq "reset forever: 2 GETs" "2" "$(count_after "$before" GET "$MANIFESTS")"

# --- response slower than the timeout ---
# The delay (6 s) is far above the timeout (1 s), so the upper bound leaves
# room for a loaded machine (process start, backoff, the retry) and still
# proves regdigest gave up at the timeout instead of waiting for the answer.
rd_fault 'slow delay=6 times=1 method=HEAD'
before="$(rd_proxy_lines)"
before_slow="$before"
timed_rd --timeout 1 resolve "$REF"
rd_assert_rc "slow once (6 s, --timeout 1): retried, exit 0" 0
rd_assert_eq "slow once: digest" "$digest" "$RD_OUT"
rd_assert_match "slow once: took at least the timeout, well under the delay (${ELAPSED_MS} ms)" \
  '^[1-4][0-9]{3}$' "$ELAPSED_MS"

rd_fault 'slow delay=3 method=HEAD'
timed_rd --timeout 1 --retries 1 resolve "$REF"
rd_assert_rc "slow forever: exit 3" 3
rd_assert_contains "slow forever: says it timed out" "$RD_ERR" "timed out after 1000 ms"
rd_assert_contains "slow forever: gave up after 2 attempts" "$RD_ERR" "gave up after 2 attempts"
# The proxy logs a slowed request when its handler finishes, after regdigest gave
# up on it: wait (bounded) until all four slowed HEADs of the two runs above are
# logged, so that none lands in the next section's requests. No fixed sleep.
for _ in $(seq 100); do
  (($(count_after "$before_slow" HEAD "$MANIFESTS") >= 4)) && break
  sleep 0.1
done

# --- Docker-Content-Digest missing on HEAD: GET fallback ---
rd_fault 'strip-header name=Docker-Content-Digest method=HEAD'
before="$(rd_proxy_lines)"
rd_rd resolve "$REF"
rd_assert_rc "no digest header on HEAD: exit 0" 0
rd_assert_eq "no digest header on HEAD: correct digest from the GET" "$digest" "$RD_OUT"
rd_assert_eq "no digest header on HEAD: HEAD then GET" $'HEAD 200\nGET 200' \
  "$(requests_after "$before")"

# --- HEAD answered 405: GET fallback ---
rd_fault 'status code=405 method=HEAD'
before="$(rd_proxy_lines)"
rd_rd resolve "$REF"
rd_assert_rc "HEAD 405: exit 0" 0
rd_assert_eq "HEAD 405: correct digest from the GET" "$digest" "$RD_OUT"
rd_assert_eq "HEAD 405: one HEAD, one GET" $'HEAD 405\nGET 200' "$(requests_after "$before")"

# --- wrong Docker-Content-Digest on GET: refused ---
wrong="sha256:$(printf '0%.0s' {1..64})"
rd_fault 'status code=405 method=HEAD' \
  "set-header name=Docker-Content-Digest value=$wrong method=GET"
rd_rd resolve "$REF"
rd_assert_rc "wrong digest on GET: exit 3" 3
rd_assert_contains "wrong digest on GET: digest mismatch" "$RD_ERR" "digest mismatch"
rd_assert_contains "wrong digest on GET: names the claimed digest" "$RD_ERR" "$wrong"
rd_assert_eq "wrong digest on GET: nothing on stdout" "" "$RD_OUT"

# --- truncated body (Content-Length larger than what is sent) ---
rd_fault "truncate after=30 times=1 method=GET path=$MANIFESTS"
rd_rd inspect -o json "$REF"
rd_assert_rc "truncated once: retried, exit 0" 0
rd_fault "truncate after=30 method=GET path=$MANIFESTS"
before="$(rd_proxy_lines)"
rd_rd --retries 1 inspect "$REF"
rd_assert_rc "truncated forever: exit 3" 3
rd_assert_contains "truncated forever: says the transfer was cut short" "$RD_ERR" "bytes remaining"
rd_assert_eq "truncated forever: 2 GETs" "2" "$(count_after "$before" GET "$MANIFESTS")"

# --- body over the 4 MiB cap ---
for mode in 1 0; do
  what="with Content-Length"
  [[ $mode == 0 ]] && what="close-delimited"
  rd_fault "oversize bytes=5000000 length=$mode method=GET path=$MANIFESTS"
  before="$(rd_proxy_lines)"
  rd_rd inspect "$REF"
  rd_assert_rc "body over the cap ($what): exit 3" 3
  rd_assert_contains "body over the cap ($what): says so" "$RD_ERR" \
    "response body exceeds 4194304 bytes"
  rd_assert_eq "body over the cap ($what): not retried" "1" \
    "$(count_after "$before" GET "$MANIFESTS")"
done

# --- malformed JSON (its digest made to match, so only the parser can object) ---
rd_fault "body value='{\"schemaVersion\": 2, \"mediaType\": ' method=GET path=$MANIFESTS"
rd_rd inspect "$REF"
rd_assert_rc "malformed JSON manifest: exit 3" 3
rd_assert_match "malformed JSON manifest: one clear line" '^regdigest: [^'$'\n'']+$' "$RD_ERR"
rd_assert_contains "malformed JSON manifest: names the reference" "$RD_ERR" "$REF"

# --- too many header fields ---
rd_fault 'headers count=150 method=HEAD'
rd_rd resolve "$REF"
rd_assert_rc "150 header fields: exit 3" 3
rd_assert_contains "150 header fields: says so" "$RD_ERR" "more than 100 header fields"
rd_fault 'headers count=10 size=8000 method=HEAD'
rd_rd resolve "$REF"
rd_assert_rc "80 kB of headers: exit 3" 3
rd_assert_contains "80 kB of headers: says so" "$RD_ERR" "response headers exceed 65536 bytes"

# --- Docker Hub rate-limit headers: resolve -o json, -v, and `ratelimit` ---
rd_fault 'set-header name=ratelimit-limit value=100;w=21600' \
  'set-header name=ratelimit-remaining value=76;w=21600' \
  'set-header name=docker-ratelimit-source value=1.2.3.4'
rd_rd resolve -o json "$REF"
rd_assert_rc "rate-limit headers, resolve -o json: exit 0" 0
rd_assert_eq "resolve -o json: rateLimit" '{"limit":100,"remaining":76,"windowSeconds":21600,"source":"1.2.3.4"}' \
  "$(jq -c '.[0].rateLimit' <<<"$RD_OUT")"
rd_rd -v resolve "$REF"
rd_assert_contains "resolve -v: the rate limit on stderr" "$RD_ERR" \
  "rate limit: 76 of 100 pulls remaining, window 21600 s (6 h), source 1.2.3.4"
rd_assert_eq "resolve -v: stdout is still the digest alone" "$digest" "$RD_OUT"

before="$(rd_proxy_lines)"
rd_rd ratelimit "$REF"
rd_assert_rc "ratelimit: exit 0" 0
rd_assert_eq "ratelimit: text" "$PROXY_HOST/t/app:v1
  limit:     100 pulls per 21600 s (6 h)
  remaining: 76
  source:    1.2.3.4" "$RD_OUT"
rd_assert_eq "ratelimit: exactly one HEAD and nothing else" "HEAD 200" "$(requests_after "$before")"
rd_rd ratelimit -o json "$REF"
rd_assert_eq "ratelimit -o json" \
  '{"input":"'"$REF"'","reference":"'"$REF"'","rateLimit":{"limit":100,"remaining":76,"windowSeconds":21600,"source":"1.2.3.4"}}' \
  "$(jq -c . <<<"$RD_OUT")"

rd_fault 'set-header name=ratelimit-limit value=' 'set-header name=ratelimit-remaining value=lots'
rd_rd resolve -o json "$REF"
rd_assert_rc "empty/malformed rate-limit headers: still resolved" 0
rd_assert_eq "empty/malformed rate-limit headers: no rateLimit key" "false" \
  "$(jq '.[0] | has("rateLimit")' <<<"$RD_OUT")"

rd_no_fault
rd_rd ratelimit "$REF"
rd_assert_rc "ratelimit without headers: exit 0" 0
rd_assert_contains "ratelimit without headers: says so" "$RD_OUT" "no rate limit headers"
rd_rd ratelimit -o json "$REF"
rd_assert_eq "ratelimit -o json without headers: null" "null" "$(jq -c .rateLimit <<<"$RD_OUT")"
rd_fault 'status code=405 method=HEAD'
before="$(rd_proxy_lines)"
rd_rd ratelimit "$REF"
rd_assert_rc "ratelimit, HEAD refused with 405: exit 0" 0
rd_assert_eq "ratelimit, HEAD 405: still no GET" "HEAD 405" "$(requests_after "$before")"

# --- faults hitting `lock` and `record`: no partial lock file or database ---
state="$RD_TMP/state"
mkdir -p "$state"
rd_fault 'status code=503'
rd_rd --retries 1 lock --file "$state/new.lock" "$REF"
rd_assert_rc "lock, 503 forever: exit 3" 3
rd_assert_eq "lock, 503 forever: no lock file and no temp file left" "" "$(find "$state" -mindepth 1)"
rd_no_fault
rd_rd lock --file "$state/app.lock" "$REF"
rd_assert_rc "lock without a fault: exit 0" 0
cp "$state/app.lock" "$RD_TMP/app.lock.before"
head405='status code=405 method=HEAD'
for spec in 'status code=503' 'reset after=40' "$head405"$'\n''truncate after=30 method=GET' \
  "$head405"$'\n''oversize bytes=5000000 method=GET' \
  "$head405"$'\n'"set-header name=Docker-Content-Digest value=$wrong method=GET"; do
  rd_fault "$spec"
  rd_rd --retries 1 lock --update --file "$state/app.lock"
  rd_assert_rc "lock --update under '${spec//$'\n'/ + }': exit 3" 3
  rd_assert_eq "lock --update under '${spec//$'\n'/ + }': lock file unchanged, no temp file" \
    "app.lock same" \
    "$(find "$state" -mindepth 1 -printf '%f ')$(cmp -s "$state/app.lock" "$RD_TMP/app.lock.before" && echo same)"
done
rd_fault 'reset after=10'
rd_rd --retries 1 record --db "$state/history.db" "$REF"
rd_assert_rc "record, connection reset forever: exit 3" 3
rd_assert_eq "record under a fault: the database is whole" "ok" \
  "$("$RD_PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' \
    "$state/history.db" 2>&1)"
rd_assert_eq "record under a fault: no journal left behind" "" \
  "$(find "$state" -name '*-journal' -o -name '*-wal' -o -name '*-shm')"
rd_no_fault

# --- token server faults: token requests are retried too ---
rd_start_registry token
tok_digest="$(rd_push --repo priv/app --tag v1 --seed faults-tok)"
rd_start_fault_proxy "http://127.0.0.1:$TOKEN_PORT"
TOKEN_PROXY_CONTROL="$PROXY_CONTROL"
TOKEN_PROXY_LOG="$PROXY_LOG"
TOKEN_PROXY_PORT="$PROXY_PORT"
rd_start_fault_proxy "$REG_URL" --rewrite-realm "$PROXY_URL/token"
TREF="$PROXY_HOST/priv/app:v1"
rd_docker_config "{\"auths\": {\"$PROXY_HOST\": {\"auth\": \"$(rd_b64 "$REG_USER:$REG_PASSWORD")\"}}}"
token_faults() { printf '%s\n' "$@" >"$TOKEN_PROXY_CONTROL.tmp" && mv "$TOKEN_PROXY_CONTROL.tmp" "$TOKEN_PROXY_CONTROL"; }
token_requests() { jq -r '[.method, (.status // "-" | tostring)] | join(" ")' "$TOKEN_PROXY_LOG"; }

rd_no_fault
token_faults 'status code=503 times=2'
rd_rd -vv resolve "$TREF"
ALL_OUTPUT="$RD_OUT$RD_ERR"
rd_assert_rc "token server 503 twice: exit 0" 0
rd_assert_eq "token server 503 twice: digest" "$tok_digest" "$RD_OUT"
rd_assert_eq "token server 503 twice: 3 token requests through the proxy" \
  $'GET 503\nGET 503\nGET 200' "$(token_requests)"
rd_assert_eq "token requests carried Basic credentials each time" "true true true" \
  "$(jq -r .authorization "$TOKEN_PROXY_LOG" | paste -sd' ')"

: >"$TOKEN_PROXY_LOG"
token_faults 'status code=503'
rd_rd -vv --retries 1 resolve "$TREF"
ALL_OUTPUT+="$RD_OUT$RD_ERR"
rd_assert_rc "token server 503 forever: exit 3" 3
rd_assert_contains "token server 503 forever: names the token request and the status" "$RD_ERR" \
  "gave up after 2 attempts: HTTP 503 Service Unavailable"
rd_assert_contains "token server 503 forever: names the token server" "$RD_ERR" "token"
rd_assert_eq "token server 503 forever: 2 token requests" "2" "$(token_requests | wc -l | tr -d ' ')"

token_faults 'oversize bytes=5000000'
rd_rd -vv resolve "$TREF"
ALL_OUTPUT+="$RD_OUT$RD_ERR"
rd_assert_rc "token response over the 4 MiB cap: exit 3" 3
rd_assert_contains "token response over the cap: says so" "$RD_ERR" \
  "response body exceeds 4194304 bytes"
token_faults "body value='{\"token\": '"
rd_rd resolve "$TREF"
rd_assert_rc "malformed token response JSON: exit 3" 3
rd_assert_match "malformed token response JSON: one line naming the token server" \
  "^regdigest: [^"$'\n'"]*token server 127\.0\.0\.1:${TOKEN_PROXY_PORT}[^"$'\n'"]*$" "$RD_ERR"

token_faults
rd_fault 'status code=503 skip=1 times=1 method=HEAD'  # the HEAD that carries the token
before="$(rd_proxy_lines)"
rd_rd -vv resolve "$TREF"
ALL_OUTPUT+="$RD_OUT$RD_ERR"
rd_assert_rc "registry 503 once with a token: exit 0" 0
rd_assert_eq "registry 503 once: the retried HEAD carried the token again" \
  "$(printf '%s\n' "HEAD 401 false" "HEAD 503 true" "HEAD 200 true")" \
  "$(rd_proxy_log_after "$before" | jq -r '[.method, (.status | tostring), (.authorization | tostring)] | join(" ")')"

rd_assert_not_contains "-vv with retries: no password in any output" "$ALL_OUTPUT" "$REG_PASSWORD"
rd_assert_not_contains "-vv with retries: no JWT in any output" "$ALL_OUTPUT" "eyJ"
rd_assert_not_contains "-vv with retries: no Basic credentials in any output" "$ALL_OUTPUT" \
  "$(rd_b64 "$REG_USER:$REG_PASSWORD")"

printf '\n429 with Retry-After: 1 twice took %s ms\n' "$T429_MS"
rd_finish
