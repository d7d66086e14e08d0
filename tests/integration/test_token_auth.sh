#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: a registry with token auth (tests/servers/token_server.py):
# anonymous public pulls, private repos, one token per repository per run,
# HEAD-only resolution, identitytoken (refresh_token grant), credHelpers and
# credsStore helpers, and no token or password in any output at -vv.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

cat >"$RD_TMP/acl.json" <<'EOF'
{"public": ["pub/*"],
 "grants": {"alice": {"*": ["pull", "push"]},
            "bob": {"pub/*": ["pull"]}}}
EOF
RD_ACL="$RD_TMP/acl.json" RD_USERS="alice:alice-Secr3t-pw bob:bob-Secr3t-pw" \
  rd_start_registry token
SERVICE=rd-registry
PUB="$REG_HOST/pub/tool:1"
PRIV="$REG_HOST/priv/app"
pub_digest="$(rd_push --repo pub/tool --tag 1 --seed tok-pub)"
declare -A D
for t in a b c; do
  D[$t]="$(rd_push --repo priv/app --tag "$t" --seed "tok-$t" --kind oci)"
done
ALICE_B64="$(rd_b64 "alice:alice-Secr3t-pw")"

ALL_OUTPUT="$RD_TMP/all-output"
: >"$ALL_OUTPUT"
keep() { printf '%s\n%s\n' "$RD_OUT" "$RD_ERR" >>"$ALL_OUTPUT"; }
token_lines() { wc -l <"$TOKEN_LOG" | tr -d ' '; }
# JSON log lines of the token server written after line $1.
token_log_after() { tail -n +"$(($1 + 1))" "$TOKEN_LOG"; }
reg_lines() { wc -l <"$REG_LOG" | tr -d ' '; }

# --- anonymous: public repo works, private refused ---
rd_docker_config '{}'
rd_rd -vv resolve "$PUB"
keep
rd_assert_rc "anonymous, public repo: exit 0" 0
rd_assert_eq "anonymous, public repo: digest" "$pub_digest" "$RD_OUT"

rd_rd -vv resolve "$PRIV:a"
keep
rd_assert_rc "anonymous, private repo: exit 3" 3
rd_assert_contains "anonymous, private repo: stderr says unauthorized" "$RD_ERR" "unauthorized"
rd_assert_contains "anonymous, private repo: stderr names the registry" "$RD_ERR" "$REG_HOST"

# --- credentials (auth field): private works; 3 tags = 1 token request ---
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$ALICE_B64\"}}}"
tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_rd -vv resolve "$PRIV:a" "$PRIV:b" "$PRIV:c"
keep
rd_assert_rc "with credentials, 3 tags: exit 0" 0
rd_assert_eq "with credentials, 3 tags: one line per reference" \
  "$PRIV:a ${D[a]}"$'\n'"$PRIV:b ${D[b]}"$'\n'"$PRIV:c ${D[c]}" "$RD_OUT"
rd_assert_eq "3 tags of one repository: exactly one token request" "1" \
  "$(($(token_lines) - tok_before))"
new_reg_log="$(tail -n +"$((reg_before + 1))" "$REG_LOG")"
rd_assert_eq "3 tags: registry saw no GET of a manifest" "0" \
  "$(grep -cE '"GET /v2/[^ ]*/manifests/' <<<"$new_reg_log" || true)"
rd_assert_eq "3 tags: registry answered 3 HEADs with 200" "3" \
  "$(grep -cE '"HEAD /v2/priv/app/manifests/[abc] HTTP/[0-9.]+" 200 ' <<<"$new_reg_log" || true)"
rd_assert_eq "token request: Basic user alice, scope pull on priv/app" \
  "alice repository:priv/app:pull 200" \
  "$(token_log_after "$tok_before" | jq -r '[.user, (.scopes | join(" ")), .status] | map(tostring) | join(" ")' | head -1)"

# --- a user without a grant, and a wrong password ---
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$(rd_b64 bob:bob-Secr3t-pw)\"}}}"
rd_rd -vv resolve "$PRIV:a"
keep
rd_assert_rc "user without pull grant: exit 3" 3
rd_assert_contains "user without pull grant: stderr says unauthorized" "$RD_ERR" "unauthorized"

rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$(rd_b64 alice:not-her-password)\"}}}"
rd_rd -vv resolve "$PRIV:a"
keep
rd_assert_rc "wrong password at the token server: exit 3" 3
rd_assert_contains "wrong password at the token server: unauthorized" "$RD_ERR" "unauthorized"
rd_assert_contains "wrong password at the token server: names the registry" "$RD_ERR" "$REG_HOST"

# --- identitytoken: refresh token POSTed with grant_type=refresh_token ---
REFRESH="$(curl -sf -u "alice:alice-Secr3t-pw" \
  "$TOKEN_URL?service=$SERVICE&scope=repository:priv/app:pull&offline_token=true&client_id=rd-test" |
  jq -r .refresh_token)"
rd_assert_match "token server issued a refresh token" '^[A-Za-z0-9_-]{20,}$' "$REFRESH"
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"identitytoken\": \"$REFRESH\"}}}"
tok_before="$(token_lines)"
rd_rd -vv resolve "$PRIV:b"
keep
rd_assert_rc "identitytoken: exit 0" 0
rd_assert_eq "identitytoken: digest" "${D[b]}" "$RD_OUT"
rd_assert_eq "identitytoken: token server got a POST refresh_token grant for alice" \
  "POST refresh_token alice 200" \
  "$(token_log_after "$tok_before" | jq -r 'select(.method == "POST") | [.method, .grant_type, .user, .status] | map(tostring) | join(" ")' | head -1)"
rd_assert_eq "identitytoken: POST asked for pull on priv/app" "repository:priv/app:pull" \
  "$(token_log_after "$tok_before" | jq -r 'select(.method == "POST") | .scopes | join(" ")' | head -1)"

# --- credential helpers: credHelpers and credsStore ---
mkdir -p "$RD_TMP/bin"
cat >"$RD_TMP/bin/docker-credential-rdtest" <<EOF
#!/usr/bin/env bash
# Test credential helper: 'get' answers for $REG_HOST only.
set -euo pipefail
[[ "\${1:-}" == get ]] || { echo "unsupported: \${1:-}" >&2; exit 1; }
server="\$(cat)"
printf '%s\n' "\$server" >>"$RD_TMP/helper-requests"
case "\$server" in
  $REG_HOST | http://$REG_HOST | https://$REG_HOST)
    printf '{"ServerURL": "%s", "Username": "alice", "Secret": "alice-Secr3t-pw"}\n' "\$server" ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
EOF
chmod +x "$RD_TMP/bin/docker-credential-rdtest"
export PATH="$RD_TMP/bin:$PATH"

rd_docker_config "{\"credHelpers\": {\"$REG_HOST\": \"rdtest\"}}"
rd_rd -vv resolve "$PRIV:c"
keep
rd_assert_rc "credHelpers: exit 0" 0
rd_assert_eq "credHelpers: digest" "${D[c]}" "$RD_OUT"
rd_assert_contains "credHelpers: helper was asked for the registry" \
  "$(cat "$RD_TMP/helper-requests" 2>/dev/null)" "$REG_HOST"

rm -f "$RD_TMP/helper-requests"
rd_docker_config '{"credsStore": "rdtest"}'
rd_rd -vv resolve "$PRIV:a"
keep
rd_assert_rc "credsStore: exit 0" 0
rd_assert_eq "credsStore: digest" "${D[a]}" "$RD_OUT"
rd_assert_contains "credsStore: helper was asked for the registry" \
  "$(cat "$RD_TMP/helper-requests" 2>/dev/null)" "$REG_HOST"

# --- a stricter token server: only access_token, no expires_in, one scope ---
RD_ACL="$RD_TMP/acl.json" RD_USERS="alice:alice-Secr3t-pw" \
  RD_TOKEN_ARGS="--token-field access_token --omit-expires-in --no-multi-scope" \
  rd_start_registry token
PRIV2="$REG_HOST/priv/app2"
d2="$(rd_push --repo priv/app2 --tag x --seed tok-x)"
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$ALICE_B64\"}}}"
rd_rd -vv resolve "$PRIV2:x"
keep
rd_assert_rc "token response with access_token only, no expires_in: exit 0" 0
rd_assert_eq "token response with access_token only, no expires_in: digest" "$d2" "$RD_OUT"
rd_assert_eq "strict token server: every token request succeeded" "" \
  "$(jq -r 'select(.status != 200) | .error' "$TOKEN_LOG")"

# --- no token, refresh token or password in any output at -vv ---
out="$(<"$ALL_OUTPUT")"
rd_assert_not_contains "no JWT (eyJ...) in any output" "$out" "eyJ"
rd_assert_not_contains "refresh token never printed" "$out" "$REFRESH"
rd_assert_not_contains "password never printed" "$out" "Secr3t-pw"
rd_assert_not_contains "base64 credentials never printed" "$out" "$ALICE_B64"
# The secrecy checks mean something only if -vv really logged the requests and the auth.
rd_assert_match "-vv produced debug lines (so the secrecy checks mean something)" '^[1-9][0-9]+$' \
  "$(grep -c '^regdigest: debug: ' "$ALL_OUTPUT")"
rd_assert_contains "-vv logged the credentials' use, never their value" "$out" \
  "regdigest: debug: fetched token for scope"

rd_finish
