#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `lock` and `check` against a real docker-registry. Lock three
# tags (one with platform digests), `check` all ok; re-locking unchanged tags
# is byte-identical; a failing reference leaves the lock file untouched; move a
# tag -> `check` exit 1 with that entry drifted (both digests) in text, JSON,
# JUnit (xmllint) and GitHub annotations at the entry's line; `lock --update`
# rewrites only the moved digest; delete a tag -> missing; an unreachable
# registry -> error, exit 3; corrupt and version-99 lock files -> one clear
# line, exit 3, bytes unchanged; `lock --from` a Dockerfile; `check` of pinned
# references (arguments, a list as `resolve` prints it, stdin with invalid
# lines reported at their line).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
work="$RD_TMP/work"
mkdir -p "$work"
cd "$work"
lock="$work/regdigest.lock"
entry() { jq -r --arg r "$1" ".entries[] | select(.reference == \$r) | .$2" "$lock"; }
line_of() { grep -n "\"reference\": \"$1\"" "$lock" | cut -d: -f1; }
# same_bytes DESC FILE COPY: FILE is byte-identical to COPY.
same_bytes() {
  if cmp -s "$2" "$3"; then rd_pass "$1"; else rd_fail "$1" "$(diff "$3" "$2" || true)"; fi
}
state_of() { jq -r --arg r "$1" '.results[] | select(.reference == $r) | .state' <<<"$RD_OUT"; }

one="$REG_HOST/app/one:v1"
two="$REG_HOST/app/two:v1"
three="$REG_HOST/app/three:latest"
one_digest="$(rd_push --repo app/one --tag v1 --kind oci-index --seed one-1)"
two_digest="$(rd_push --repo app/two --tag v1 --kind schema2 --seed two-1)"
three_digest="$(rd_push --repo app/three --tag latest --kind oci --seed three-1)"
one_arm64="$(rd_manifest app/one v1 | jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest')"

# --- lock three references; one records its linux/arm64 manifest too ---
rd_rd lock "$one" --platform linux/arm64
rd_assert_rc "lock with --platform: exit 0" 0
rd_assert_eq "lock: one line per entry, platform indented" \
  "added $one $one_digest"$'\n'"  linux/arm64 $one_arm64" "$RD_OUT"
rd_rd lock "$REG_HOST/app/two:v1" "$REG_HOST/app/three"
rd_assert_rc "lock two more: exit 0" 0
rd_assert_eq "lock: tag defaults to latest, canonical references" \
  "added $two $two_digest"$'\n'"added $three $three_digest" "$RD_OUT"
rd_assert_eq "lock file: version 1" "1" "$(jq -r .version "$lock")"
rd_assert_eq "lock file: entries sorted by reference" "$one $three $two" \
  "$(jq -r '[.entries[].reference] | join(" ")' "$lock")"
rd_assert_eq "lock file: digests" "$one_digest $two_digest $three_digest" \
  "$(entry "$one" digest) $(entry "$two" digest) $(entry "$three" digest)"
rd_assert_eq "lock file: mediaType" "application/vnd.oci.image.index.v1+json" \
  "$(entry "$one" mediaType)"
rd_assert_eq "lock file: platform digest kept by the second lock" "$one_arm64" \
  "$(entry "$one" 'platforms["linux/arm64"]')"
rd_assert_match "lock file: resolvedAt is RFC 3339 UTC" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' \
  "$(entry "$two" resolvedAt)"
rd_assert_eq "lock file: 2-space indent, key order" \
  '{|  "version": 1,|  "entries": [|    {|      "reference": "'"$one"'",' \
  "$(head -5 "$lock" | paste -sd'|')"
rd_assert_eq "lock file: ends with a newline" "" "$(tail -c1 "$lock")"

# --- check: all ok ---
rd_rd check
rd_assert_rc "check, nothing moved: exit 0" 0
rd_assert_contains "check text: summary" "$RD_OUT" "3 checked: 3 ok, 0 drifted, 0 missing"
rd_rd check --output json --file "$lock" --concurrency 2
rd_assert_rc "check json: exit 0" 0
rd_assert_eq "check json: every entry ok" "ok ok ok" \
  "$(state_of "$one") $(state_of "$two") $(state_of "$three")"

# --- re-locking unchanged tags leaves the file byte-identical ---
cp "$lock" "$RD_TMP/lock.first"
sleep 1.1  # the clock moves on: resolvedAt of unchanged entries must not
rd_rd lock "$one" "$two" "$three"
rd_assert_rc "re-lock: exit 0" 0
rd_assert_contains "re-lock: unchanged" "$RD_OUT" "unchanged $two $two_digest"
same_bytes "re-lock without change: byte-identical file" "$lock" "$RD_TMP/lock.first"
rd_assert_eq "re-lock kept the arm64 digest without --platform" "$one_arm64" \
  "$(entry "$one" 'platforms["linux/arm64"]')"

# --- a failing reference: nothing written, one error line per failure ---
rd_rd lock "$REG_HOST/app/nope:v1" "$REG_HOST/app/gone:v2" "$two"
rd_assert_rc "lock with unresolvable references: exit 3" 3
rd_assert_contains "lock failure: names app/nope" "$RD_ERR" "regdigest: not found: $REG_HOST/app/nope:v1"
rd_assert_contains "lock failure: names app/gone" "$RD_ERR" "$REG_HOST/app/gone:v2"
rd_assert_contains "lock failure: says the file was not written" "$RD_ERR" \
  "regdigest.lock not written: 2 of 3 references could not be resolved"
rd_assert_eq "lock failure: 3 error lines" "3" "$(grep -c '^regdigest: ' <<<"$RD_ERR")"
same_bytes "lock failure: file byte-identical" "$lock" "$RD_TMP/lock.first"
rd_rd lock "$one" --platform linux/s390x
rd_assert_rc "lock with a platform the image lacks: exit 3" 3
rd_assert_contains "missing platform: names what exists" "$RD_ERR" "no linux/s390x image"
same_bytes "missing platform: file byte-identical" "$lock" "$RD_TMP/lock.first"
rd_rd lock "Bad:Ref" "$two"
rd_assert_rc "lock with an invalid reference: exit 2" 2
rd_assert_contains "invalid reference: says why" "$RD_ERR" "must be lowercase"
same_bytes "invalid reference: file byte-identical" "$lock" "$RD_TMP/lock.first"
rd_rd lock
rd_assert_rc "lock without references: exit 2" 2

# --- move one tag: drifted, with both digests, in every format ---
two_new="$(rd_push --repo app/two --tag v1 --kind schema2 --seed two-2)"
rd_assert_ne "pushed new content to app/two:v1" "$two_digest" "$two_new"
rd_rd check
rd_assert_rc "check after a tag move: exit 1" 1
rd_assert_match "check text: drifted old -> new" \
  "drifted +$two +$two_digest -> $two_new" "$RD_OUT"
rd_assert_match "check text: others ok" "ok +$one " "$RD_OUT"
rd_rd check -o json
rd_assert_rc "check json after a tag move: exit 1" 1
rd_assert_eq "check json: states" "ok drifted ok" \
  "$(state_of "$one") $(state_of "$two") $(state_of "$three")"
rd_assert_eq "check json: expected and current digests" "$two_digest $two_new" \
  "$(jq -r --arg r "$two" '.results[] | select(.reference == $r) | "\(.expected) \(.current)"' <<<"$RD_OUT")"
rd_assert_eq "check json: line of the entry in the lock file" "$(line_of "$two")" \
  "$(jq -r --arg r "$two" '.results[] | select(.reference == $r) | .line' <<<"$RD_OUT")"
rd_rd check --output junit
rd_assert_rc "check junit: exit 1" 1
printf '%s\n' "$RD_OUT" >"$RD_TMP/junit.xml"
if xmllint --noout "$RD_TMP/junit.xml" 2>"$RD_TMP/xmllint.err"; then
  rd_pass "check junit: xmllint validates"
else
  rd_fail "check junit: xmllint validates" "$(<"$RD_TMP/xmllint.err")"
fi
rd_assert_eq "check junit: 3 testcases, 1 failure" "3 1" \
  "$(xmllint --xpath 'concat(count(//testcase), " ", count(//testcase/failure))' "$RD_TMP/junit.xml")"
rd_assert_contains "check junit: failure names both digests" \
  "$(xmllint --xpath 'string(//testcase/failure/@message)' "$RD_TMP/junit.xml")" "$two_digest -> $two_new"
rd_rd check --output github
rd_assert_rc "check github: exit 1" 1
rd_assert_match "check github: ::error at the entry's line" \
  "::error file=regdigest\.lock,line=$(line_of "$two")[,:][^$'\n']*$two_digest -> $two_new" "$RD_OUT"
same_bytes "check never writes the lock file" "$lock" "$RD_TMP/lock.first"

# --- lock --update re-resolves every entry: only the moved digest changes ---
one_resolved="$(entry "$one" resolvedAt)"
sleep 1.1
rd_rd lock --update
rd_assert_rc "lock --update: exit 0" 0
rd_assert_contains "lock --update: reports the update" "$RD_OUT" "updated $two $two_new"
rd_assert_contains "lock --update: reports unchanged" "$RD_OUT" "unchanged $three $three_digest"
rd_assert_eq "lock --update: new digest written" "$two_new" "$(entry "$two" digest)"
rd_assert_eq "lock --update: platform digest re-resolved and kept" "$one_arm64" \
  "$(entry "$one" 'platforms["linux/arm64"]')"
rd_assert_eq "lock --update: unchanged entry keeps resolvedAt" "$one_resolved" \
  "$(entry "$one" resolvedAt)"
rd_assert_eq "lock --update: only the moved entry's lines changed" "2" \
  "$(diff "$RD_TMP/lock.first" "$lock" | grep -c '^>')"
rd_rd check
rd_assert_rc "check after lock --update: exit 0" 0

# --- delete a tag (registry API, storage.delete enabled): missing ---
curl -sf -X DELETE "$REG_URL/v2/app/three/manifests/$three_digest" >/dev/null
rd_rd check -o json
rd_assert_rc "check after a tag is deleted: exit 1" 1
rd_assert_eq "check json: deleted tag is missing, others ok" "ok ok missing" \
  "$(state_of "$one") $(state_of "$two") $(state_of "$three")"
rd_rd check
rd_assert_match "check text: missing line" "missing +$three" "$RD_OUT"

# --- an unreachable registry is an error, and errors win: exit 3 ---
dead_port="$(rd_free_port)"
jq --arg r "127.0.0.1:$dead_port/app/x:v1" --arg d "$two_digest" \
  '.entries += [{reference: $r, digest: $d, mediaType: "application/vnd.oci.image.manifest.v1+json", resolvedAt: "2026-01-01T00:00:00Z"}]' \
  "$lock" >"$work/with-dead.lock"
rd_rd check --file "$work/with-dead.lock" -o json
rd_assert_rc "check with an unreachable registry: exit 3" 3
rd_assert_eq "check json: error state for it" "error" "$(state_of "127.0.0.1:$dead_port/app/x:v1")"
rd_rd check --file "$work/with-dead.lock" -o junit
printf '%s\n' "$RD_OUT" >"$RD_TMP/junit2.xml"
if xmllint --noout "$RD_TMP/junit2.xml"; then
  rd_pass "check junit with an error: valid XML"
else
  rd_fail "check junit with an error: valid XML"
fi
rd_assert_eq "check junit: one <error>" "1" "$(xmllint --xpath 'count(//testcase/error)' "$RD_TMP/junit2.xml")"

# --- corrupt and too-new lock files: one clear line, exit 3, bytes unchanged ---
printf '{\n  "version": 1,\n  "entries": [\n    {"reference": "%s"\n' "$one" >"$work/corrupt.lock"
printf '{"version": 99, "entries": [], "future": {"x": 1}}\n' >"$work/v99.lock"
printf '{"version": 1, "entries": [{"reference": "%s", "digest": "sha256:12"}]}\n' "$one" \
  >"$work/baddigest.lock"
for name in corrupt v99 baddigest; do
  f="$work/$name.lock"
  cp "$f" "$RD_TMP/$name.before"
  rd_rd check --file "$f"
  rd_assert_rc "check $name lock file: exit 3" 3
  rd_assert_eq "check $name lock file: one error line" "1" "$(wc -l <<<"$RD_ERR" | tr -d ' ')"
  rd_assert_contains "check $name lock file: names the file" "$RD_ERR" "regdigest: $f: "
  rd_rd lock --file "$f" "$two"
  rd_assert_rc "lock into $name lock file: exit 3" 3
  rd_assert_contains "lock into $name lock file: not modified" "$RD_ERR" "(not modified)"
  rd_rd lock --update --file "$f"
  rd_assert_rc "lock --update of $name lock file: exit 3" 3
  same_bytes "$name lock file: bytes unchanged" "$f" "$RD_TMP/$name.before"
done
rd_rd check --file "$work/corrupt.lock"
rd_assert_contains "corrupt: says where" "$RD_ERR" "not valid JSON: parse error at line 5"
rd_rd check --file "$work/v99.lock"
rd_assert_eq "version 99: clear message" \
  "regdigest: $work/v99.lock: lock file version 99 is newer than this regdigest supports (1); upgrade regdigest" \
  "$RD_ERR"
rd_rd check --file "$work/baddigest.lock"
rd_assert_contains "bad digest: says which entry and field" "$RD_ERR" "entry 1 (line 1): digest: "
rd_rd check --file "$work/absent.lock"
rd_assert_rc "check of a missing lock file: exit 3" 3
rd_assert_contains "missing lock file: says so" "$RD_ERR" "absent.lock: no such lock file"
rd_assert_eq "check does not create a lock file" "absent" \
  "$([[ -e "$work/absent.lock" ]] && echo present || echo absent)"

# --- lock --from a Dockerfile: stages, scratch and ${ARG} are skipped ---
cat >"$work/Dockerfile" <<EOF
ARG BASE=$one
FROM --platform=linux/amd64 $two@$two_digest AS build
FROM \${BASE} AS other
FROM build
FROM scratch
COPY --from=build /x /x
EOF
rd_rd lock --from "$work/Dockerfile" --file "$work/from.lock" -o json
rd_assert_rc "lock --from Dockerfile: exit 0" 0
rd_assert_eq "lock --from: the tag is locked, its pinned digest ignored" "$two $two_new" \
  "$(jq -r '.entries[] | "\(.reference) \(.digest)"' "$work/from.lock")"
rd_assert_eq "lock --from json: change and written" "added true" \
  "$(jq -r '"\(.entries[0].change) \(.written)"' <<<"$RD_OUT")"
rd_assert_contains "lock --from: skipped scratch with its line" "$RD_ERR" "Dockerfile:5: scratch"
rd_assert_contains "lock --from: skipped \${BASE}" "$RD_ERR" "Dockerfile:3: "
printf 'FROM %s/app/nope:v1\n' "$REG_HOST" >"$work/Dockerfile.bad"
rd_rd lock --from "$work/Dockerfile.bad" --file "$work/from.lock"
rd_assert_rc "lock --from with a missing image: exit 3" 3
rd_assert_contains "lock --from failure: file and line" "$RD_ERR" "Dockerfile.bad:1: not found"

# --- check pinned references: arguments, a list (what resolve prints), stdin ---
rd_rd resolve "$one" "$two"
rd_assert_rc "resolve two tags for a pinned list: exit 0" 0
printf '# pinned by regdigest resolve\n%s\n\n' "$RD_OUT" >"$work/pinned.txt"
rd_rd check --file "$work/pinned.txt" -o json
rd_assert_rc "check --file with resolve's output: exit 0" 0
rd_assert_eq "check --file list: both ok, with file and line" \
  "$one ok pinned.txt:2"$'\n'"$two ok pinned.txt:3" \
  "$(jq -r '.results[] | "\(.reference) \(.state) \(.file | split("/") | last):\(.line)"' <<<"$RD_OUT")"
rd_rd check "$two@$two_digest" "$one@$one_digest"
rd_assert_rc "check REF@DIGEST arguments, one moved: exit 1" 1
rd_assert_contains "check arguments: the moved tag shows old -> new" "$RD_OUT" \
  "$two_digest -> $two_new"
rd_rd check "$two@$two_digest" -o json
rd_assert_eq "check argument json: drifted, expected and current" \
  "drifted $two_digest $two_new" "$(jq -r '.results[0] | "\(.state) \(.expected) \(.current)"' <<<"$RD_OUT")"
gone="sha256:$(printf '0%.0s' {1..64})"
pinned_stdin="$(printf '%s\n' \
  "$two@$two_new" \
  "# a comment" \
  "$two $two_new" \
  "$two" \
  "$REG_HOST/Bad_Repo:x@$two_new" \
  "$REG_HOST/app/two@$two_new" \
  "$REG_HOST/app/two@$gone" \
  "$two@$two_new $two_digest" \
  "$two sha256:12")"
rd_run_stdin "$pinned_stdin"$'\n' "$RD_BIN" check --file - -o json
rd_assert_rc "check --file - with invalid lines: exit 3 (they could not be checked)" 3
rd_assert_eq "check --file -: one row per line, in order, with its line number" \
  "1 ok|3 ok|4 error|5 error|6 ok|7 missing|8 error|9 error" \
  "$(jq -r '[.results[] | "\(.line) \(.state)"] | join("|")' <<<"$RD_OUT")"
rd_assert_eq "check --file -: rows name stdin" "stdin" \
  "$(jq -r '[.results[].file] | unique | join(",")' <<<"$RD_OUT")"
rd_assert_contains "check --file -: a tag without a digest says what to write" \
  "$(jq -r '.results[2].message' <<<"$RD_OUT")" "no digest to check against"
rd_assert_contains "check --file -: an invalid reference says why" \
  "$(jq -r '.results[3].message' <<<"$RD_OUT")" "must be lowercase"
rd_assert_eq "check --file -: a digest alone is named with it" "$REG_HOST/app/two@$two_new" \
  "$(jq -r '.results[4].reference' <<<"$RD_OUT")"
rd_assert_contains "check --file -: two different digests refused" \
  "$(jq -r '.results[6].message' <<<"$RD_OUT")" "two different digests"
rd_assert_contains "check --file -: a bad digest refused" \
  "$(jq -r '.results[7].message' <<<"$RD_OUT")" "invalid digest"
rd_run_stdin "$pinned_stdin"$'\n' "$RD_BIN" check --file - -o github
rd_assert_contains "check --file - github: an annotation at the line" "$RD_OUT" "file=stdin,line=4"
rd_rd check "$two@$two_new" --files "$work/Dockerfile"
rd_assert_rc "check with both --files and references: usage, exit 2" 2

rd_finish
