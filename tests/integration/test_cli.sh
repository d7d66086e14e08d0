#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: the command-line contract without any server: --help for
# every command, usage errors (exit 2), `version`, and `ref -o json`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

# --- help ---
rd_rd --help
rd_assert_rc "regdigest --help: exit 0" 0
COMMANDS=(ref resolve inspect compare lock check pin record history drift ratelimit login logout
  version completion help)
for cmd in "${COMMANDS[@]}"; do
  rd_assert_contains "regdigest --help lists '$cmd'" "$RD_OUT" "$cmd"
done
for cmd in "${COMMANDS[@]}"; do
  rd_rd "$cmd" --help
  rd_assert_rc "regdigest $cmd --help: exit 0" 0
  rd_assert_contains "regdigest $cmd --help: prints its usage" "$RD_OUT" "Usage: regdigest $cmd "
done

# --- usage errors: exit 2 ---
rd_rd
rd_assert_rc "no command: exit 2" 2
rd_assert_contains "no command: says a command is required" "$RD_ERR" "a command is required"
rd_rd frobnicate
rd_assert_rc "unknown command: exit 2" 2
rd_assert_contains "unknown command: names it" "$RD_ERR" "unknown command 'frobnicate'"
rd_assert_contains "unknown command: points to help" "$RD_ERR" "Run 'regdigest help' for the list"
rd_rd resolve --no-such-flag x
rd_assert_rc "unknown option: exit 2" 2
rd_assert_contains "unknown option: names it" "$RD_ERR" "--no-such-flag"
rd_rd resolve
rd_assert_rc "resolve without references: exit 2" 2
rd_assert_contains "resolve without references: says so" "$RD_ERR" "resolve needs references"
rd_rd ref -o yaml ubuntu
rd_assert_rc "ref -o yaml (bad format): exit 2" 2
rd_assert_contains "ref -o yaml: names the formats" "$RD_ERR" "yaml not in {text,json}"
rd_rd check -o yaml
rd_assert_rc "check -o yaml (bad format): exit 2" 2
rd_assert_contains "check -o yaml: names the formats" "$RD_ERR" "yaml not in {text,json,junit,github}"

# --- invalid UTF-8 in a reference: a clean usage error in every format ---
rd_rd ref -o json $'ubuntu\xff'
rd_assert_rc "ref -o json with a Latin-1 byte: exit 2, no crash" 2
rd_assert_eq "ref -o json with a Latin-1 byte: valid JSON, byte replaced by U+FFFD" \
  "$(printf 'ubuntu\xef\xbf\xbd')" "$(jq -r '.[0].input' <<<"$RD_OUT")"
printf 'alpine\xe9:3\n' >"$RD_TMP/latin1.txt"
rd_rd resolve -o json --file "$RD_TMP/latin1.txt"
rd_assert_rc "resolve --file with a Latin-1 line: exit 2, no crash" 2
rd_assert_eq "resolve --file with a Latin-1 line: one JSON result" "1" "$(jq length <<<"$RD_OUT")"

# --- version ---
rd_rd version
rd_assert_rc "version: exit 0" 0
rd_assert_match "version: prints a version number" '[0-9]+\.[0-9]+\.[0-9]+' "$RD_OUT"

# --- ref -o json ---
D="sha256:$(printf '%064d' 0 | tr 0 a)"
rd_rd ref -o json ubuntu localhost:5000/foo/bar:1.0 "gcr.io/proj/img@$D" \
  docker.io/library/ubuntu index.docker.io/jenkins/jenkins ghcr.io/o/r
rd_assert_rc "ref -o json, all valid: exit 0" 0
rd_assert_eq "ref json: one object per input, in order" \
  "ubuntu|localhost:5000/foo/bar:1.0|gcr.io/proj/img@$D|docker.io/library/ubuntu|index.docker.io/jenkins/jenkins|ghcr.io/o/r" \
  "$(jq -r 'map(.input) | join("|")' <<<"$RD_OUT")"
rd_assert_eq "ref json: ubuntu" \
  '{"input":"ubuntu","name":"docker.io/library/ubuntu","domain":"docker.io","path":"library/ubuntu","tag":null,"digest":null,"familiar":"ubuntu"}' \
  "$(jq -c '.[0] | {input, name, domain, path, tag, digest, familiar}' <<<"$RD_OUT")"
rd_assert_eq "ref json: localhost:5000/foo/bar:1.0" \
  '{"name":"localhost:5000/foo/bar","domain":"localhost:5000","path":"foo/bar","tag":"1.0","digest":null}' \
  "$(jq -c '.[1] | {name, domain, path, tag, digest}' <<<"$RD_OUT")"
rd_assert_eq "ref json: gcr.io/proj/img@digest" \
  "{\"name\":\"gcr.io/proj/img\",\"domain\":\"gcr.io\",\"path\":\"proj/img\",\"tag\":null,\"digest\":\"$D\"}" \
  "$(jq -c '.[2] | {name, domain, path, tag, digest}' <<<"$RD_OUT")"
rd_assert_eq "ref json: familiar names" "ubuntu jenkins/jenkins ghcr.io/o/r" \
  "$(jq -r '.[3:] | map(.familiar) | join(" ")' <<<"$RD_OUT")"
rd_assert_eq "ref json: index.docker.io is normalised to docker.io" \
  "docker.io/jenkins/jenkins" "$(jq -r '.[4].name' <<<"$RD_OUT")"

rd_rd ref -o json ubuntu:22.04 Upper/Case:1 "bad ref with spaces" alpine
rd_assert_rc "ref -o json with invalid inputs: exit 2" 2
rd_assert_eq "ref json (mixed): four objects" "4" "$(jq 'length' <<<"$RD_OUT")"
rd_assert_eq "ref json (mixed): valid ones parsed" "docker.io/library/ubuntu 22.04 docker.io/library/alpine" \
  "$(jq -r '"\(.[0].name) \(.[0].tag) \(.[3].name)"' <<<"$RD_OUT")"
rd_assert_eq "ref json (mixed): invalid ones are {input, error}" \
  '[{"input":"Upper/Case:1","has_error":true,"has_name":false},{"input":"bad ref with spaces","has_error":true,"has_name":false}]' \
  "$(jq -c '.[1:3] | map({input, has_error: ((.error // "") != ""), has_name: has("name")})' <<<"$RD_OUT")"

rd_finish
