# shellcheck shell=bash
# Test-server helpers for regdigest integration tests and scripts/demo.
#
# Source this file from a bash script running with `set -euo pipefail`.
# It starts REAL servers on 127.0.0.1 (docker/distribution 2.8 registry,
# tests/servers/token_server.py), records every PID it starts and, through
# `trap rd_stop_all EXIT`, stops exactly those PIDs and removes the temp dir.
#
#   rd_tmpdir                      per-run temp dir in $RD_TMP (made once)
#   rd_free_port                   prints a free TCP port on 127.0.0.1
#   rd_wait_http URL [curl args]   polls until URL answers (any status), 10 s
#   rd_start_registry MODE         MODE: anon | htpasswd | token | tls
#   rd_stop_all                    runs RD_STOP_HOOKS, stops the started PIDs (EXIT trap)
#   rd_push ARGS...                runs push_image.py against $REG_URL
#   rd_manifest REPO REF           GETs a manifest (any kind) from an anon registry
#   rd_manifest_digest REPO REF    sha256 of those exact bytes
#   rd_registry_sync               marker request, waits until it is logged
#   rd_registry_requests_between M1 M2  requests logged between two markers
#
# Knobs for rd_start_registry (environment, read at call time):
#   RD_SERVICE   token service name (default rd-registry)
#   RD_ISSUER    token issuer (default rd-token-issuer)
#   RD_ACL       token server ACL JSON file (default: users may do anything,
#                nothing is public)
#   RD_USERS     space-separated user:password list
#                (default "alice:alice-pw-0123 bob:bob-pw-4567")
#   RD_TOKEN_ARGS extra token_server.py arguments (word-split)
#
# Exports after rd_start_registry: REG_MODE REG_PORT REG_HOST REG_URL
# REG_LOG REG_DIR REG_PID REG_USER REG_PASSWORD; token mode also TOKEN_PORT
# TOKEN_URL (the realm) TOKEN_LOG TOKEN_PID; tls mode also CA_FILE.

RD_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RD_SOURCE_DIR="${REGDIGEST_SOURCE_DIR:-$(cd "$RD_LIB_DIR/../.." && pwd)}"
RD_PY=/usr/bin/python3
RD_SERVERS_DIR="$RD_SOURCE_DIR/tests/servers"
export RD_BIN="${REGDIGEST_BIN:-$RD_SOURCE_DIR/build/regdigest}"
RD_PIDS=()
# Functions rd_stop_all calls first (before killing RD_PIDS), for servers that
# need an orderly stop of their own (tests/lib/engine.sh: dockerd).
RD_STOP_HOOKS=()
RD_TMP="${RD_TMP:-}"
RD_REG_COUNT=0

# Loopback traffic must never go through a proxy.
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
export NO_PROXY="$no_proxy"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

rd_log() { printf '%s\n' "$*" >&2; }
rd_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Creates the per-run temp dir once. Isolates the environment so no user
# config leaks in: HOME, XDG_CONFIG_HOME, an empty DOCKER_CONFIG dir, no
# REGDIGEST_CONFIG.
rd_tmpdir() {
  if [[ -z "$RD_TMP" || ! -d "$RD_TMP" ]]; then
    RD_TMP="$(mktemp -d "${TMPDIR:-/tmp}/regdigest-test.XXXXXX")"
    RD_TMP_OWNED=1
    mkdir -p "$RD_TMP/home" "$RD_TMP/docker-config"
    export HOME="$RD_TMP/home" XDG_CONFIG_HOME="$RD_TMP/home/.config"
    export DOCKER_CONFIG="$RD_TMP/docker-config"
    unset REGDIGEST_CONFIG
  fi
  export RD_TMP
}

rd_free_port() {
  "$RD_PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# rd_wait_http URL [extra curl args...] - succeeds once URL gives any HTTP
# status; fails after 10 s. Set RD_WAIT_PID to also fail fast if it dies.
rd_wait_http() {
  local url="$1" code i
  shift
  for ((i = 0; i < 100; i++)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$@" "$url" || true)"
    if [[ "$code" != "000" && -n "$code" ]]; then
      return 0
    fi
    if [[ -n "${RD_WAIT_PID:-}" ]] && ! kill -0 "$RD_WAIT_PID" 2>/dev/null; then
      rd_log "process $RD_WAIT_PID died while waiting for $url"
      return 1
    fi
    sleep 0.1
  done
  rd_log "timed out waiting for $url"
  return 1
}

# Starts a background process, output to LOGFILE; registers its PID.
# rd_spawn LOGFILE CMD... ; sets RD_LAST_PID.
rd_spawn() {
  local logfile="$1"
  shift
  "$@" >>"$logfile" 2>&1 </dev/null &
  RD_LAST_PID=$!
  RD_PIDS+=("$RD_LAST_PID")
}

rd_stop_all() {
  local rc=$? pid i alive hook
  for hook in "${RD_STOP_HOOKS[@]}"; do
    "$hook" || true
  done
  RD_STOP_HOOKS=()
  for pid in "${RD_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${RD_PIDS[@]}"; do
    alive=1
    for ((i = 0; i < 50; i++)); do
      if ! kill -0 "$pid" 2>/dev/null; then
        alive=0
        break
      fi
      sleep 0.1
    done
    if ((alive)); then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  RD_PIDS=()
  if [[ -n "${RD_TMP_OWNED:-}" && -d "$RD_TMP" && -z "${RD_KEEP_TMP:-}" ]]; then
    rm -rf "$RD_TMP"
  elif [[ -n "${RD_KEEP_TMP:-}" ]]; then
    rd_log "kept temp dir $RD_TMP"
  fi
  return "$rc"
}
trap rd_stop_all EXIT
trap "exit 129" HUP
trap "exit 130" INT
trap "exit 143" TERM

# Self-signed RSA key + cert for token signing: rd_gen_signing_cert DIR
rd_gen_signing_cert() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=rd-token-signer" \
    -keyout "$1/token.key" -out "$1/token.crt" 2>/dev/null
}

# Test CA + server cert for 127.0.0.1/localhost: rd_gen_tls DIR
rd_gen_tls() {
  local d="$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=regdigest test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
    -CAcreateserial -days 2 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
}

# Starts token_server.py for registry dir $1; exports TOKEN_*.
rd_start_token_server() {
  local dir="$1" users_file="$1/users"
  local -a extra=()
  rd_gen_signing_cert "$dir"
  : >"$users_file"
  local u
  for u in ${RD_USERS:-alice:alice-pw-0123 bob:bob-pw-4567}; do
    printf '%s\n' "$u" >>"$users_file"
  done
  if [[ -n "${RD_ACL:-}" ]]; then
    extra+=(--acl "$RD_ACL")
  fi
  if [[ -n "${RD_TOKEN_ARGS:-}" ]]; then
    # shellcheck disable=SC2206
    extra+=($RD_TOKEN_ARGS)
  fi
  TOKEN_LOG="$dir/token.log"
  : >"$TOKEN_LOG"
  rd_spawn "$dir/token.out" "$RD_PY" "$RD_SERVERS_DIR/token_server.py" \
    --port 0 --port-file "$dir/token.port" --key "$dir/token.key" --cert "$dir/token.crt" \
    --issuer "${RD_ISSUER:-rd-token-issuer}" --service "${RD_SERVICE:-rd-registry}" \
    --users "$users_file" --log "$TOKEN_LOG" "${extra[@]}"
  TOKEN_PID=$RD_LAST_PID
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$dir/token.port" ]] && break
    kill -0 "$TOKEN_PID" 2>/dev/null || { cat "$dir/token.out" >&2; rd_die "token server died"; }
    sleep 0.1
  done
  [[ -s "$dir/token.port" ]] || rd_die "token server did not start"
  TOKEN_PORT="$(<"$dir/token.port")"
  TOKEN_URL="http://127.0.0.1:$TOKEN_PORT/token"
  RD_WAIT_PID=$TOKEN_PID rd_wait_http "http://127.0.0.1:$TOKEN_PORT/healthz" || rd_die "token server not answering"
  export TOKEN_PORT TOKEN_URL TOKEN_LOG TOKEN_PID
}

# Writes the registry config YAML: rd_write_registry_config DIR MODE PORT
rd_write_registry_config() {
  local dir="$1" mode="$2" port="$3"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: text
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: rd-test-secret-$RANDOM$RANDOM
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  case "$mode" in
    tls)
      cat >>"$dir/config.yml" <<EOF
  tls:
    certificate: $dir/server.crt
    key: $dir/server.key
EOF
      ;;
    htpasswd)
      cat >>"$dir/config.yml" <<EOF
auth:
  htpasswd:
    realm: rd-basic-realm
    path: $dir/htpasswd
EOF
      ;;
    token)
      cat >>"$dir/config.yml" <<EOF
auth:
  token:
    realm: $TOKEN_URL
    service: ${RD_SERVICE:-rd-registry}
    issuer: ${RD_ISSUER:-rd-token-issuer}
    rootcertbundle: $dir/token.crt
EOF
      ;;
  esac
}

# rd_start_registry MODE - MODE is anon | htpasswd | token | tls.
rd_start_registry() {
  local mode="$1" dir port attempt scheme=http
  local -a curl_args=()
  rd_tmpdir
  RD_REG_COUNT=$((RD_REG_COUNT + 1))
  dir="$RD_TMP/registry$RD_REG_COUNT"
  mkdir -p "$dir/data"
  local first_user="${RD_USERS:-alice:alice-pw-0123 bob:bob-pw-4567}"
  first_user="${first_user%% *}"
  REG_USER="${first_user%%:*}"
  REG_PASSWORD="${first_user#*:}"
  case "$mode" in
    anon) ;;
    htpasswd)
      : >"$dir/htpasswd"
      local u
      for u in ${RD_USERS:-alice:alice-pw-0123 bob:bob-pw-4567}; do
        htpasswd -Bbn "${u%%:*}" "${u#*:}" >>"$dir/htpasswd" 2>/dev/null
      done
      ;;
    token) rd_start_token_server "$dir" ;;
    tls)
      rd_gen_tls "$dir"
      CA_FILE="$dir/ca.pem"
      export CA_FILE
      scheme=https
      curl_args=(--cacert "$CA_FILE")
      ;;
    *) rd_die "rd_start_registry: unknown mode '$mode'" ;;
  esac
  REG_LOG="$dir/registry.log"
  for attempt in 1 2 3; do
    port="$(rd_free_port)"
    rd_write_registry_config "$dir" "$mode" "$port"
    : >"$REG_LOG"
    rd_spawn "$REG_LOG" docker-registry serve "$dir/config.yml"
    REG_PID=$RD_LAST_PID
    if RD_WAIT_PID=$REG_PID rd_wait_http "$scheme://127.0.0.1:$port/v2/" "${curl_args[@]}"; then
      break
    fi
    kill -TERM "$REG_PID" 2>/dev/null || true
    if ((attempt == 3)); then
      cat "$REG_LOG" >&2
      rd_die "registry ($mode) did not start"
    fi
  done
  REG_MODE="$mode"
  REG_DIR="$dir"
  REG_PORT="$port"
  REG_HOST="127.0.0.1:$port"
  REG_URL="$scheme://127.0.0.1:$port"
  export REG_MODE REG_DIR REG_PORT REG_HOST REG_URL REG_LOG REG_PID REG_USER REG_PASSWORD
}

# rd_push --repo R --tag T [--kind K] [--seed S] ...: pushes to the last
# registry with its credentials / CA; prints the digest line(s).
rd_push() {
  local -a extra=()
  case "${REG_MODE:-}" in
    htpasswd | token) extra+=(--user "$REG_USER" --password "$REG_PASSWORD") ;;
    tls) extra+=(--cacert "$CA_FILE") ;;
  esac
  "$RD_PY" "$RD_SERVERS_DIR/push_image.py" --registry "$REG_URL" "${extra[@]}" "$@"
}

# Every manifest media type, so the registry answers what was pushed.
RD_MANIFEST_ACCEPT="application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json"
RD_MANIFEST_ACCEPT+=",application/vnd.docker.distribution.manifest.list.v2+json"
RD_MANIFEST_ACCEPT+=",application/vnd.docker.distribution.manifest.v2+json"

# rd_manifest REPO REF: the manifest bytes of an anonymous registry ($REG_URL).
rd_manifest() {
  curl -sf -H "Accept: $RD_MANIFEST_ACCEPT" "$REG_URL/v2/$1/manifests/$2"
}

# rd_manifest_digest REPO REF: sha256:… of the manifest REF points to now.
rd_manifest_digest() {
  local sum
  sum="$(rd_manifest "$1" "$2" | sha256sum)"
  printf 'sha256:%s\n' "${sum%% *}"
}

# Number of HTTP requests in the registry access log (combined log format).
rd_registry_request_count() {
  grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /' "$REG_LOG" || true
}

# rd_registry_sync: sends a marker request to the last registry and waits (10 s
# at most) until its access log holds it, so every request answered before is
# logged too; prints the marker path. rd_registry_requests_between M1 M2: the
# access-log request lines between two markers (the markers excluded).
rd_registry_sync() {
  local marker="/v2/rd-sync-$RANDOM$RANDOM/manifests/sync" i
  curl -s -o /dev/null --max-time 5 "$REG_URL$marker" || true
  for ((i = 0; i < 100; i++)); do
    grep -qF "\"GET $marker " "$REG_LOG" && break
    sleep 0.1
  done
  grep -qF "\"GET $marker " "$REG_LOG" || rd_die "registry never logged $marker"
  printf '%s\n' "$marker"
}
rd_registry_requests_between() {
  grep -E '"(GET|HEAD|POST|PUT|PATCH|DELETE) /' "$REG_LOG" |
    sed -n "\|\"GET $1 |,\|\"GET $2 |p" | grep -vF -e "$1" -e "$2" || [[ $? == 1 ]]
}

# base64 of a string, no line wrapping.
rd_b64() { printf '%s' "$1" | base64 -w0; }

# Writes $DOCKER_CONFIG/config.json (mode 0600) from a JSON string.
rd_docker_config() {
  mkdir -p "$DOCKER_CONFIG"
  printf '%s\n' "$1" >"$DOCKER_CONFIG/config.json"
  chmod 600 "$DOCKER_CONFIG/config.json"
}
