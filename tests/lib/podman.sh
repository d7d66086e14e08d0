# shellcheck shell=bash
# Podman helpers for regdigest integration tests.
#
# Source after tests/lib/servers.sh. Starts a REAL Podman API service
# (`podman system service --time=0 unix://…`, Debian's podman) with all of its
# state under the test's temp dir: vfs storage, its own run root, registries
# config (the test registries are insecure: plain HTTP on 127.0.0.1), auth
# file and events log. rd_stop_all (EXIT trap) stops it through RD_STOP_HOOKS.
#
#   rd_start_podman   starts the service for the registry in $REG_HOST, waits
#                     for /_ping (30 s), exports PODMAN_SOCK, PODMAN_HOST
#                     (unix://…). If it cannot start: with CI=true the script
#                     fails with the log tail; otherwise it prints SKIP and
#                     exits 77 (CTest's SKIP_RETURN_CODE).
#   rd_podman ARGS... the podman CLI on the same storage (not through the API)
#   rd_stop_podman    stops the service; idempotent. Registered as a stop hook.

PODMAN_PID=""
PODMAN_DIR=""

_rd_podman_unavailable() {
  if [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; then
    rd_log "ERROR: podman could not start: $1"
    [[ -n "${PODMAN_DIR:-}" && -s "$PODMAN_DIR/service.log" ]] && tail -n 30 "$PODMAN_DIR/service.log" >&2
    exit 1
  fi
  printf 'SKIP: %s: podman could not start (%s); set CI=true to make this a failure\n' \
    "$(basename "$0")" "$1"
  exit 77
}

# The podman command line with the test's own storage and configuration;
# `exec` so that a backgrounded call's PID ($!) is podman's own.
_rd_podman_exec() {
  export CONTAINERS_REGISTRIES_CONF="$PODMAN_DIR/registries.conf"
  export REGISTRY_AUTH_FILE="$PODMAN_DIR/auth.json" DOCKER_CONFIG="$PODMAN_DIR/docker-config"
  exec podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --storage-driver vfs \
    --tmpdir "$PODMAN_DIR/tmp" --cgroup-manager cgroupfs --events-backend file "$@"
}

rd_podman() { (_rd_podman_exec "$@"); }

rd_start_podman() {
  local i
  rd_tmpdir
  command -v podman >/dev/null || _rd_podman_unavailable "podman not installed (Debian package podman)"
  ((EUID == 0)) || _rd_podman_unavailable "the test runs podman as root (uid $EUID)"
  PODMAN_DIR="$RD_TMP/podman"
  mkdir -p "$PODMAN_DIR/docker-config" "$PODMAN_DIR/tmp"
  printf '{}\n' >"$PODMAN_DIR/auth.json"
  printf '{}\n' >"$PODMAN_DIR/docker-config/config.json"
  printf 'unqualified-search-registries = []\n[[registry]]\nlocation = "%s"\ninsecure = true\n' \
    "${REG_HOST:?start a registry first}" >"$PODMAN_DIR/registries.conf"
  PODMAN_SOCK="$PODMAN_DIR/podman.sock"
  _rd_podman_exec system service --time=0 "unix://$PODMAN_SOCK" >"$PODMAN_DIR/service.log" 2>&1 </dev/null &
  PODMAN_PID=$!
  RD_STOP_HOOKS+=(rd_stop_podman)
  for ((i = 0; i < 300; i++)); do
    if [[ -S "$PODMAN_SOCK" ]] &&
      [[ "$(curl -s --max-time 2 --unix-socket "$PODMAN_SOCK" http://podman/_ping || true)" == OK ]]; then
      break
    fi
    kill -0 "$PODMAN_PID" 2>/dev/null || _rd_podman_unavailable "the service exited during start-up"
    sleep 0.1
  done
  ((i < 300)) || _rd_podman_unavailable "no answer on $PODMAN_SOCK /_ping within 30 s"
  PODMAN_HOST="unix://$PODMAN_SOCK"
  export PODMAN_DIR PODMAN_PID PODMAN_SOCK PODMAN_HOST
}

rd_stop_podman() {
  [[ -n "$PODMAN_PID" ]] || return 0
  kill -TERM "$PODMAN_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$PODMAN_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$PODMAN_PID" 2>/dev/null || true
  wait "$PODMAN_PID" 2>/dev/null || true
  PODMAN_PID=""
}
