#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: the command line end to end against a REAL docker-registry:
# `resolve -o pinned` output read back by `check --file` (with and without
# --platform), options that never swallow a REF, -v versus -vv (only -vv
# logs each request and response with its headers, redacted), the shell
# completion scripts (bash -n, and `complete -p regdigest` after sourcing),
# and `login` asking for the password on a pseudo-terminal without echo.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin
export HOME="$RD_TMP/home" DOCKER_CONFIG="$RD_TMP/docker"
mkdir -p "$HOME" "$DOCKER_CONFIG"

rd_start_registry anon
rd_push --repo cl/app --tag v1 --seed cl-app >/dev/null
rd_push --repo cl/multi --tag v1 --seed cl-multi --kind oci-index >/dev/null
APP="$REG_HOST/cl/app:v1"
MULTI="$REG_HOST/cl/multi:v1"

# --- resolve -o pinned | check --file: the round trip ---
rd_rd resolve -o pinned "$APP" "$MULTI"
rd_assert_rc "resolve -o pinned: exit 0" 0
rd_assert_eq "resolve -o pinned: REF@DIGEST lines" \
  "$APP@$(rd_manifest_digest cl/app v1)"$'\n'"$MULTI@$(rd_manifest_digest cl/multi v1)" "$RD_OUT"
printf '%s\n' "$RD_OUT" >"$RD_TMP/pins.txt"
rd_rd check --file "$RD_TMP/pins.txt"
rd_assert_rc "check --file <(resolve -o pinned): exit 0, every entry ok" 0
rd_rd resolve -o pinned "$APP"
rd_assert_eq "resolve -o pinned, one reference: still REF@DIGEST" \
  "$APP@$(rd_manifest_digest cl/app v1)" "$RD_OUT"

PLATFORM="$(rd_manifest cl/multi v1 | jq -r '.manifests[0].platform | "\(.os)/\(.architecture)"')"
rd_rd resolve -o pinned --platform "$PLATFORM" "$MULTI"
rd_assert_rc "resolve -o pinned --platform: exit 0" 0
rd_assert_match "resolve -o pinned --platform: NAME@PLATFORM-DIGEST (no tag)" \
  "^$REG_HOST/cl/multi@sha256:[0-9a-f]{64}\$" "$RD_OUT"
rd_assert_ne "resolve -o pinned --platform: the platform's digest, not the index's" \
  "$REG_HOST/cl/multi@$(rd_manifest_digest cl/multi v1)" "$RD_OUT"
printf '%s\n' "$RD_OUT" >"$RD_TMP/platform-pins.txt"
rd_rd check --file "$RD_TMP/platform-pins.txt"
rd_assert_rc "check --file <(resolve -o pinned --platform): exit 0" 0
# The pinned output of a moved tag is drift for check.
rd_push --repo cl/app --tag v1 --seed cl-app-moved >/dev/null
rd_rd check --file "$RD_TMP/pins.txt"
rd_assert_rc "check --file after the tag moved: exit 1 (drift)" 1

# --- no option swallows a REF ---
rd_rd lock --file "$RD_TMP/a.lock" --platform "$PLATFORM" "$MULTI"
rd_assert_rc "lock --platform P REF: exit 0" 0
rd_assert_eq "lock --platform P REF: REF locked with P" "$PLATFORM" \
  "$(jq -r '.entries[0].platforms | keys[0]' "$RD_TMP/a.lock")"
rd_rd lock --file "$RD_TMP/b.lock" "--platform=$PLATFORM" "$MULTI"
rd_assert_rc "lock --platform=P REF: exit 0" 0
rd_rd resolve --platform "" "$APP"
rd_assert_rc "resolve --platform '': usage error, exit 2" 2
rd_assert_contains "resolve --platform '': says it is empty" "$RD_ERR" "--platform: must not be empty"
rd_run_stdin "" "$RD_BIN" resolve --file -
rd_assert_rc "resolve --file - with nothing on stdin: exit 2" 2
rd_assert_contains "resolve --file - with nothing on stdin: says so" "$RD_ERR" "stdin is empty"
rd_rd resolve "127.0.0.1:99999/app:v1"
rd_assert_rc "a port out of range is an invalid reference: exit 2" 2
rd_assert_contains "a port out of range: says so" "$RD_ERR" "must be 1 to 65535"

# --- -v versus -vv ---
rd_rd -v resolve "$MULTI"
V_ERR="$RD_ERR"
rd_rd -vv resolve "$MULTI"
VV_ERR="$RD_ERR"
rd_assert_contains "-v: logs each request's status line" "$V_ERR" "HEAD http://$REG_HOST/v2/cl/multi/manifests/v1 -> 200"
rd_assert_not_contains "-v: no header lines" "$V_ERR" "> Accept:"
rd_assert_contains "-vv: logs the request line" "$VV_ERR" "> HEAD http://$REG_HOST/v2/cl/multi/manifests/v1"
rd_assert_contains "-vv: logs the request headers" "$VV_ERR" "> Accept: "
rd_assert_contains "-vv: logs the response status" "$VV_ERR" "< HTTP 200"
rd_assert_contains "-vv: logs the response headers" "$VV_ERR" "< Docker-Content-Digest: sha256:"

# --- completion scripts ---
for shell in bash zsh fish; do
  rd_rd completion "$shell"
  rd_assert_rc "completion $shell: exit 0" 0
  printf '%s\n' "$RD_OUT" >"$RD_TMP/completion.$shell"
done
if bash -n "$RD_TMP/completion.bash"; then rd_pass "completion bash: bash -n accepts it"; else
  rd_fail "completion bash: bash -n accepts it"
fi
COMPLETE="$(bash -c 'source "$1" && complete -p regdigest' _ "$RD_TMP/completion.bash" 2>&1)" || true
rd_assert_contains "completion bash: sourcing registers the completion" "$COMPLETE" "-F _regdigest regdigest"
# What bash offers after "regdigest lo" and "regdigest lock --pl".
offer() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _regdigest; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$RD_TMP/completion.bash" "$@"
}
rd_assert_eq "completion bash: commands" $'lock\nlogin\nlogout' "$(offer regdigest lo | sort)"
rd_assert_eq "completion bash: a command's options" "--platform" "$(offer regdigest lock --pl)"
if command -v zsh >/dev/null; then
  if zsh -n "$RD_TMP/completion.zsh"; then rd_pass "completion zsh: zsh -n accepts it"; else
    rd_fail "completion zsh: zsh -n accepts it"
  fi
fi
rd_assert_contains "completion fish: completes the commands" "$(<"$RD_TMP/completion.fish")" \
  "complete -c regdigest -n \"not __fish_seen_subcommand_from"

# --- login asks for the password on a terminal, without echo ---
PASSWORD="Pw-tty-s3cret-71"
RD_USERS="alice:$PASSWORD" rd_start_registry htpasswd
tty_rc=0
{ sleep 1; printf '%s\n' "$PASSWORD"; } |
  script -qec "$(printf '%q ' "$RD_BIN" login "$REG_HOST" -u alice)" /dev/null \
    >"$RD_TMP/tty.raw" 2>&1 || tty_rc=$?
tty_out="$(tr -d '\000' <"$RD_TMP/tty.raw")"
rd_assert_eq "login on a terminal: exit 0" "0" "$tty_rc"
rd_assert_contains "login on a terminal: asks for the password" "$tty_out" "Password: "
rd_assert_contains "login on a terminal: logged in" "$tty_out" "Login succeeded for $REG_HOST"
rd_assert_not_contains "login on a terminal: the password is not echoed" "$tty_out" "$PASSWORD"
rd_assert_eq "login on a terminal: credentials saved" "alice:$PASSWORD" \
  "$(jq -r --arg h "$REG_HOST" '.auths[$h].auth' "$DOCKER_CONFIG/config.json" | base64 -d)"
rd_rd login "$REG_HOST" -u alice
rd_assert_rc "login without a terminal nor --password-stdin: exit 2" 2
for junk in 'host?x=1#f' '' 'user@host'; do
  rd_run_stdin "$PASSWORD" "$RD_BIN" login "$junk" -u alice --password-stdin
  rd_assert_rc "login '$junk': refused, exit 2" 2
  rd_assert_contains "login '$junk': says it is not a registry name" "$RD_ERR" "not a registry name"
done
rd_rd logout ""
rd_assert_rc "logout '': exit 2" 2

rd_finish
