# shellcheck shell=bash
# Assertions for regdigest integration tests: one PASS/FAIL line per check,
# failures are counted (the script goes on) and rd_finish exits non-zero if
# any check failed.
#
#   rd_run CMD...              runs CMD; sets RD_OUT, RD_ERR, RD_RC
#   rd_run_stdin TEXT CMD...   same, with TEXT on stdin
#   rd_rd ARGS...              rd_run "$RD_BIN" ARGS...
#   rd_assert_eq DESC EXPECTED ACTUAL
#   rd_assert_ne DESC UNEXPECTED ACTUAL
#   rd_assert_contains DESC HAYSTACK NEEDLE
#   rd_assert_not_contains DESC HAYSTACK NEEDLE
#   rd_assert_match DESC ERE VALUE
#   rd_assert_rc DESC EXPECTED_RC  (checks RD_RC; shows RD_ERR on failure)
#   rd_skip_part REASON        records that part of the test could not run
#   rd_finish                  prints the summary and exits 0/1, or 77 (CTest's
#                              SKIP_RETURN_CODE) when every check passed but a
#                              part was skipped, so a skip never reads as a pass

RD_CHECKS=0
RD_FAILURES=0
RD_FAILED_NAMES=()
RD_SKIPPED=()

rd_skip_part() {
  RD_SKIPPED+=("$1")
  printf 'SKIP: %s\n' "$1"
}

rd_pass() {
  RD_CHECKS=$((RD_CHECKS + 1))
  printf 'PASS: %s\n' "$1"
}

# rd_fail DESC [DETAIL...]
rd_fail() {
  RD_CHECKS=$((RD_CHECKS + 1))
  RD_FAILURES=$((RD_FAILURES + 1))
  RD_FAILED_NAMES+=("$1")
  printf 'FAIL: %s\n' "$1"
  shift
  local line
  for line in "$@"; do
    printf '%s\n' "$line" | head -c 4000 | sed 's/^/      /'
  done
}

rd_run() {
  local out="$RD_TMP/.rd_out" err="$RD_TMP/.rd_err"
  set +e
  "$@" >"$out" 2>"$err" </dev/null
  RD_RC=$?
  set -e
  RD_OUT="$(<"$out")"
  RD_ERR="$(<"$err")"
}

rd_run_stdin() {
  local input="$1" out="$RD_TMP/.rd_out" err="$RD_TMP/.rd_err"
  shift
  set +e
  printf '%s' "$input" | "$@" >"$out" 2>"$err"
  RD_RC=$?
  set -e
  RD_OUT="$(<"$out")"
  RD_ERR="$(<"$err")"
}

rd_rd() { rd_run "$RD_BIN" "$@"; }

rd_last_output() {
  printf 'exit=%s\nstdout: %s\nstderr: %s' "$RD_RC" "$RD_OUT" "$RD_ERR"
}

rd_assert_eq() {
  if [[ "$2" == "$3" ]]; then
    rd_pass "$1"
  else
    rd_fail "$1" "expected: $2" "actual:   $3"
  fi
}

rd_assert_ne() {
  if [[ "$2" != "$3" ]]; then
    rd_pass "$1"
  else
    rd_fail "$1" "did not expect: $2"
  fi
}

rd_assert_contains() {
  if [[ "$2" == *"$3"* ]]; then
    rd_pass "$1"
  else
    rd_fail "$1" "expected to contain: $3" "in: $2"
  fi
}

rd_assert_not_contains() {
  if [[ "$2" != *"$3"* ]]; then
    rd_pass "$1"
  else
    # Do not echo the haystack: the needle may be a secret.
    rd_fail "$1" "found a forbidden string in the output"
  fi
}

rd_assert_match() {
  if [[ "$3" =~ $2 ]]; then
    rd_pass "$1"
  else
    rd_fail "$1" "expected to match: $2" "actual: $3"
  fi
}

rd_assert_rc() {
  if [[ "$RD_RC" == "$2" ]]; then
    rd_pass "$1"
  else
    rd_fail "$1" "expected exit status $2" "$(rd_last_output)"
  fi
}

# Fails the whole test early (with a clear message) if the binary is missing.
rd_require_bin() {
  if [[ ! -x "$RD_BIN" ]]; then
    rd_fail "regdigest binary present at $RD_BIN (set REGDIGEST_BIN)"
    rd_finish
  fi
}

rd_finish() {
  local name
  if ((RD_FAILURES > 0)); then
    printf '\n%s: %d of %d checks FAILED:\n' "$(basename "$0")" "$RD_FAILURES" "$RD_CHECKS"
    for name in "${RD_FAILED_NAMES[@]}"; do
      printf '  - %s\n' "$name"
    done
    exit 1
  fi
  if ((RD_CHECKS == 0)); then
    printf '%s: no checks ran\n' "$(basename "$0")"
    exit 1
  fi
  if ((${#RD_SKIPPED[@]} > 0)); then
    printf '\n%s: all %d checks passed, but SKIPPED:\n' "$(basename "$0")" "$RD_CHECKS"
    printf '  - %s\n' "${RD_SKIPPED[@]}"
    exit 77
  fi
  printf '\n%s: all %d checks passed\n' "$(basename "$0")" "$RD_CHECKS"
  exit 0
}
