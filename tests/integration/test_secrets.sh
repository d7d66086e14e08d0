#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: no secret ever leaves regdigest. Every command that talks to a
# registry (login, resolve, resolve --platform, inspect, compare against a
# real dockerd, ratelimit, lock, check, record; history and drift too) runs at
# -vv against a REAL Basic-auth registry and a REAL token registry, with a
# known password, Basic credentials, an identity token and a credential
# helper, on success and failure paths. Everything they print (stdout and
# stderr) and every file they write (except the test's Docker config.json,
# which is meant to hold the auth) is then searched for the password, the
# base64 of user:password, every token and refresh token the token server
# issued (its --issued-log), and Authorization header values.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
# shellcheck source=../lib/fault_proxy.sh
source "$HERE/../lib/fault_proxy.sh"
# shellcheck source=../lib/engine.sh
source "$HERE/../lib/engine.sh"
rd_tmpdir
rd_require_bin
RD_BIN="$(cd "$(dirname "$RD_BIN")" && pwd)/$(basename "$RD_BIN")"  # commands run in $WORK

PASSWORD="Pw-s3cret-Qx7Zk9"
WRONG_PASSWORD="Pw-wr0ng-Vb4Hn2"
export RD_USERS="alice:$PASSWORD"
ISSUED="$RD_TMP/issued-tokens"
: >"$ISSUED"

# The Basic-auth registry.
rd_start_registry htpasswd
BASIC_HOST="$REG_HOST"
rd_push --repo s/app --tag 1 --seed sec-basic-app >/dev/null
rd_push --repo s/idx --tag 1 --seed sec-basic-idx --kind oci-index >/dev/null

# The token registry; its token server records every token it issues.
cat >"$RD_TMP/acl.json" <<'EOF'
{"grants": {"alice": {"s/*": ["pull", "push"]}}}
EOF
RD_ACL="$RD_TMP/acl.json" RD_TOKEN_ARGS="--issued-log $ISSUED" rd_start_registry token
TOKEN_HOST="$REG_HOST"
rd_push --repo s/app --tag 1 --seed sec-token-app >/dev/null
rd_push --repo s/idx --tag 1 --seed sec-token-idx --kind oci-index >/dev/null
REFRESH="$(curl -sf -u "alice:$PASSWORD" \
  "$TOKEN_URL?service=rd-registry&scope=repository:s/app:pull&offline_token=true" |
  jq -r .refresh_token)"

# A real engine for compare (the image is never pulled: compare finds it absent
# after asking the registry). Without dockerd that part is skipped (exit 77 at
# the end); with CI set, a dockerd that cannot start fails the test.
ENGINE=""
if RD_DOCKERD_OPTIONAL=1 rd_start_dockerd; then
  ENGINE="$DOCKER_HOST"
else
  rd_skip_part "compare: dockerd could not start ($RD_DOCKERD_ERROR)"
fi

# Everything regdigest prints goes to $CAPTURE; it runs in $WORK, where its
# lock file and database go too.
CAPTURE="$RD_TMP/capture"
WORK="$RD_TMP/work"
mkdir -p "$CAPTURE" "$WORK"
N=0
# sec STDIN ARGS...: runs regdigest -vv ARGS in $WORK, STDIN on its stdin;
# keeps stdout and stderr; sets RD_RC, RD_OUT, RD_ERR.
sec() {
  local input="$1"
  shift
  N=$((N + 1))
  set +e
  (cd "$WORK" && printf '%s' "$input" | "$RD_BIN" -vv "$@" \
    >"$CAPTURE/$N.out" 2>"$CAPTURE/$N.err")
  RD_RC=$?
  set -e
  RD_OUT="$(<"$CAPTURE/$N.out")"
  RD_ERR="$(<"$CAPTURE/$N.err")"
}
basic_auth() { printf '{"auth": "%s"}' "$(rd_b64 "alice:$1")"; }
docker_config() {  # docker_config BASIC_ENTRY TOKEN_ENTRY [extra top-level JSON]
  rd_docker_config "{\"auths\": {\"$BASIC_HOST\": $1, \"$TOKEN_HOST\": $2}${3:+, $3}}"
}

# Every command against one registry; $1 names it in check descriptions.
all_commands() {
  local name="$1" host="$2" app="$2/s/app:1" idx="$2/s/idx:1"
  sec "" resolve "$app"
  rd_assert_rc "$name: resolve: exit 0" 0
  local digest
  digest="$(grep -oE 'sha256:[0-9a-f]{64}' <<<"$RD_OUT" | head -n1)"
  rd_assert_match "$name: resolve prints the digest" '^sha256:[0-9a-f]{64}$' "$digest"
  sec "" resolve -o json "$app" "$idx"
  rd_assert_rc "$name: resolve -o json: exit 0" 0
  sec "" resolve --platform linux/amd64 "$idx"
  rd_assert_rc "$name: resolve --platform: exit 0" 0
  printf '%s\n' "$app" "$idx" >"$WORK/refs.txt"
  sec "" resolve --file refs.txt
  rd_assert_rc "$name: resolve --file: exit 0" 0
  sec "" inspect "$idx"
  rd_assert_rc "$name: inspect: exit 0" 0
  sec "" inspect -o json "$app"
  rd_assert_rc "$name: inspect -o json: exit 0" 0
  if [[ -n "$ENGINE" ]]; then
    # The image is not in the engine: compare asks the registry and says "absent".
    sec "" --host "$ENGINE" compare -o json "$app"
    rd_assert_rc "$name: compare (image absent): exit 1" 1
    rd_assert_eq "$name: compare reached the registry: absent, with its digest" \
      "absent $digest" "$(jq -r '.[0] | "\(.status) \(.registry.digest)"' <<<"$RD_OUT")"
  fi
  sec "" ratelimit "$app"
  rd_assert_rc "$name: ratelimit: exit 0" 0
  rd_assert_contains "$name: ratelimit: no headers" "$RD_OUT" "no rate limit headers"
  sec "" ratelimit -o json "$app"
  rd_assert_rc "$name: ratelimit -o json: exit 0" 0
  rd_assert_eq "$name: ratelimit -o json: rateLimit null" "null" \
    "$(jq -c '.rateLimit' <<<"$RD_OUT")"
  sec "" lock --file "$name.lock" "$app" "$idx" --platform linux/amd64
  rd_assert_rc "$name: lock: exit 0" 0
  sec "" check --file "$name.lock"
  rd_assert_rc "$name: check: exit 0" 0
  sec "" check --file "$name.lock" -o junit
  rd_assert_rc "$name: check -o junit: exit 0" 0
  rd_assert_match "$name: check -o junit: a testsuite of 2, no failure" \
    '<testsuite [^>]*tests="2"[^>]*failures="0"' "$RD_OUT"
  sec "" record --db "$name.db" "$app" "$idx"
  rd_assert_rc "$name: record: exit 0" 0
  sec "" history --db "$name.db" "$app"
  rd_assert_rc "$name: history (one digest): exit 0" 0
  rd_assert_contains "$name: history names the digest" "$RD_OUT" "${digest:0:15}"
  sec "" drift --db "$name.db" --since 1h
  rd_assert_rc "$name: drift (nothing moved): exit 0" 0
  rd_assert_not_contains "$name: drift lists nothing" "$RD_OUT" "drifted"
  # Failure paths: a repository without access, a tag that does not exist.
  sec "" resolve "$host/other/app:1" "$host/s/app:missing"
  rd_assert_rc "$name: refused and missing: exit 3" 3
}

# --- login (Basic and token registries), right and wrong password ---
docker_config '{}' '{}'
for host in "$BASIC_HOST" "$TOKEN_HOST"; do
  sec "$WRONG_PASSWORD" login "$host" -u alice --password-stdin
  rd_assert_rc "login $host with a wrong password: exit 3" 3
  sec "$PASSWORD" login "$host" -u alice --password-stdin
  rd_assert_rc "login $host: exit 0" 0
done

# --- every command with Basic credentials (as login saved them) ---
docker_config "$(basic_auth "$PASSWORD")" "$(basic_auth "$PASSWORD")"
all_commands basic "$BASIC_HOST"
all_commands token "$TOKEN_HOST"

# --- identity token (refresh_token grant) ---
docker_config "$(basic_auth "$PASSWORD")" "{\"identitytoken\": \"$REFRESH\"}"
all_commands identity "$TOKEN_HOST"

# --- credential helper (its answer holds the password) ---
mkdir -p "$RD_TMP/bin"
cat >"$RD_TMP/bin/docker-credential-rdsecret" <<EOF
#!/usr/bin/env bash
[[ "\${1:-}" == get ]] || exit 1
cat >/dev/null
printf '{"ServerURL": "%s", "Username": "alice", "Secret": "%s"}\n' "$TOKEN_HOST" "$PASSWORD"
EOF
chmod +x "$RD_TMP/bin/docker-credential-rdsecret"
docker_config '{}' '{}' "\"credHelpers\": {\"$TOKEN_HOST\": \"rdsecret\", \"$BASIC_HOST\": \"rdsecret\"}"
PATH="$RD_TMP/bin:$PATH" all_commands helper "$TOKEN_HOST"

# --- wrong credentials everywhere ---
docker_config "$(basic_auth "$WRONG_PASSWORD")" "$(basic_auth "$WRONG_PASSWORD")"
sec "" resolve "$BASIC_HOST/s/app:1" "$TOKEN_HOST/s/app:1"
rd_assert_rc "wrong password: exit 3" 3

# --- presigned URLs: a storage redirect and a token realm with secrets in their query ---
# A fault proxy in front of the token server logs the realm's query as it came;
# one in front of the token registry rewrites the realm to carry a secret query
# and answers blob GETs with a 307 to a presigned-looking URL.
SIG="SigQ-s3cret-Lm5Rt8"
REALM_SIG="RealmQ-s3cret-Wp3Ys6"
rd_start_fault_proxy "http://127.0.0.1:$TOKEN_PORT"
TOKEN_PROXY_HOST="$PROXY_HOST" TOKEN_PROXY_LOG="$PROXY_LOG"
rd_start_fault_proxy "http://$TOKEN_HOST" \
  --rewrite-realm "http://$TOKEN_PROXY_HOST/token?X-Realm-Sig=$REALM_SIG"
rd_fault "redirect method=GET path=/blobs/ query=X-Amz-Credential=AKIA/x&X-Amz-Signature=$SIG"
rd_docker_config "{\"auths\": {\"$PROXY_HOST\": $(basic_auth "$PASSWORD")}}"
sec "" inspect "$PROXY_HOST/s/app:1"
rd_assert_rc "presigned: inspect through the redirect: exit 0" 0
rd_assert_match "presigned: -vv logs the redirect, path only" \
  "debug: GET http://$PROXY_HOST/v2/s/app/blobs/sha256:[0-9a-f]{64} redirected \\(307\\) to http://127\\.0\\.0\\.1:$PROXY_REDIRECT_PORT/v2/s/app/blobs/sha256:[0-9a-f]{64}([^?0-9a-f]|$)" \
  "$RD_ERR"
rd_assert_match "presigned: -vv logs the request to the redirect target, path only" \
  "debug: GET http://127\\.0\\.0\\.1:$PROXY_REDIRECT_PORT/v2/s/app/blobs/sha256:[0-9a-f]{64} -> 200" \
  "$RD_ERR"
rd_assert_match "presigned: -vv logs the token request, path only" \
  "debug: GET http://$TOKEN_PROXY_HOST/token -> 200" "$RD_ERR"
rd_assert_contains "presigned: the redirect target was asked with the signature" \
  "$(jq -r 'select(.listener == "redirect-target") | .path' "$PROXY_LOG")" "X-Amz-Signature=$SIG"
rd_assert_contains "presigned: the token server was asked with the realm's query" \
  "$(jq -r .path "$TOKEN_PROXY_LOG")" "X-Realm-Sig=$REALM_SIG"
for secret in "$SIG" "$REALM_SIG" "X-Amz-" "X-Realm-Sig"; do
  rd_assert_not_contains "presigned: -vv never shows the query ($secret...)" "$RD_ERR$RD_OUT" "$secret"
done

# --- what to look for ---
mapfile -t TOKENS < <(sort -u "$ISSUED")
rd_assert_match "token server issued tokens (${#TOKENS[@]})" '^[1-9][0-9]+$' "${#TOKENS[@]}"
rd_assert_match "a refresh token was issued" '^[A-Za-z0-9_-]{20,}$' "$REFRESH"
SECRETS=("$PASSWORD" "$WRONG_PASSWORD" "$(rd_b64 "alice:$PASSWORD")"
  "$(rd_b64 "alice:$WRONG_PASSWORD")" "$REFRESH" "$SIG" "$REALM_SIG" "${TOKENS[@]}")

# --- where to look: all output, and every file regdigest may have written ---
SEARCHED="$RD_TMP/searched-files"
{
  find "$CAPTURE" "$WORK" "$HOME" -type f
  find "$DOCKER_CONFIG" -type f ! -path "$DOCKER_CONFIG/config.json"
} | sort >"$SEARCHED"
rd_assert_match "searched $(wc -l <"$SEARCHED") files, the lock files and database among them" \
  '^[1-9]' "$(grep -c -e '\.lock$' -e '\.db$' "$SEARCHED")"
rd_assert_eq "regdigest ran $N times, all captured" "$((2 * N))" \
  "$(grep -c "^$CAPTURE/" "$SEARCHED")"

# The search itself works: config.json (excluded) does hold a secret.
docker_config "$(basic_auth "$PASSWORD")" '{}'
rd_assert_eq "sanity: the search finds base64(user:password) in config.json" "1" \
  "$(grep -aFc "$(rd_b64 "alice:$PASSWORD")" "$DOCKER_CONFIG/config.json")"

# search GREP_OPTION PATTERN: the searched files that match; a grep error (exit
# 2: an unreadable file, a bad pattern) prints a line of its own, so it can
# never read as "nothing found".
mapfile -t FILES <"$SEARCHED"
search() {
  local rc=0
  grep -al "$1" -- "$2" "${FILES[@]}" || rc=$?
  ((rc <= 1)) || printf 'grep failed (exit %s)\n' "$rc"
}
rd_assert_eq "sanity: the search reports a file that matches" "$CAPTURE/1.err" \
  "$(search -F "debug:" | grep -Fx "$CAPTURE/1.err")"
found=""
for secret in "${SECRETS[@]}"; do
  hits="$(search -F "$secret")"
  [[ -z "$hits" ]] || found+="${secret:0:12}... in: $hits"$'\n'
done
rd_assert_eq "no password, base64 credentials, identity token or issued token in any output or file" \
  "" "$found"
rd_assert_eq "no Authorization header value in any output or file" "" \
  "$(search -iE 'authorization:? *(basic|bearer) +[A-Za-z0-9]')"
rd_assert_eq "no JWT in any output or file" "" "$(search -E 'eyJ[A-Za-z0-9_-]{10,}\.eyJ')"

rd_finish
