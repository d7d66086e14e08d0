# shellcheck shell=bash
# Docker Engine helpers for regdigest integration tests and scripts/demo.
#
# Source after tests/lib/servers.sh. Starts a REAL, private dockerd (Debian's
# docker.io, /usr/sbin/dockerd) with everything under a temp dir: vfs storage,
# no iptables, no bridge, its own socket, its own containerd (dockerd starts
# and stops it). rd_stop_all (EXIT trap) stops it through RD_STOP_HOOKS.
#
#   rd_start_dockerd [EXTRA DOCKERD ARGS...]
#                     starts dockerd, waits for /_ping (30 s), exports
#                     DOCKER_HOST=unix://$DOCKERD_DIR/docker.sock.
#                     If it cannot start: with CI=true the script fails with
#                     the log tail; otherwise it prints SKIP and exits 77,
#                     which CTest reports as skipped (SKIP_RETURN_CODE) (or,
#                     with RD_DOCKERD_OPTIONAL=1, returns 1 so the caller
#                     can go on without an engine; RD_DOCKERD_ERROR says why,
#                     RD_DOCKERD_LOG_TAIL holds the end of its log).
#                     RD_DOCKERD_OPTIONAL=always returns 1 even in CI (demo).
#   rd_stop_dockerd   stops dockerd (and its containerd), unmounts what it
#                     left mounted; idempotent. Registered as a stop hook.
#   rd_docker ARGS... the docker CLI against that engine (API version is
#                     negotiated; RD_DOCKER_CLI picks the binary)
#   rd_make_image_tar TAR SEED
#                     writes a tiny rootfs tar (two files) for `docker import`
#   rd_import_image REF SEED
#                     docker import of such a tar as REF; prints the image ID
#   rd_image_id REF   local image ID (sha256:…)
#   rd_repo_digests REF
#                     local RepoDigests, one per line
#
# Exports after rd_start_dockerd: DOCKER_HOST DOCKERD_DIR DOCKERD_PID
# DOCKERD_LOG DOCKERD_SOCK; DOCKERD_CONTAINERD_PID when dockerd started its
# own containerd (empty when it uses a system containerd).

RD_DOCKERD="${RD_DOCKERD:-/usr/sbin/dockerd}"
RD_DOCKER_CLI="${RD_DOCKER_CLI:-docker}"
DOCKERD_PID=""
DOCKERD_CONTAINERD_PID=""
DOCKERD_DIR=""
RD_DOCKERD_DIR_OWNED=""

rd_is_ci() { [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; }

# Called when dockerd cannot start: fail (CI), skip (local) or return 1.
_rd_dockerd_unavailable() {
  RD_DOCKERD_ERROR="$1"
  RD_DOCKERD_LOG_TAIL=""
  if [[ -n "${DOCKERD_LOG:-}" && -s "$DOCKERD_LOG" ]]; then
    RD_DOCKERD_LOG_TAIL="$(tail -n 5 "$DOCKERD_LOG")"
  fi
  export RD_DOCKERD_ERROR RD_DOCKERD_LOG_TAIL
  if rd_is_ci && [[ "${RD_DOCKERD_OPTIONAL:-}" != always ]]; then
    rd_log "ERROR: dockerd could not start: $1"
    if [[ -n "${DOCKERD_LOG:-}" && -s "$DOCKERD_LOG" ]]; then
      rd_log "--- last 30 lines of $DOCKERD_LOG ---"
      tail -n 30 "$DOCKERD_LOG" >&2
    fi
    exit 1
  fi
  if [[ -n "${RD_DOCKERD_OPTIONAL:-}" ]]; then
    rd_stop_dockerd
    return 1
  fi
  printf 'SKIP: %s: dockerd could not start (%s); set CI=true to make this a failure\n' \
    "$(basename "$0")" "$1"
  if [[ -n "$RD_DOCKERD_LOG_TAIL" ]]; then
    printf '%s\n' "$RD_DOCKERD_LOG_TAIL" | sed 's/^/SKIP:   dockerd: /'
  fi
  exit 77  # CTest's SKIP_RETURN_CODE: shown as skipped, never as passed
}

# Picks a short directory for the engine: unix socket paths are limited to
# 108 bytes and containerd puts its sockets a few levels below the exec root.
_rd_dockerd_dir() {
  if ((${#RD_TMP} <= 40)); then
    DOCKERD_DIR="$RD_TMP/dk"
    mkdir -p "$DOCKERD_DIR"
  else
    DOCKERD_DIR="$(mktemp -d /tmp/rdd.XXXXXX)"
    RD_DOCKERD_DIR_OWNED=1
  fi
}

# shellcheck disable=SC2120  # extra dockerd arguments are optional
rd_start_dockerd() {
  local i
  rd_tmpdir
  if [[ -n "$DOCKERD_PID" ]]; then
    rd_die "rd_start_dockerd: one engine per script"
  fi
  DOCKERD_LOG=""
  if [[ ! -x "$RD_DOCKERD" ]]; then
    _rd_dockerd_unavailable "$RD_DOCKERD not installed (Debian package docker.io)"
    return
  fi
  if ((EUID != 0)); then
    _rd_dockerd_unavailable "dockerd needs root (running as uid $EUID)"
    return
  fi
  _rd_dockerd_dir
  DOCKERD_SOCK="$DOCKERD_DIR/docker.sock"
  DOCKERD_LOG="$DOCKERD_DIR/dockerd.log"
  # An empty config file: /etc/docker/daemon.json must not leak in.
  printf '{}\n' >"$DOCKERD_DIR/daemon.json"
  : >"$DOCKERD_LOG"
  "$RD_DOCKERD" --config-file "$DOCKERD_DIR/daemon.json" \
    --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    --data-root "$DOCKERD_DIR/data" --exec-root "$DOCKERD_DIR/exec" \
    -H "unix://$DOCKERD_SOCK" --pidfile "$DOCKERD_DIR/docker.pid" \
    "$@" >>"$DOCKERD_LOG" 2>&1 </dev/null &
  DOCKERD_PID=$!
  RD_STOP_HOOKS+=(rd_stop_dockerd)
  export DOCKERD_DIR DOCKERD_PID DOCKERD_LOG DOCKERD_SOCK
  for ((i = 0; i < 300; i++)); do
    if [[ -S "$DOCKERD_SOCK" ]] &&
      [[ "$(curl -s --max-time 2 --unix-socket "$DOCKERD_SOCK" http://docker/_ping || true)" == OK ]]; then
      break
    fi
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      wait "$DOCKERD_PID" 2>/dev/null || true
      DOCKERD_PID=""
      _rd_dockerd_unavailable "dockerd exited during start-up (log: $DOCKERD_LOG)"
      return
    fi
    sleep 0.1
  done
  if ((i == 300)); then
    _rd_dockerd_unavailable "no answer on $DOCKERD_SOCK /_ping within 30 s"
    return
  fi
  if [[ -s "$DOCKERD_DIR/exec/containerd/containerd.pid" ]]; then
    DOCKERD_CONTAINERD_PID="$(<"$DOCKERD_DIR/exec/containerd/containerd.pid")"
  fi
  export DOCKERD_CONTAINERD_PID
  export DOCKER_HOST="unix://$DOCKERD_SOCK"
  unset DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH
}

# _rd_stop_pid PID SECONDS: TERM, wait, then KILL.
_rd_stop_pid() {
  local pid="$1" tenths=$(($2 * 10)) i
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < tenths; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    rd_log "pid $pid did not stop in $2 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

rd_stop_dockerd() {
  local m
  # dockerd stops the containerd it manages itself when it exits normally.
  _rd_stop_pid "$DOCKERD_PID" 20
  DOCKERD_PID=""
  if [[ -n "$DOCKERD_CONTAINERD_PID" ]] && kill -0 "$DOCKERD_CONTAINERD_PID" 2>/dev/null; then
    rd_log "containerd $DOCKERD_CONTAINERD_PID outlived dockerd; stopping it"
    _rd_stop_pid "$DOCKERD_CONTAINERD_PID" 10
  fi
  DOCKERD_CONTAINERD_PID=""
  if [[ -n "$DOCKERD_DIR" ]]; then
    # dockerd bind-mounts its data root; a killed dockerd leaves it mounted.
    while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done < <(awk -v d="$DOCKERD_DIR/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r)
    if [[ -n "$RD_DOCKERD_DIR_OWNED" && -z "${RD_KEEP_TMP:-}" ]]; then
      rm -rf "$DOCKERD_DIR"
    fi
  fi
}

rd_docker() { DOCKER_HOST="unix://$DOCKERD_SOCK" "$RD_DOCKER_CLI" "$@"; }

# rd_make_image_tar TAR SEED: a two-file rootfs tar, same seed => same bytes.
rd_make_image_tar() {
  local tar="$1" seed="$2" root
  root="$(mktemp -d "$RD_TMP/rootfs.XXXXXX")"
  mkdir -p "$root/etc"
  printf 'regdigest test image\nseed=%s\n' "$seed" >"$root/etc/regdigest-seed"
  printf '#!/bin/sh\necho %s\n' "$seed" >"$root/hello"
  chmod 0755 "$root/hello"
  tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
    -cf "$tar" etc hello
  rm -rf "$root"
}

# rd_import_image REF SEED: docker import of a tiny rootfs; prints the ID.
rd_import_image() {
  local ref="$1" seed="$2" tar
  tar="$(mktemp "$RD_TMP/image.XXXXXX.tar")"
  rd_make_image_tar "$tar" "$seed"
  rd_docker import --message "regdigest test image $seed" "$tar" "$ref" >/dev/null
  rm -f "$tar"
  rd_image_id "$ref"
}

rd_image_id() { rd_docker image inspect --format '{{.Id}}' "$1"; }

rd_repo_digests() {
  rd_docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$1" | sed '/^$/d'
}
