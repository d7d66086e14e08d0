#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: no secret ever leaves regdigest. Every command that talks to a
# registry (login, resolve, resolve --platform, inspect, compare up to the
# engine part, ratelimit, lock, check, record; history and drift too) runs at
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
  sec "" --host "unix://$WORK/no-engine.sock" compare "$app"
  sec "" ratelimit "$app"
  rd_assert_rc "$name: ratelimit: exit 0" 0
  sec "" ratelimit -o json "$app"
  sec "" lock --file "$name.lock" "$app" "$idx" --platform linux/amd64
  rd_assert_rc "$name: lock: exit 0" 0
  sec "" check --file "$name.lock"
  rd_assert_rc "$name: check: exit 0" 0
  sec "" check --file "$name.lock" -o junit
  sec "" record --db history.db "$app" "$idx"
  rd_assert_rc "$name: record: exit 0" 0
  sec "" history --db history.db "$app"
  sec "" drift --db history.db --all
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

# --- what to look for ---
mapfile -t TOKENS < <(sort -u "$ISSUED")
rd_assert_match "token server issued tokens (${#TOKENS[@]})" '^[1-9][0-9]+$' "${#TOKENS[@]}"
rd_assert_match "a refresh token was issued" '^[A-Za-z0-9_-]{20,}$' "$REFRESH"
SECRETS=("$PASSWORD" "$WRONG_PASSWORD" "$(rd_b64 "alice:$PASSWORD")"
  "$(rd_b64 "alice:$WRONG_PASSWORD")" "$REFRESH" "${TOKENS[@]}")

# --- where to look: all output, and every file regdigest may have written ---
SEARCHED="$RD_TMP/searched-files"
{
  find "$CAPTURE" "$WORK" "$HOME" -type f
  find "$DOCKER_CONFIG" -type f ! -path "$DOCKER_CONFIG/config.json"
} | sort >"$SEARCHED"
rd_assert_match "searched $(wc -l <"$SEARCHED") files, the lock files and database among them" \
  '^[1-9]' "$(grep -c -e '\.lock$' -e 'history\.db$' "$SEARCHED")"
rd_assert_eq "regdigest ran $N times, all captured" "$((2 * N))" \
  "$(grep -c "^$CAPTURE/" "$SEARCHED")"

# The search itself works: config.json (excluded) does hold a secret.
docker_config "$(basic_auth "$PASSWORD")" '{}'
rd_assert_eq "sanity: the search finds base64(user:password) in config.json" "1" \
  "$(grep -aFc "$(rd_b64 "alice:$PASSWORD")" "$DOCKER_CONFIG/config.json")"

found=""
for secret in "${SECRETS[@]}"; do
  hits="$(xargs -d '\n' grep -aFl -- "$secret" <"$SEARCHED" || true)"
  [[ -z "$hits" ]] || found+="${secret:0:12}... in: $hits"$'\n'
done
rd_assert_eq "no password, base64 credentials, identity token or issued token in any output or file" \
  "" "$found"
rd_assert_eq "no Authorization header value in any output or file" "" \
  "$(xargs -d '\n' grep -aiEl 'authorization:? *(basic|bearer) +[A-Za-z0-9]' <"$SEARCHED" || true)"
rd_assert_eq "no JWT in any output or file" "" \
  "$(xargs -d '\n' grep -aEl 'eyJ[A-Za-z0-9_-]{10,}\.eyJ' <"$SEARCHED" || true)"

rd_finish
