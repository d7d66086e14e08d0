#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: untrusted text never reaches the terminal raw (issue 12 §1, §7).
# Against a real docker-registry, hostile input goes through every command
# that echoes it: an ESC sequence in a Dockerfile line (pin --check, text and
# github), lock files, list files and YAML (with a "\e[2K" escape libyaml
# decodes) holding control bytes and invalid UTF-8 (check, lock, resolve,
# pin, record), a 30 MB binary --file, a reference with junk in it, and a
# 5,000-character junk line. Every captured stdout and stderr must be valid
# UTF-8 with no C0 (but newline and tab), DEL or C1 character; JUnit must pass
# xmllint; JSON must keep the exact text. A registry look-alike
# (tests/servers/redirect_server.py) redirects to presigned URLs that fail:
# no message and no -vv log line shows their signature.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
printf '{"retries": 0, "timeout": 10}\n' >"$RD_TMP/config.json"
export REGDIGEST_CONFIG="$RD_TMP/config.json"
APP_DIGEST="$(rd_push --repo app --tag v1 --kind oci --seed app-v1)"
W="$RD_TMP/work"
mkdir -p "$W" "$RD_TMP/out"
cd "$W"

# run NAME CMD...: stdout and stderr of CMD in $RD_TMP/out/NAME.{out,err}
# (bytes kept, NULs too), exit status in RD_RC.
run() {
  local name="$1"
  shift
  set +e
  "$@" >"$RD_TMP/out/$name.out" 2>"$RD_TMP/out/$name.err" </dev/null
  RD_RC=$?
  set -e
}
out() { cat "$RD_TMP/out/$1.out"; }
err() { cat "$RD_TMP/out/$1.err"; }

# The first unsafe character of a file, or nothing: invalid UTF-8, a C0
# control other than LF and tab, DEL, C1, or a bidi override.
UNSAFE_PY='import re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    print("invalid UTF-8 at byte %d" % e.start); sys.exit()
m = re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
if m: print("raw U+%04X at character %d" % (ord(m.group()), m.start()))'

# safe NAME: both outputs of run NAME are safe for a terminal, and iconv agrees.
safe() {
  local stream problem
  for stream in out err; do
    problem="$("$RD_PY" -c "$UNSAFE_PY" "$RD_TMP/out/$1.$stream")"
    if [[ -z "$problem" ]] && iconv -f UTF-8 -t UTF-8 "$RD_TMP/out/$1.$stream" >/dev/null 2>&1; then
      rd_pass "$1: $stream is valid UTF-8 without control characters"
    else
      rd_fail "$1: $stream is valid UTF-8 without control characters" "$problem" \
        "$(head -c 600 "$RD_TMP/out/$1.$stream" | cat -v)"
    fi
  done
}

# --- The issue's reproductions ---------------------------------------------
printf 'FROM %s/app:v1\x1b[1A\x1b[2K\n' "$REG_HOST" >Dockerfile.esc
run pin_check_esc "$RD_BIN" pin --check Dockerfile.esc
safe pin_check_esc
rd_assert_contains "pin --check shows the ESC sequence escaped" "$(out pin_check_esc)" '\x1b[1A\x1b[2K'
rd_assert_ne "pin --check of the junk line fails (an error row)" 0 "$RD_RC"
run pin_check_esc_github "$RD_BIN" pin --check -o github Dockerfile.esc
safe pin_check_esc_github
rd_assert_match "github output: one workflow command for the line" '^::error file=Dockerfile.esc,line=1,' \
  "$(out pin_check_esc_github)"

head -c $((30 * 1024 * 1024)) /dev/urandom >binary.bin
run binary_file "$RD_BIN" resolve --file binary.bin
safe binary_file
size="$(wc -c <"$RD_TMP/out/binary_file.err")"
rd_assert_match "a 30 MB binary --file puts under 10 KB on stderr ($size bytes)" '^[0-9]{1,4}$' "$size"
rd_assert_contains "a binary --file is refused as not text" \
  "$(head -c 4000 "$RD_TMP/out/binary_file.err" | tr -d '\0')" "not a text file"
rd_assert_eq "a binary --file is a usage error" 2 "$RD_RC"

# --- Lock files, list files, YAML ----------------------------------------
# A lock file whose reference JSON-decodes to ESC sequences, and raw invalid
# UTF-8 in another entry's reference.
printf '{"version": 1, "entries": [{"reference": "%s/app:v1\\u001b[2K\\u0085x", "digest": "%s", "mediaType": "application/vnd.oci.image.manifest.v1+json", "resolvedAt": "2026-11-28T22:25:59Z"}]}\n' \
  "$REG_HOST" "$APP_DIGEST" >esc.lock
run check_lock "$RD_BIN" check --file esc.lock
safe check_lock
rd_assert_ne "check of a hostile lock file fails cleanly" 0 "$RD_RC"
printf '{"version": 1, "entries": [{"reference": "%s/app:v1\xff\xfe\x9b", "digest": "%s", "mediaType": "x", "resolvedAt": "2026-11-28T22:25:59Z"}]}\n' \
  "$REG_HOST" "$APP_DIGEST" >bad-utf8.lock
run check_lock_utf8 "$RD_BIN" check --file bad-utf8.lock
safe check_lock_utf8
run lock_update_hostile "$RD_BIN" lock --file esc.lock --update
safe lock_update_hostile

# A list file: control bytes, invalid UTF-8, a valid reference, a 5,000-char junk line.
{
  printf '%s/app:v1\n' "$REG_HOST"
  printf '%s/app:v1\x1b]0;title\x07\n' "$REG_HOST"
  printf '%s/app\xc3\x28:v1 %s\n' "$REG_HOST" "$APP_DIGEST"
  printf '%s/app:v1\r\n' "$REG_HOST"
  printf 'j%.0s' $(seq 5000)
  printf '\n'
} >hostile.txt
for command in resolve lock record; do
  extra=()
  [[ "$command" == record ]] && extra=(--db "$RD_TMP/history.db")
  run "list_$command" "$RD_BIN" "$command" --file hostile.txt "${extra[@]}"
  safe "list_$command"
  rd_assert_ne "$command --file with hostile lines fails" 0 "$RD_RC"
done
{
  printf '%s/app:v1@%s\n' "$REG_HOST" "$APP_DIGEST"
  printf '%s/app:v1\x1b[2K@%s\n' "$REG_HOST" "$APP_DIGEST"
  printf 'j%.0s' $(seq 5000)
  printf ' %s\n' "$APP_DIGEST"
} >pinned.txt
run list_check "$RD_BIN" check --file pinned.txt
safe list_check
longest="$(out list_check | awk '{ if (length($0) > m) m = length($0) } END { print m }')"
ok_line="$(out list_check | grep '^ok' || true)"
rd_assert_match "a 5,000-character junk line does not pad the ok row (${#ok_line} chars)" \
  '^.{1,250}$' "$ok_line"
rd_assert_match "no text row is longer than the column caps allow ($longest)" '^[0-9]{1,3}$' "$longest"

for format in junit github json; do
  run "list_check_$format" "$RD_BIN" check -o "$format" --file pinned.txt
  safe "list_check_$format"
done
if xmllint --noout "$RD_TMP/out/list_check_junit.out" 2>"$RD_TMP/xmllint.err"; then
  rd_pass "JUnit of hostile input is well-formed XML (xmllint)"
else
  rd_fail "JUnit of hostile input is well-formed XML (xmllint)" "$(cat "$RD_TMP/xmllint.err")"
fi
# JUnit with the forbidden characters themselves: NUL is impossible in argv,
# so a list line carries the other C0 controls and invalid UTF-8.
printf '%s/app:v1\x01\x02\x0b\x0c\xef\xbf\xbe\xff@%s\n' "$REG_HOST" "$APP_DIGEST" >forbidden.txt
run check_forbidden_junit "$RD_BIN" check -o junit --file forbidden.txt
safe check_forbidden_junit
if xmllint --noout "$RD_TMP/out/check_forbidden_junit.out" 2>"$RD_TMP/xmllint.err"; then
  rd_pass "JUnit of XML-forbidden characters is well-formed XML (xmllint)"
else
  rd_fail "JUnit of XML-forbidden characters is well-formed XML (xmllint)" "$(cat "$RD_TMP/xmllint.err")"
fi
expected_ref="$(printf '%s/app:v1\x1b[2K' "$REG_HOST")"
json_exact="$(out list_check_json | jq -r --arg want "$expected_ref" '.results[1].reference == $want')"
rd_assert_eq "JSON keeps the hostile reference exactly (lossless)" true "$json_exact"

# YAML: a double-quoted scalar whose "\e[2K" libyaml decodes to ESC.
cat >compose.yaml <<YAML
services:
  web:
    image: "$REG_HOST/app:v1\\e[2K\\x9b"
  api:
    image: $REG_HOST/app:v1
YAML
run pin_yaml "$RD_BIN" pin --dry-run compose.yaml
safe pin_yaml
run pin_check_yaml "$RD_BIN" pin --check compose.yaml
safe pin_check_yaml
rd_assert_contains "pin --check names the decoded ESC and C1 escaped" "$(err pin_check_yaml)" \
  '/app:v1\x1b[2K\xc2\x9b'
run lock_from_yaml "$RD_BIN" lock --file yaml.lock --from compose.yaml
safe lock_from_yaml
run record_from_yaml "$RD_BIN" record --db "$RD_TMP/history.db" --from compose.yaml
safe record_from_yaml

# --- Arguments ---------------------------------------------------------------
junk_ref="$(printf '%s/app\x1b[31m\xc2\x9b\xe2\x80\xae:v1' "$REG_HOST")"
for command in ref resolve inspect lock; do
  run "arg_$command" "$RD_BIN" "$command" "$junk_ref"
  safe "arg_$command"
  rd_assert_ne "$command of a junk reference fails" 0 "$RD_RC"
done
run arg_check "$RD_BIN" check "$junk_ref@$APP_DIGEST"
safe arg_check
run arg_history "$RD_BIN" history --db "$RD_TMP/history.db" "$junk_ref"
safe arg_history
run arg_platform "$RD_BIN" resolve --platform "$(printf 'linux/\x1b[2K')" "$REG_HOST/app:v1"
safe arg_platform
run arg_unknown_command "$RD_BIN" "$(printf 'resolv\x1b[2K')"
safe arg_unknown_command
run arg_bad_option "$RD_BIN" resolve --concurrency "$(printf '\x1b[2K%.0s' $(seq 2000))" x
safe arg_bad_option
size="$(wc -c <"$RD_TMP/out/arg_bad_option.err")"
rd_assert_match "a 8,000-byte option value is echoed capped ($size bytes)" '^[0-9]{1,4}$' "$size"

# --- Redirects to presigned URLs that fail (issue 12 §7) --------------------
port_file="$RD_TMP/redirect.port"
RD_WAIT_PID=""
rd_spawn "$RD_TMP/redirect.log" "$RD_PY" "$RD_SOURCE_DIR/tests/servers/redirect_server.py" \
  --port-file "$port_file" --secret TOPSECRET
for _ in $(seq 50); do [[ -s "$port_file" ]] && break; sleep 0.1; done
R="127.0.0.1:$(cat "$port_file")"
rd_wait_http "http://$R/v2/"
for case in loop badport refused; do
  run "redirect_$case" "$RD_BIN" -vv resolve "$R/$case/app:v1"
  safe "redirect_$case"
  rd_assert_ne "redirect ($case) fails" 0 "$RD_RC"
  rd_assert_not_contains "redirect ($case): no signature in stderr or -vv logs" \
    "$(err "redirect_$case")$(out "redirect_$case")" TOPSECRET
  rd_assert_contains "redirect ($case): the error names the URL" "$(err "redirect_$case")" "http://"
done
rd_assert_contains "redirect loop: too many redirects" "$(err redirect_loop)" "too many redirects"
rd_assert_contains "unusable Location: named without its query" "$(err redirect_badport)" \
  "cannot follow redirect from http://$R/storage/bad:"
run redirect_json "$RD_BIN" -vv resolve -o json "$R/badport/app:v1"
rd_assert_not_contains "redirect: no signature in JSON output either" \
  "$(err redirect_json)$(out redirect_json)" TOPSECRET

rd_finish
