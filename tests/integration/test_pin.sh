#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest pin` and `pin --check` on fixture files
# (tests/fixtures/pin: a multi-stage Dockerfile with --platform, ARG, scratch
# and stage references; a compose file with comments, quoted images and a
# merge key; a multi-document Kubernetes file with initContainers, a CronJob
# and a Service) against a real docker-registry that also serves docker.io
# (regdigest config endpoint), so familiar names like nginx:1.25 resolve.
# Images are pushed with fixed seeds, so their digests are fixed and the
# golden files (*.golden) hold them; only the registry address is a
# placeholder (@@REGISTRY@@).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

FIXTURES="$RD_SOURCE_DIR/tests/fixtures/pin"
FILES=(Dockerfile compose.yaml k8s.yaml)

rd_start_registry anon
printf '{"retries": 0, "timeout": 10, "registries": {"docker.io": {"endpoint": "%s"}}}\n' \
  "$REG_URL" >"$RD_TMP/config.json"
export REGDIGEST_CONFIG="$RD_TMP/config.json"

rd_push --repo library/golang --tag 1.22 --kind oci-index --seed golang --print-children \
  >"$RD_TMP/golang"
GOLANG_AMD64="$(awk '$2 == "linux/amd64" {print $1}' "$RD_TMP/golang")"
GOLANG_ARM64="$(awk '$2 == "linux/arm64" {print $1}' "$RD_TMP/golang")"
rd_push --repo pin/base --tag 1.0 --kind schema2 --seed base >/dev/null
rd_push --repo pin/tools --tag 2 --kind oci --seed tools >"$RD_TMP/tools"
rd_push --repo pin/api --tag v3 --kind oci --seed api >/dev/null
rd_push --repo pin/db --tag 16 --kind schema2 --seed db >/dev/null
rd_push --repo library/nginx --tag latest --kind oci --seed nginx-latest >/dev/null
rd_push --repo library/nginx --tag 1.25 --kind docker-list --seed nginx-1.25 >/dev/null
APP_OLD="$(rd_push --repo pin/app --tag v1 --kind oci --seed app-v1)"
rd_push --repo library/busybox --tag 1.36 --kind schema2 --seed busybox >/dev/null

# fixture NAME DEST: the template with this run's registry address.
fixture() { sed "s|@@REGISTRY@@|$REG_HOST|g" "$FIXTURES/$1" >"$2"; }
# fresh DIR: the three templates, unpinned, in DIR.
fresh() {
  rm -rf "$1"
  mkdir -p "$1"
  local f
  for f in "${FILES[@]}"; do fixture "$f" "$1/$f"; done
}
same_files() { cmp -s "$1" "$2" && echo same || echo different; }

W="$RD_TMP/work"
fresh "$W"
fresh "$RD_TMP/before"
mkdir -p "$RD_TMP/golden"
for f in "${FILES[@]}"; do fixture "$f.golden" "$RD_TMP/golden/$f"; done
chmod 0640 "$W/compose.yaml"
cd "$W"

# --- --dry-run: the diff GNU diff -u prints, nothing written ---
rd_rd pin --dry-run "${FILES[@]}"
rd_assert_rc "dry-run: exit 0" 0
expected_diff=""
for f in "${FILES[@]}"; do
  expected_diff+="$(diff -u --label "a/$f" --label "b/$f" "$RD_TMP/before/$f" \
    "$RD_TMP/golden/$f" || true)"$'\n'
done
rd_assert_eq "dry-run: prints what diff -u prints between the file and its golden" \
  "${expected_diff%$'\n'}" "$RD_OUT"
for f in "${FILES[@]}"; do
  rd_assert_eq "dry-run: $f unchanged" same "$(same_files "$f" "$RD_TMP/before/$f")"
done
mkdir -p "$RD_TMP/patched"
cp "${FILES[@]}" "$RD_TMP/patched/"
printf '%s\n' "$RD_OUT" | (cd "$RD_TMP/patched" && patch -s -p1)
for f in "${FILES[@]}"; do
  rd_assert_eq "dry-run: the diff applies with patch -p1 and gives the golden $f" same \
    "$(same_files "$RD_TMP/patched/$f" "$RD_TMP/golden/$f")"
done

# --- pin: golden files, warnings for skipped references, mode kept ---
rd_rd pin "${FILES[@]}"
rd_assert_rc "pin: exit 0" 0
for f in "${FILES[@]}"; do
  rd_assert_eq "pin: $f equals its golden file byte for byte" same \
    "$(same_files "$f" "$RD_TMP/golden/$f")"
done
# shellcheck disable=SC2016 # ${BASE} is Dockerfile text
rd_assert_contains "pin: warns about the build argument image with its line" "$RD_ERR" \
  'Dockerfile:10: skipped ${BASE}: uses build argument ${BASE}'
rd_assert_contains "pin: warns about scratch" "$RD_ERR" "Dockerfile:20: skipped scratch"
rd_assert_contains "pin: warns about the stage reference" "$RD_ERR" \
  'Dockerfile:28: skipped final: earlier build stage "final"'
# shellcheck disable=SC2016 # compose text
rd_assert_contains "pin: warns about the compose variable" "$RD_ERR" \
  'compose.yaml:25: skipped ${CACHE_IMAGE:-redis:7}'
rd_assert_contains "pin: says what it did" "$RD_OUT" "Dockerfile: 4 pinned, 3 skipped"
rd_assert_eq "pin: the file mode is kept" "640" "$(stat -c %a compose.yaml)"

# --- a second pin changes nothing ---
rd_rd pin "${FILES[@]}"
rd_assert_rc "second pin: exit 0" 0
for f in "${FILES[@]}"; do
  rd_assert_eq "second pin: $f unchanged" same "$(same_files "$f" "$RD_TMP/golden/$f")"
done
rd_assert_contains "second pin: everything already pinned" "$RD_OUT" \
  "k8s.yaml: 4 already pinned"
rd_rd pin --dry-run "${FILES[@]}"
rd_assert_rc "second dry-run: exit 0" 0
rd_assert_eq "second dry-run: no diff" "" "$RD_OUT"

# --- pin --check: all ok, with HEAD requests only ---
log_before="$(wc -l <"$REG_LOG")"
rd_rd pin --check "${FILES[@]}"
rd_assert_rc "check: all ok, exit 0" 0
new_log="$(tail -n +"$((log_before + 1))" "$REG_LOG")"
rd_assert_eq "check: 9 distinct tags, 9 HEAD requests and nothing else" "9 9" \
  "$(grep -cE '"HEAD /v2/[^ ]+/manifests/' <<<"$new_log" || true) $(grep -cE \
    '"(GET|HEAD|POST|PUT|PATCH|DELETE) /' <<<"$new_log" || true)"
rd_assert_contains "check: summary" "$RD_OUT" "12 checked: 12 ok, 0 drifted"
rd_rd pin --check -o json "${FILES[@]}"
rd_assert_rc "check json: exit 0" 0
rd_assert_eq "check json: 12 ok rows with file and line" "12 12" \
  "$(jq -r '[.results[] | select(.state == "ok")] | length' <<<"$RD_OUT") $(jq -r \
    '[.results[] | select(.file != null and .line > 0)] | length' <<<"$RD_OUT")"

# --- the tag of pin/app:v1 moves: drifted, with the lines ---
APP_NEW="$(rd_push --repo pin/app --tag v1 --kind oci --seed app-v1-moved)"
rd_rd pin --check "${FILES[@]}"
rd_assert_rc "tag moved: exit 1" 1
rd_assert_match "tag moved: k8s.yaml:18 drifted old -> new" \
  "drifted +$REG_HOST/pin/app:v1 +$APP_OLD -> $APP_NEW +\[k8s.yaml:18\]" "$RD_OUT"
rd_assert_contains "tag moved: the container line too" "$RD_OUT" "-> $APP_NEW  [k8s.yaml:22]"
rd_assert_contains "tag moved: the others still ok" "$RD_OUT" "10 ok, 2 drifted"
pin_check_out="$RD_OUT"
# One file per --files (an option never takes the REF arguments after it).
files_args=()
for f in "${FILES[@]}"; do files_args+=(--files "$f"); done
rd_rd check "${files_args[@]}"
rd_assert_rc "check --files (alias of pin --check): exit 1" 1
rd_assert_eq "check --files: the same report as pin --check" "$pin_check_out" "$RD_OUT"
rd_rd check --file regdigest.lock --files k8s.yaml
rd_assert_rc "check --file with --files: usage error" 2
rd_rd pin --check -o github k8s.yaml
rd_assert_rc "github: exit 1" 1
rd_assert_match "github: an ::error on line 18 of k8s.yaml" \
  "::error file=k8s.yaml,line=18[^:]*::$REG_HOST/pin/app:v1 drifted: $APP_OLD -> $APP_NEW" \
  "$RD_OUT"
rd_assert_contains "github: and on line 22" "$RD_OUT" "::error file=k8s.yaml,line=22"
rd_rd pin --check -o junit "${FILES[@]}"
rd_assert_rc "junit: exit 1" 1
printf '%s\n' "$RD_OUT" >"$RD_TMP/junit.xml"
rd_run xmllint --noout "$RD_TMP/junit.xml"
rd_assert_rc "junit: valid XML (xmllint)" 0
rd_assert_eq "junit: 12 testcases, 2 failures" "12 2" \
  "$(xmllint --xpath 'count(//testcase)' "$RD_TMP/junit.xml") $(xmllint --xpath \
    'count(//testcase/failure)' "$RD_TMP/junit.xml")"

# --- --update re-pins the moved tag, nothing else ---
cp k8s.yaml "$RD_TMP/k8s.before-update"
rd_rd pin k8s.yaml
rd_assert_rc "without --update: exit 0" 0
rd_assert_eq "without --update: pinned references are left alone" same \
  "$(same_files k8s.yaml "$RD_TMP/k8s.before-update")"
rd_rd pin --update k8s.yaml
rd_assert_rc "--update: exit 0" 0
rd_assert_contains "--update: counts" "$RD_OUT" "k8s.yaml: 2 updated, 2 already pinned"
rd_assert_eq "--update: only the two app digests changed" \
  "$(sed "s|$APP_OLD|$APP_NEW|g" "$RD_TMP/k8s.before-update")" "$(<k8s.yaml)"
rd_rd pin --check k8s.yaml
rd_assert_rc "--update: check ok again" 0

# --- unpinned files ---
U="$RD_TMP/unpinned"
fresh "$U"
rd_rd pin --check "$U/compose.yaml"
rd_assert_rc "unpinned: exit 1" 1
rd_assert_match "unpinned: reported with the line and where the tag points" \
  "unpinned +$REG_HOST/pin/db:16 +sha256:[0-9a-f]{64} +\[$U/compose.yaml:17\]" "$RD_OUT"
rd_rd pin --check -o github "$U/compose.yaml"
rd_assert_rc "unpinned, github: exit 1" 1
rd_assert_contains "unpinned: github annotation" "$RD_OUT" \
  "::error file=$U/compose.yaml,line=21"

# --- a tag is gone: missing ---
TOOLS_DIGEST="$(<"$RD_TMP/tools")"
curl -sf -X DELETE "$REG_URL/v2/pin/tools/manifests/$TOOLS_DIGEST"
rd_rd pin --check Dockerfile
rd_assert_rc "missing: exit 1" 1
rd_assert_match "missing: the tools line" "missing +$REG_HOST/pin/tools:2 .*\[Dockerfile:14\]" \
  "$RD_OUT"

# --- a reference that does not resolve: no file written, exit 3 ---
F="$RD_TMP/failing"
fresh "$F"
printf 'FROM %s/pin/app:no-such-tag\n' "$REG_HOST" >>"$F/Dockerfile"
cp -r "$F" "$RD_TMP/failing.before"
rd_rd pin "$F/Dockerfile" "$F/compose.yaml" "$F/k8s.yaml"
rd_assert_rc "failing reference: exit 3" 3
rd_assert_contains "failing reference: named with its line" "$RD_ERR" \
  "$F/Dockerfile:29: $REG_HOST/pin/app:no-such-tag: not found"
rd_assert_contains "failing reference: says no file changed" "$RD_ERR" "no file changed"
for f in "${FILES[@]}"; do
  rd_assert_eq "failing reference: $f not written" same \
    "$(same_files "$F/$f" "$RD_TMP/failing.before/$f")"
done
rd_assert_eq "failing reference: no temp file left" "3" "$(find "$F" -type f | wc -l | tr -d ' ')"

# --- an invalid reference: exit 2 for pin (nothing written), error row for --check ---
printf 'FROM Bad/Name:1\n' >"$RD_TMP/Dockerfile.bad"
cp "$RD_TMP/Dockerfile.bad" "$RD_TMP/Dockerfile.bad.before"
rd_rd pin "$RD_TMP/Dockerfile.bad"
rd_assert_rc "invalid reference: exit 2" 2
rd_assert_contains "invalid reference: file, line and why" "$RD_ERR" \
  "Dockerfile.bad:1: invalid reference: \"Bad/Name:1\""
rd_assert_eq "invalid reference: file untouched" same \
  "$(same_files "$RD_TMP/Dockerfile.bad" "$RD_TMP/Dockerfile.bad.before")"
rd_rd pin --check "$RD_TMP/Dockerfile.bad"
rd_assert_rc "invalid reference --check: exit 3" 3
rd_assert_contains "invalid reference --check: an error row" "$RD_OUT" "error"

# --- an unreachable registry: error, exit 3 ---
printf 'FROM 127.0.0.1:1/nothing/here:1@sha256:%s\n' "$(printf 'a%.0s' {1..64})" \
  >"$RD_TMP/Dockerfile.down"
rd_rd pin --check "$RD_TMP/Dockerfile.down"
rd_assert_rc "unreachable registry: exit 3" 3
rd_assert_match "unreachable registry: an error row" "^error +127.0.0.1:1/nothing/here:1" "$RD_OUT"

# --- digest-only references: ok, nothing to re-resolve ---
printf 'FROM %s/pin/base@%s\n' "$REG_HOST" "$APP_OLD" >"$RD_TMP/Dockerfile.digest"
cp "$RD_TMP/Dockerfile.digest" "$RD_TMP/Dockerfile.digest.before"
rd_rd pin --check "$RD_TMP/Dockerfile.digest"
rd_assert_rc "digest only: check ok" 0
rd_rd pin --update "$RD_TMP/Dockerfile.digest"
rd_assert_rc "digest only: --update exit 0" 0
rd_assert_eq "digest only: --update leaves it alone" same \
  "$(same_files "$RD_TMP/Dockerfile.digest" "$RD_TMP/Dockerfile.digest.before")"

# --- --platform: the platform's manifest digest ---
P="$RD_TMP/platform"
mkdir -p "$P"
# shellcheck disable=SC2016 # $BUILDPLATFORM is Dockerfile text
printf 'FROM --platform=$BUILDPLATFORM golang:1.22 AS builder\nFROM %s/pin/base:1.0\n' \
  "$REG_HOST" >"$P/Dockerfile"
rd_rd pin --platform linux/arm64 "$P/Dockerfile"
rd_assert_rc "--platform: an image without that platform: exit 3 as for any unresolved tag" 3
rd_assert_contains "--platform: a missing platform is 'not found' as in resolve" "$RD_ERR" \
  "Dockerfile:2: $REG_HOST/pin/base:1.0: not found: no linux/arm64 image"
rd_rd pin --platform linux/amd64 "$P/Dockerfile"
rd_assert_rc "--platform linux/amd64: exit 0" 0
rd_assert_contains "--platform: golang pinned to its linux/amd64 manifest" "$(<"$P/Dockerfile")" \
  "FROM --platform=\$BUILDPLATFORM golang:1.22@$GOLANG_AMD64 AS builder"
rd_rd pin --check --platform linux/amd64 "$P/Dockerfile"
rd_assert_rc "--platform: check with the same platform is ok" 0
rd_rd pin --check --platform linux/arm64 "$P/Dockerfile"
rd_assert_rc "pin --check: a missing platform exits 1 (not found, as resolve)" 1
rd_assert_contains "pin --check: a missing platform is an error row naming the platform" "$RD_OUT" \
  "platform linux/arm64 not found in the index: no linux/arm64 image"
rd_assert_not_contains "pin --check: a missing platform is no missing tag" "$RD_OUT" "missing   "
rd_rd pin --check "$P/Dockerfile"
rd_assert_rc "--platform: check without it compares the index digest: drifted" 1
# shellcheck disable=SC2016
printf 'FROM --platform=$BUILDPLATFORM golang:1.22 AS builder\n' >"$P/Dockerfile"
rd_rd pin --platform linux/arm64 "$P/Dockerfile"
rd_assert_rc "--platform linux/arm64: exit 0" 0
rd_assert_contains "--platform: golang pinned to its linux/arm64 manifest" "$(<"$P/Dockerfile")" \
  "FROM --platform=\$BUILDPLATFORM golang:1.22@$GOLANG_ARM64 AS builder"

# --- through a symlink: the target is rewritten, the link stays ---
S="$RD_TMP/symlink"
fresh "$S"
mkdir -p "$S/links"
ln -s ../k8s.yaml "$S/links/k8s.yaml"
rd_rd pin "$S/links/k8s.yaml"
rd_assert_rc "symlink: exit 0" 0
rd_assert_eq "symlink: still a link" "yes" "$([[ -L "$S/links/k8s.yaml" ]] && echo yes || echo no)"
rd_assert_contains "symlink: target pinned" "$(<"$S/k8s.yaml")" "busybox:1.36@sha256:"

# --- usage errors ---
rd_rd pin
rd_assert_rc "no FILE: exit 2" 2
rd_rd pin --check --update k8s.yaml
rd_assert_rc "--check with --update: exit 2" 2
rd_rd pin -o json k8s.yaml
rd_assert_rc "--output without --check: exit 2" 2
rd_rd pin "$RD_TMP/no-such-file"
rd_assert_rc "missing file: exit 3" 3
rd_assert_contains "missing file: named" "$RD_ERR" "no-such-file"
printf 'hello\n' >"$RD_TMP/notes.txt"
rd_rd pin "$RD_TMP/notes.txt"
rd_assert_rc "unknown kind of file: exit 3" 3
rd_assert_contains "unknown kind of file: says so" "$RD_ERR" "not a Dockerfile"
rd_rd pin --help
rd_assert_rc "help: exit 0" 0
rd_assert_contains "help: exit statuses" "$RD_OUT" "Exit status"

rd_finish
