#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: configured endpoints and mirrors against REAL registries.
#   - a mirror gets its own credentials, never the registry's (README:
#     "A mirror gets its own credentials"): the registry and the mirror are
#     two Basic-auth registries with different users;
#   - a mirror lacking the tag (404) or down is skipped, the registry answers;
#   - an explicit http:// endpoint or mirror is refused for a non-loopback host
#     before any request (exit 3: the reference cannot be resolved);
#   - a URL with user:password@ (config endpoint, token realm, redirect) is refused
#     without echoing the password.
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

# The registry: only alice may log in.
RD_USERS="alice:alice-pw-0123" rd_start_registry htpasswd
UP_HOST="$REG_HOST" UP_LOG="$REG_LOG"
UP_APP="$(rd_push --repo s/app --tag 1 --seed ep-upstream-app | tail -n1)"
UP_ONLY="$(rd_push --repo s/app --tag only-upstream --seed ep-upstream-only | tail -n1)"
# The mirror: only bob may log in; it has s/app:1 (other bytes), not :only-upstream.
RD_USERS="bob:bob-pw-4567" rd_start_registry htpasswd
MIRROR_HOST="$REG_HOST" MIRROR_LOG="$REG_LOG"
MIRROR_APP="$(rd_push --repo s/app --tag 1 --seed ep-mirror-app | tail -n1)"
rd_assert_match "the registry's s/app:1 digest" '^sha256:[0-9a-f]{64}$' "$UP_APP"
rd_assert_ne "the mirror's s/app:1 is another manifest" "$UP_APP" "$MIRROR_APP"
DOWN_HOST="127.0.0.1:$(rd_free_port)"  # nothing listens there

NAME="upstream.example:5000"  # the registry named in references
CONFIG="$RD_TMP/config.json"
rd_docker_config "{\"auths\": {
  \"$NAME\": {\"auth\": \"$(rd_b64 alice:alice-pw-0123)\"},
  \"$MIRROR_HOST\": {\"auth\": \"$(rd_b64 bob:bob-pw-4567)\"}}}"
config() { printf '%s\n' "$1" >"$CONFIG"; }
config "{\"retries\": 0, \"registries\": {\"$NAME\": {
  \"endpoint\": \"http://$UP_HOST\", \"mirrors\": [\"$DOWN_HOST\", \"$MIRROR_HOST\"]}}}"

# Requests regdigest (its User-Agent; pushes are not counted) made for s/app
# manifests, as a registry's access log holds them, and how many it answered 200:
# each registry accepts only its own user, so a 200 says whose credentials came.
# (grep -c prints 0 and exits 1 when nothing matches; exit 2, an error, stays a failure.)
manifest_requests() {
  local rc=0
  grep -c '"[A-Z]* /v2/s/app/manifests/'"${2:-}"'.*"regdigest/' "$1" || rc=$?
  ((rc <= 1))
}
manifest_ok() {
  local rc=0
  grep -c '"[A-Z]* /v2/s/app/manifests/'"$2"' HTTP/1.1" 200 .*"regdigest/' "$1" || rc=$?
  ((rc <= 1))
}

# --- the mirror answers with its own credentials ---
rd_rd --config "$CONFIG" -vv resolve "$NAME/s/app:1"
rd_assert_rc "resolve through the mirror: exit 0" 0
rd_assert_contains "the digest is the mirror's" "$RD_OUT" "$MIRROR_APP"
rd_assert_eq "the mirror (bob only) answered 200 once: it got bob's credentials" "1" \
  "$(manifest_ok "$MIRROR_LOG" 1)"
rd_assert_eq "the registry was not asked" "0" "$(manifest_requests "$UP_LOG")"
rd_assert_contains "the down mirror was skipped (-vv says so)" "$RD_ERR" "mirror $DOWN_HOST failed"

# --- the mirror lacks the tag (404): the registry answers, with alice ---
MIRROR_BEFORE="$(manifest_requests "$MIRROR_LOG")"
rd_rd --config "$CONFIG" -vv resolve "$NAME/s/app:only-upstream"
rd_assert_rc "resolve of a tag the mirror lacks: exit 0" 0
rd_assert_contains "the digest is the registry's" "$RD_OUT" "$UP_ONLY"
rd_assert_match "the mirror was asked first" '^[1-9]' \
  "$(($(manifest_requests "$MIRROR_LOG") - MIRROR_BEFORE))"
rd_assert_match "the mirror answered 404" '"[A-Z]+ /v2/s/app/manifests/only-upstream HTTP/1.1" 404' \
  "$(grep 'only-upstream' "$MIRROR_LOG")"
rd_assert_eq "the registry (alice only) answered 200 once: it got alice's credentials" "1" \
  "$(manifest_ok "$UP_LOG" only-upstream)"

# --- a tag nobody has: the registry's answer (not found) is the one reported ---
rd_rd --config "$CONFIG" resolve "$NAME/s/app:nowhere"
rd_assert_rc "a tag neither has: exit 3" 3
rd_assert_contains "a tag neither has: not found" "$RD_ERR" "not found"

# --- http:// refused for a non-loopback endpoint or mirror ---
all_requests() { cat "$UP_LOG" "$MIRROR_LOG" | grep -cE '"(GET|HEAD) /'; }
before="$(all_requests)"
config '{"registries": {"reg.example.com": {"endpoint": "http://reg.example.com:5000"}}}'
rd_rd --config "$CONFIG" resolve reg.example.com/s/app:1
rd_assert_rc "http:// endpoint for a non-loopback host: exit 3" 3
rd_assert_contains "http:// endpoint: the reason" "$RD_ERR" \
  "refusing plain http for reg.example.com:5000"
config "{\"registries\": {\"$NAME\": {\"endpoint\": \"http://$UP_HOST\",
  \"mirrors\": [\"http://mirror.example.com:5000\"]}}}"
rd_rd --config "$CONFIG" resolve "$NAME/s/app:1"
rd_assert_rc "http:// mirror for a non-loopback host: exit 3" 3
rd_assert_contains "http:// mirror: the reason" "$RD_ERR" \
  "refusing plain http for mirror.example.com:5000"
rd_assert_eq "no request was made" "$before" "$(all_requests)"
rd_assert_eq "the registry was still not asked for s/app:1" "0" \
  "$(manifest_requests "$UP_LOG" 1)"

# --- user:password@ in a URL: refused, the password never echoed ---
SECRET="Url-s3cret-Hq8Wd"
config "{\"registries\": {\"$NAME\": {\"endpoint\": \"http://alice:$SECRET@$UP_HOST\"}}}"
rd_rd --config "$CONFIG" -vv resolve "$NAME/s/app:1"
rd_assert_rc "endpoint with user:password@: exit 3" 3
rd_assert_contains "endpoint with user:password@: the reason" "$RD_ERR" \
  "must not contain user information"
rd_assert_not_contains "endpoint with user:password@: stderr has no password" "$RD_ERR" "$SECRET"
rd_assert_not_contains "endpoint with user:password@: stdout has no password" "$RD_OUT" "$SECRET"

rd_start_fault_proxy "http://$UP_HOST"
rd_fault "www-authenticate force=1 value=\"Bearer realm=\\\"http://alice:$SECRET@127.0.0.1:1/token\\\",service=\\\"x\\\"\""
rd_rd -vv resolve "$PROXY_HOST/s/app:1"
rd_assert_rc "token realm with user:password@: exit 3" 3
rd_assert_contains "token realm with user:password@: the reason" "$RD_ERR" \
  "unusable token realm"
rd_assert_not_contains "token realm with user:password@: stderr has no password" "$RD_ERR" "$SECRET"
rd_assert_not_contains "token realm with user:password@: stdout has no password" "$RD_OUT" "$SECRET"

rd_fault "redirect method=HEAD path=/manifests/ host=alice:$SECRET@127.0.0.1"
rd_rd -vv resolve "$PROXY_HOST/s/app:1"
rd_assert_rc "redirect to user:password@: exit 3" 3
rd_assert_contains "redirect to user:password@: the reason" "$RD_ERR" \
  "must not contain user information"
rd_assert_not_contains "redirect to user:password@: stderr has no password" "$RD_ERR" "$SECRET"
rd_assert_eq "redirect to user:password@: the target was never asked" "0" \
  "$(jq -r 'select(.listener == "redirect-target") | .path' "$PROXY_LOG" | wc -l | tr -d ' ')"

rd_finish
