#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: a registry with htpasswd (Basic) auth: credentials from
# $DOCKER_CONFIG/config.json, wrong/missing credentials, login/logout, and
# no password in any output at -vv.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry htpasswd
REF="$REG_HOST/secure/app:1.0"
digest="$(rd_push --repo secure/app --tag 1.0 --seed basic-1)"
AUTH_B64="$(rd_b64 "$REG_USER:$REG_PASSWORD")"

# Every output of every run goes here, to look for secrets at the end.
ALL_OUTPUT="$RD_TMP/all-output"
: >"$ALL_OUTPUT"
keep() { printf '%s\n%s\n' "$RD_OUT" "$RD_ERR" >>"$ALL_OUTPUT"; }

# --- auths.<host>.auth (base64 user:password) ---
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$AUTH_B64\"}}}"
rd_rd -vv resolve "$REF"
keep
rd_assert_rc "auth from config.json (auth field): exit 0" 0
rd_assert_eq "auth from config.json (auth field): digest" "$digest" "$RD_OUT"

# --- auths.<host>.username/password ---
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"username\": \"$REG_USER\", \"password\": \"$REG_PASSWORD\"}}}"
rd_rd -vv resolve "$REF"
keep
rd_assert_rc "auth from config.json (username/password): exit 0" 0
rd_assert_eq "auth from config.json (username/password): digest" "$digest" "$RD_OUT"

# --- docker compat: an auths key with http:// prefix (docker strips the scheme) ---
rd_docker_config "{\"auths\": {\"http://$REG_HOST\": {\"auth\": \"$AUTH_B64\"}}}"
rd_rd -vv resolve "$REF"
keep
rd_assert_rc "docker compat: auths key with http:// prefix: exit 0" 0
rd_assert_eq "docker compat: auths key with http:// prefix: digest" "$digest" "$RD_OUT"

# --- wrong password ---
rd_docker_config "{\"auths\": {\"$REG_HOST\": {\"auth\": \"$(rd_b64 "$REG_USER:wrong-password")\"}}}"
rd_rd -vv resolve "$REF"
keep
rd_assert_rc "wrong password: exit 3" 3
rd_assert_contains "wrong password: stderr names the registry" "$RD_ERR" "$REG_HOST"
rd_assert_contains "wrong password: stderr says unauthorized" "$RD_ERR" "unauthorized"

# --- no credentials at all ---
rd_docker_config '{}'
rd_rd resolve "$REF"
keep
rd_assert_rc "no credentials: exit 3" 3
rd_assert_contains "no credentials: stderr says unauthorized" "$RD_ERR" "unauthorized"
rm -f "$DOCKER_CONFIG/config.json"
rd_rd resolve "$REF"
keep
rd_assert_rc "no config.json at all: exit 3" 3
rd_assert_contains "no config.json at all: stderr says unauthorized" "$RD_ERR" "unauthorized"

# --- login keeps the other keys, writes mode 0600; resolve then works ---
rd_docker_config "{\"auths\": {\"other.example:5000\": {\"auth\": \"$(rd_b64 other:pw)\"}}, \"psFormat\": \"table {{.ID}}\", \"credHelpers\": {\"gcr.io\": \"gcloud\"}}"
chmod 644 "$DOCKER_CONFIG/config.json"
rd_run_stdin "$REG_PASSWORD" "$RD_BIN" -vv login "$REG_HOST" -u "$REG_USER" --password-stdin
keep
rd_assert_rc "login: exit 0" 0
cfg="$DOCKER_CONFIG/config.json"
rd_assert_eq "login: config.json mode is 0600" "600" "$(stat -c %a "$cfg")"
rd_assert_eq "login: stores base64(user:password)" "$AUTH_B64" \
  "$(jq -r --arg h "$REG_HOST" '.auths[$h].auth' "$cfg")"
rd_assert_eq "login: keeps other auths entries" "$(rd_b64 other:pw)" \
  "$(jq -r '.auths["other.example:5000"].auth' "$cfg")"
rd_assert_eq "login: keeps other top-level keys" "table {{.ID}}|gcloud" \
  "$(jq -r '.psFormat + "|" + .credHelpers["gcr.io"]' "$cfg")"
rd_rd -vv resolve "$REF"
keep
rd_assert_rc "resolve after login: exit 0" 0
rd_assert_eq "resolve after login: digest" "$digest" "$RD_OUT"

# --- login into an empty DOCKER_CONFIG dir creates config.json 0600 ---
export DOCKER_CONFIG="$RD_TMP/fresh-docker-config"
rd_run_stdin "$REG_PASSWORD" "$RD_BIN" login "$REG_HOST" -u "$REG_USER" --password-stdin
keep
rd_assert_rc "login with no config.json yet: exit 0" 0
rd_assert_eq "login with no config.json yet: file mode 0600" "600" \
  "$(stat -c %a "$DOCKER_CONFIG/config.json" 2>/dev/null || echo missing)"
export DOCKER_CONFIG="$RD_TMP/docker-config"

# --- logout removes the entry only ---
rd_rd -vv logout "$REG_HOST"
keep
rd_assert_rc "logout: exit 0" 0
rd_assert_eq "logout: entry removed" "false" \
  "$(jq --arg h "$REG_HOST" '.auths | has($h)' "$cfg")"
rd_assert_eq "logout: other entries kept" "$(rd_b64 other:pw)|table {{.ID}}" \
  "$(jq -r '.auths["other.example:5000"].auth + "|" + .psFormat' "$cfg")"
rd_rd resolve "$REF"
keep
rd_assert_rc "resolve after logout: exit 3" 3
rd_assert_contains "resolve after logout: stderr says unauthorized" "$RD_ERR" "unauthorized"

# --- no secret in any output, at any verbosity ---
out="$(<"$ALL_OUTPUT")"
rd_assert_not_contains "password never printed" "$out" "$REG_PASSWORD"
rd_assert_not_contains "base64 credentials never printed" "$out" "$AUTH_B64"
rd_assert_not_contains "wrong password never printed" "$out" "wrong-password"
# The secrecy checks mean something only if -vv really logged the requests and the auth.
rd_assert_match "-vv produced debug lines (so the secrecy checks mean something)" '^[1-9][0-9]+$' \
  "$(grep -c '^regdigest: debug: ' "$ALL_OUTPUT")"
rd_assert_contains "-vv logged the credentials' use, never their value" "$out" \
  "regdigest: debug: credentials for $REG_HOST: from config.json"

rd_finish
