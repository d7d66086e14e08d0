#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: bulk resolution on a registry with token auth. 200 tags of one
# repository in one run cost one token request and N+1 HEADs (one 401'd) and
# come out in input order; 30 repositories cost 2 token requests (one
# multi-scope), or 1 + 1 refused + 29 when the token server refuses several
# scopes; `--file -` with comments, blank lines and invalid lines (exit 2, 3);
# `--concurrency` respected, measured by a counting proxy in front of the
# registry; over TLS, HTTP/2 requests share one connection as overlapping
# streams.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

token_lines() { wc -l <"$TOKEN_LOG" | tr -d ' '; }
token_log_after() { tail -n +"$(($1 + 1))" "$TOKEN_LOG"; }
reg_lines() { wc -l <"$REG_LOG" | tr -d ' '; }
reg_log_after() { tail -n +"$(($1 + 1))" "$REG_LOG"; }
use_alice() {
  rd_docker_config "{\"auths\": {\"$1\": {\"auth\": \"$(rd_b64 "$REG_USER:$REG_PASSWORD")\"}}}"
}
# push_repos PREFIX N: pushes PREFIX0..PREFIX(N-1), tag "t", 4 at a time;
# prints "REPO DIGEST" lines in order.
# shellcheck disable=SC2016 # the single-quoted script is expanded by sh
push_repos() {
  local prefix="$1" n="$2" i
  seq 0 $((n - 1)) | xargs -P 4 -I{} sh -c '"$1" "$2" --registry "$3" --user "$4" \
    --password "$5" --repo "$6{}" --tag t --kind oci --seed "s{}" >"$7/pushed-{}"' \
    sh "$RD_PY" "$RD_SERVERS_DIR/push_image.py" "$REG_URL" "$REG_USER" "$REG_PASSWORD" \
    "$prefix" "$RD_TMP"
  for ((i = 0; i < n; i++)); do printf '%s%d %s\n' "$prefix" "$i" "$(<"$RD_TMP/pushed-$i")"; done
}

# count GREP_ARGS... TEXT: matching lines of TEXT (0 when none); a grep error
# (exit 2) prints "grep failed", so it never reads as a count.
count() {
  local text="${*: -1}" rc=0
  grep -c "${@:1:$#-1}" <<<"$text" || rc=$?
  ((rc <= 1)) || echo "grep failed (exit $rc)"
}

rd_start_registry token
use_alice "$REG_HOST"

# --- 200 tags of one repository: 1 token request, 201 HEADs, no GET ---
tags="$(seq -f 'v%g' 1 200 | paste -sd, -)"
rd_push --repo bulk/app --tags "$tags" --kind oci >"$RD_TMP/pushed"
rd_assert_eq "pushed 200 tags" "200" "$(wc -l <"$RD_TMP/pushed" | tr -d ' ')"
expected=""
input=$'# 200 tags of bulk/app\n\n'
n=0
while read -r tag digest; do
  n=$((n + 1))
  expected+="$REG_HOST/bulk/app:$tag $digest"$'\n'
  input+="$REG_HOST/bulk/app:$tag"$'\n'
  if ((n % 50 == 0)); then input+=$'  # a comment\n\n'; fi
done <"$RD_TMP/pushed"
tok_before="$(token_lines)"
reg_before="$(reg_lines)"
rd_run_stdin "$input" "$RD_BIN" resolve --file -
rd_assert_rc "200 tags: exit 0" 0
rd_assert_eq "200 tags: output in input order" "${expected%$'\n'}" "$RD_OUT"
rd_assert_eq "200 tags: exactly 1 token request" "1" "$(($(token_lines) - tok_before))"
new_reg="$(reg_log_after "$reg_before")"
rd_assert_eq "200 tags: registry saw 201 HEADs of manifests (1 answered 401)" "201" \
  "$(count -E '"HEAD /v2/bulk/app/manifests/v[0-9]+ HTTP/[0-9.]+"' "$new_reg")"
rd_assert_eq "200 tags: exactly 1 HEAD answered 401" "1" \
  "$(count -E '"HEAD /v2/bulk/app/manifests/[^ ]+ HTTP/[0-9.]+" 401 ' "$new_reg")"
rd_assert_eq "200 tags: no GET" "0" "$(count -E '"GET /' "$new_reg")"
rd_assert_eq "200 tags: no request other than those HEADs" "201" \
  "$(count -E '"(GET|HEAD|POST|PUT|PATCH|DELETE) /' "$new_reg")"

# --- --file - with an invalid line, then also a missing tag ---
bad_input="$REG_HOST/bulk/app:v1"$'\n# comment\n\n'"$REG_HOST/Bad_Repo:x"$'\n'"$REG_HOST/bulk/app:v2"$'\n'
rd_run_stdin "$bad_input" "$RD_BIN" resolve --file -
rd_assert_rc "invalid line: exit 2" 2
rd_assert_contains "invalid line: reported with its line number" "$RD_ERR" "stdin:4:"
rd_assert_eq "invalid line: the others still resolved, in order" \
  "$(sed -n '1p;2p' <<<"$expected")" "$RD_OUT"
rd_run_stdin "$bad_input$REG_HOST/bulk/app:no-such-tag"$'\n' "$RD_BIN" resolve --file -
rd_assert_rc "invalid line and a missing tag: exit 3" 3
rd_assert_contains "missing tag: reported" "$RD_ERR" "no-such-tag"
rd_assert_contains "missing tag: the others still resolved" "$RD_OUT" "$(sed -n 2p <<<"$expected")"

# --- progress line: on a terminal only, and never with --quiet ---
# `script` gives the command a pseudo-terminal; what it shows is captured.
printf '%s' "$input" >"$RD_TMP/refs200.txt"
# on_tty CMD...: sets tty_out (what the terminal showed) and tty_rc (the
# command's exit status: script -e passes it on).
on_tty() {
  tty_rc=0
  script -qec "$(printf '%q ' "$@")" /dev/null </dev/null >"$RD_TMP/tty.raw" || tty_rc=$?
  tty_out="$(tr -d '\000' <"$RD_TMP/tty.raw")"
}
on_tty "$RD_BIN" resolve --file "$RD_TMP/refs200.txt"
rd_assert_eq "progress on a TTY: exit 0" "0" "$tty_rc"
rd_assert_contains "progress on a TTY: final count and rate" "$tty_out" "resolved 200/200 ("
rd_assert_contains "progress on a TTY: failures counted" "$tty_out" "/s), 0 failed"
rd_assert_contains "progress on a TTY: line cleared before the results" "$tty_out" $'\r\033[K'
rd_assert_contains "progress on a TTY: results still printed" "$tty_out" \
  "$(sed -n 200p <<<"$expected")"
on_tty "$RD_BIN" resolve --quiet --file "$RD_TMP/refs200.txt"
rd_assert_eq "--quiet on a TTY: exit 0" "0" "$tty_rc"
rd_assert_contains "--quiet on a TTY: results printed" "$tty_out" "$(sed -n 200p <<<"$expected")"
rd_assert_not_contains "--quiet on a TTY: no progress" "$tty_out" "resolved 200/200"
rd_run "$RD_BIN" resolve --file "$RD_TMP/refs200.txt"
rd_assert_not_contains "stderr not a TTY: no progress" "$RD_ERR" "resolved"
printf '%s\n' "$REG_HOST/bulk/app:v1" "$REG_HOST/bulk/app:gone" >"$RD_TMP/refs2.txt"
on_tty "$RD_BIN" resolve --file "$RD_TMP/refs2.txt"
rd_assert_eq "progress on a TTY, a missing tag: exit 3" "3" "$tty_rc"
rd_assert_contains "progress on a TTY, a missing tag: not found" "$tty_out" "not found"
rd_assert_contains "progress on a TTY: a failure counted" "$tty_out" "resolved 2/2 ("
rd_assert_contains "progress on a TTY: 1 failed" "$tty_out" "/s), 1 failed"

# --- more references than one batch (1000): order, JSON and tokens carry over ---
# 1005 lines naming 5 tags: results are printed batch by batch, and the second
# batch reuses the first's token and connections.
for ((i = 0; i < 1005; i++)); do echo "$REG_HOST/bulk/app:v$((i % 5 + 1))"; done >"$RD_TMP/refs1005.txt"
tok_before="$(token_lines)"
rd_run "$RD_BIN" resolve --file "$RD_TMP/refs1005.txt" -o json
rd_assert_rc "1005 references: exit 0" 0
rd_assert_eq "1005 references: one JSON array of 1005 results" "1005" "$(jq length <<<"$RD_OUT")"
rd_assert_eq "1005 references: in input order" \
  "$(sed "s|^|$REG_HOST/bulk/app:|; s|^.*:||" "$RD_TMP/refs1005.txt" | md5sum)" \
  "$(jq -r '.[].reference | sub("^.*:"; "")' <<<"$RD_OUT" | md5sum)"
rd_assert_eq "1005 references: element 1001 is v1 with its digest" \
  "$(sed -n 1p <<<"$expected" | cut -d' ' -f2)" "$(jq -r '.[1000].digest' <<<"$RD_OUT")"
rd_assert_eq "1005 references: one token request for both batches" \
  "1" "$(($(token_lines) - tok_before))"

# --- 30 repositories: one token for the first, one multi-scope request ---
push_repos multi/r 30 >"$RD_TMP/repos"
refs="$(sed "s|^\([^ ]*\) .*|$REG_HOST/\1:t|" "$RD_TMP/repos")"
tok_before="$(token_lines)"
rd_run_stdin "$refs"$'\n' "$RD_BIN" resolve --file -
rd_assert_rc "30 repositories: exit 0" 0
rd_assert_eq "30 repositories: output in input order" \
  "$(sed "s|^\([^ ]*\) |$REG_HOST/\1:t |" "$RD_TMP/repos")" "$RD_OUT"
rd_assert_eq "30 repositories: exactly 2 token requests" "2" "$(($(token_lines) - tok_before))"
rd_assert_eq "30 repositories: scopes per token request, all granted" "1 200,29 200" \
  "$(token_log_after "$tok_before" | jq -r '"\(.scopes | length) \(.status)"' | paste -sd, -)"

# --- the same on a token server that refuses several scopes ---
RD_TOKEN_ARGS="--no-multi-scope" rd_start_registry token
use_alice "$REG_HOST"
push_repos single/r 30 >"$RD_TMP/repos"
refs="$(sed "s|^\([^ ]*\) .*|$REG_HOST/\1:t|" "$RD_TMP/repos")"
tok_before="$(token_lines)"
rd_run_stdin "$refs"$'\n' "$RD_BIN" resolve --file -
rd_assert_rc "30 repositories, no multi-scope: exit 0" 0
rd_assert_eq "30 repositories, no multi-scope: output in input order" \
  "$(sed "s|^\([^ ]*\) |$REG_HOST/\1:t |" "$RD_TMP/repos")" "$RD_OUT"
rd_assert_eq "30 repositories, no multi-scope: 1 + 1 refused + 29 token requests" "31" \
  "$(($(token_lines) - tok_before))"
rd_assert_eq "30 repositories, no multi-scope: exactly one refused (400)" "1" \
  "$(token_log_after "$tok_before" | jq -r 'select(.status == 400) | .status' | wc -l | tr -d ' ')"
rd_assert_eq "30 repositories, no multi-scope: 30 one-scope grants" "30" \
  "$(token_log_after "$tok_before" | jq -r 'select(.status == 200 and (.scopes | length) == 1) | .status' |
    wc -l | tr -d ' ')"

# --- --concurrency: a counting proxy in front of the registry ---
rd_push --repo conc/app --tags "$(seq -f 'c%g' 1 40 | paste -sd, -)" --kind oci >/dev/null
rd_spawn "$RD_TMP/proxy.out" "$RD_PY" "$RD_SERVERS_DIR/counting_proxy.py" "$REG_PORT" \
  "$RD_TMP/proxy.port" "$RD_TMP/proxy.stats" --hold 0.1
for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/proxy.port" ]] && break; sleep 0.1; done
PROXY_HOST="127.0.0.1:$(<"$RD_TMP/proxy.port")"
use_alice "$PROXY_HOST"
conc_refs="$(seq -f "$PROXY_HOST/conc/app:c%g" 1 40)"
for limit in 2 8; do
  rm -f "$RD_TMP/proxy.stats"
  curl -sf "http://$PROXY_HOST/_reset" >/dev/null
  rd_run_stdin "$conc_refs"$'\n' "$RD_BIN" resolve --file - --concurrency "$limit"
  rd_assert_rc "--concurrency $limit, 40 tags via the counting proxy: exit 0" 0
  read -r max_in_flight total _ <"$RD_TMP/proxy.stats"
  rd_log "--concurrency $limit: at most $max_in_flight of $total requests in flight"
  rd_assert_eq "--concurrency $limit: 41 requests through the proxy" "41" "$total"
  if ((limit == 2)); then
    rd_assert_match "--concurrency 2: at most 2 requests in flight (saw $max_in_flight)" \
      '^[12]$' "$max_in_flight"
  else
    # Shows the proxy does see overlap, so the check above means something.
    rd_assert_match "--concurrency 8: more than 2 in flight, at most 8 (saw $max_in_flight)" \
      '^[3-8]$' "$max_in_flight"
  fi
done

# --- HTTP/2: concurrent requests are streams of one connection ---
# Over TLS docker-registry offers HTTP/2 (ALPN). Its log names each request's
# protocol and client address:port, and when it finished and how long it
# took: so the test counts connections and checks that requests overlapped
# (multiplexed, not one after another on that connection).
rd_start_registry tls
rd_push --repo h2/app --tags "$(seq -f 'h%g' 1 60 | paste -sd, -)" --kind oci >"$RD_TMP/pushed-h2"
printf '{"registries": {"%s": {"caFile": "%s"}}}\n' "$REG_HOST" "$CA_FILE" >"$RD_TMP/h2.json"
h2_expected="$(awk -v h="$REG_HOST" '{print h "/h2/app:" $1 " " $2}' "$RD_TMP/pushed-h2")"
reg_before="$(reg_lines)"
REGDIGEST_CONFIG="$RD_TMP/h2.json" rd_run_stdin "$(cut -d' ' -f1 <<<"$h2_expected")"$'\n' \
  "$RD_BIN" -vv resolve --file - --concurrency 8
rd_assert_rc "HTTP/2, 60 tags: exit 0" 0
rd_assert_eq "HTTP/2, 60 tags: output in input order" "$h2_expected" "$RD_OUT"
new_reg="$(reg_log_after "$reg_before")"
rd_assert_eq "HTTP/2: the registry saw 60 manifest HEADs over HTTP/2.0" "60" \
  "$(count -E '"HEAD /v2/h2/app/manifests/h[0-9]+ HTTP/2.0" 200 ' "$new_reg")"
rd_assert_eq "HTTP/2: -vv names the protocol of each request" "60" \
  "$(count 'HEAD https://.*/v2/h2/app/manifests/h[0-9]* -> 200 (HTTP/2)' "$RD_ERR")"
rd_assert_eq "HTTP/2: all 60 requests came over one connection" "1" \
  "$(grep -o 'http.request.remoteaddr="[^"]*"' <<<"$new_reg" | sort -u | wc -l | tr -d ' ')"
# Most requests in progress at once, from each one's end time and duration.
h2_overlap="$("$RD_PY" -c '
import re, sys
from datetime import datetime
units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
events = []
for line in sys.stdin:
    if "response completed" not in line or "/manifests/" not in line:
        continue
    t = re.search(r"time=\"([^\"]+)\"", line).group(1)
    whole, _, frac = t.rstrip("Z").partition(".")
    end = datetime.fromisoformat(whole).timestamp() + float("0." + (frac or "0"))
    took = 0.0
    for number, unit in re.findall(r"([0-9.]+)(ns|µs|us|ms|s|m)", re.search(
            r"http.response.duration=(\S+)", line).group(1)):
        took += float(number) * units[unit]
    events += [(end - took, 1), (end, -1)]
now = most = 0
for _, step in sorted(events):
    now += step
    most = max(most, now)
print(most)' <<<"$new_reg")"
rd_log "HTTP/2: at most $h2_overlap requests in progress at once on the one connection"
rd_assert_match "HTTP/2: requests overlapped on the one connection (saw $h2_overlap)" \
  '^([2-9]|[1-9][0-9]+)$' "$h2_overlap"

rd_finish
