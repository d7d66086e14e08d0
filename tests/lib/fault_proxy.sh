# shellcheck shell=bash
# Starts tests/servers/fault_proxy.py (a fault-injecting HTTP proxy) in front
# of a real server. Source after tests/lib/servers.sh (uses rd_spawn, so the
# proxy is stopped with the other started processes).
#
#   rd_start_fault_proxy UPSTREAM_URL [fault_proxy.py args...]
#     Starts a proxy with a control file; exports (for the last one started)
#       PROXY_PORT PROXY_HOST (127.0.0.1:port) PROXY_URL PROXY_PID
#       PROXY_LOG        JSON lines, one per request
#       PROXY_CONTROL    the control file: one fault spec a line
#       PROXY_REDIRECT_PORT  the redirect-target listener
#   rd_fault SPEC...     replaces the control file with these specs (one each)
#   rd_no_fault          empties the control file (plain forwarding)
#   rd_proxy_lines       number of lines in PROXY_LOG now
#   rd_proxy_log_after N PROXY_LOG lines written after line N
#
# Fault specs are documented at the top of tests/servers/fault_proxy.py, e.g.
#   rd_fault 'status code=429 retry-after=1 times=2 method=HEAD'
#   rd_fault 'www-authenticate value="Bearer realm=\"ftp://x\""'
#   rd_fault 'redirect method=GET path=/manifests/'

RD_PROXY_COUNT=0

rd_start_fault_proxy() {
  local upstream="$1" dir i
  shift
  rd_tmpdir
  RD_PROXY_COUNT=$((RD_PROXY_COUNT + 1))
  dir="$RD_TMP/fault-proxy$RD_PROXY_COUNT"
  mkdir -p "$dir"
  PROXY_LOG="$dir/requests.log"
  PROXY_CONTROL="$dir/control"
  : >"$PROXY_LOG"
  : >"$PROXY_CONTROL"
  rd_spawn "$dir/proxy.out" "$RD_PY" "$RD_SERVERS_DIR/fault_proxy.py" --upstream "$upstream" \
    --port-file "$dir/port" --redirect-port-file "$dir/redirect.port" --log "$PROXY_LOG" \
    --control "$PROXY_CONTROL" "$@"
  PROXY_PID=$RD_LAST_PID
  for ((i = 0; i < 100; i++)); do
    [[ -s "$dir/port" ]] && break
    kill -0 "$PROXY_PID" 2>/dev/null || { cat "$dir/proxy.out" >&2; rd_die "fault proxy died"; }
    sleep 0.1
  done
  [[ -s "$dir/port" ]] || rd_die "fault proxy did not start"
  PROXY_PORT="$(<"$dir/port")"
  PROXY_REDIRECT_PORT="$(<"$dir/redirect.port")"
  PROXY_HOST="127.0.0.1:$PROXY_PORT"
  PROXY_URL="http://$PROXY_HOST"
  export PROXY_PORT PROXY_HOST PROXY_URL PROXY_PID PROXY_LOG PROXY_CONTROL PROXY_REDIRECT_PORT
}

rd_fault() {
  printf '%s\n' "$@" >"$PROXY_CONTROL.tmp"
  mv "$PROXY_CONTROL.tmp" "$PROXY_CONTROL"
}

rd_no_fault() {
  : >"$PROXY_CONTROL.tmp"
  mv "$PROXY_CONTROL.tmp" "$PROXY_CONTROL"
}

rd_proxy_lines() { wc -l <"$PROXY_LOG" | tr -d ' '; }

rd_proxy_log_after() { tail -n +"$(($1 + 1))" "$PROXY_LOG"; }
