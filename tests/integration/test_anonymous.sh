#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest resolve` against an anonymous distribution 2.8
# registry on 127.0.0.1 (plain http): every manifest kind, text and JSON
# output, tag moves, missing tags, invalid references, a closed port.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
REPO=team/app

declare -A DIGEST MEDIA_TYPE=(
  [schema2]=application/vnd.docker.distribution.manifest.v2+json
  [oci]=application/vnd.oci.image.manifest.v1+json
  [oci-index]=application/vnd.oci.image.index.v1+json
  [docker-list]=application/vnd.docker.distribution.manifest.list.v2+json
)
for kind in schema2 oci oci-index docker-list; do
  DIGEST[$kind]="$(rd_push --repo "$REPO" --tag "$kind" --kind "$kind" --seed "anon-$kind")"
done

# --- each kind: text output is the digest alone, JSON has the media type ---
for kind in schema2 oci oci-index docker-list; do
  ref="$REG_HOST/$REPO:$kind"
  rd_rd resolve "$ref"
  rd_assert_rc "resolve $kind: exit 0" 0
  rd_assert_eq "resolve $kind: stdout is the pushed digest" "${DIGEST[$kind]}" "$RD_OUT"

  rd_rd resolve -o json "$ref"
  rd_assert_rc "resolve -o json $kind: exit 0" 0
  rd_assert_eq "resolve -o json $kind: input" "$ref" "$(jq -r '.[0].input' <<<"$RD_OUT")"
  rd_assert_eq "resolve -o json $kind: reference" "$ref" "$(jq -r '.[0].reference' <<<"$RD_OUT")"
  rd_assert_eq "resolve -o json $kind: digest" "${DIGEST[$kind]}" "$(jq -r '.[0].digest' <<<"$RD_OUT")"
  rd_assert_eq "resolve -o json $kind: mediaType" "${MEDIA_TYPE[$kind]}" \
    "$(jq -r '.[0].mediaType' <<<"$RD_OUT")"
done

# --- several references in one run: "REFERENCE DIGEST" per line, in order ---
rd_rd resolve "$REG_HOST/$REPO:schema2" "$REG_HOST/$REPO:oci-index"
rd_assert_rc "resolve two refs: exit 0" 0
rd_assert_eq "resolve two refs: one 'REFERENCE DIGEST' line each" \
  "$REG_HOST/$REPO:schema2 ${DIGEST[schema2]}"$'\n'"$REG_HOST/$REPO:oci-index ${DIGEST[oci-index]}" \
  "$RD_OUT"

# --- no tag means latest; localhost is plain http as well ---
latest="$(rd_push --repo "$REPO" --tag latest --seed anon-latest)"
rd_rd resolve -o json "$REG_HOST/$REPO"
rd_assert_rc "resolve without tag: exit 0" 0
rd_assert_eq "resolve without tag: reference gets :latest" "$REG_HOST/$REPO:latest" \
  "$(jq -r '.[0].reference' <<<"$RD_OUT")"
rd_assert_eq "resolve without tag: digest of latest" "$latest" "$(jq -r '.[0].digest' <<<"$RD_OUT")"

rd_rd resolve "localhost:$REG_PORT/$REPO:oci"
rd_assert_rc "resolve via localhost:PORT: exit 0" 0
rd_assert_eq "resolve via localhost:PORT: digest" "${DIGEST[oci]}" "$RD_OUT"

# --- a moved tag resolves to the new content ---
moved="$(rd_push --repo "$REPO" --tag schema2 --kind schema2 --seed anon-moved)"
rd_assert_ne "push with another seed makes other content" "${DIGEST[schema2]}" "$moved"
rd_rd resolve "$REG_HOST/$REPO:schema2"
rd_assert_eq "resolve after the tag moved: new digest" "$moved" "$RD_OUT"

# --- resolve only HEADs manifests ---
rd_assert_eq "registry saw no GET of a manifest" "0" \
  "$(grep -cE '"GET /v2/[^ ]*/manifests/' "$REG_LOG" || true)"

# --- missing tag / missing repository: exit 3, "not found" ---
rd_rd resolve "$REG_HOST/$REPO:nope"
rd_assert_rc "missing tag: exit 3" 3
rd_assert_contains "missing tag: stderr says not found" "$RD_ERR" "not found"
rd_assert_contains "missing tag: stderr names the reference" "$RD_ERR" "$REPO:nope"
rd_assert_eq "missing tag: nothing on stdout" "" "$RD_OUT"

rd_rd resolve "$REG_HOST/no/such-repo:1"
rd_assert_rc "missing repository: exit 3" 3
rd_assert_contains "missing repository: stderr says not found" "$RD_ERR" "not found"

# --- one good and one missing reference: good one still reported, exit 3 ---
rd_rd resolve -o json "$REG_HOST/$REPO:oci" "$REG_HOST/$REPO:nope"
rd_assert_rc "good + missing (json): exit 3" 3
rd_assert_eq "good + missing (json): two results" "2" "$(jq 'length' <<<"$RD_OUT")"
rd_assert_eq "good + missing (json): first has the digest" "${DIGEST[oci]}" \
  "$(jq -r '.[0].digest' <<<"$RD_OUT")"
rd_assert_contains "good + missing (json): second has an error" \
  "$(jq -r '.[1].error // ""' <<<"$RD_OUT")" "not found"
rd_assert_eq "good + missing (json): second keeps its input" "$REG_HOST/$REPO:nope" \
  "$(jq -r '.[1].input' <<<"$RD_OUT")"

# --- invalid reference: exit 2 and no request reaches the registry ---
# (Markers before and after: once the second is logged, any request regdigest
# made would be logged too; no sleep.)
mark1="$(rd_registry_sync)"
rd_rd resolve "$REG_HOST/$REPO:oci"
mark2="$(rd_registry_sync)"
between="$(rd_registry_requests_between "$mark1" "$mark2")"
rd_assert_eq "sanity: the markers show a valid resolve's request, one line" "1" \
  "$(grep -c . <<<"$between")"
rd_assert_contains "sanity: that line is its HEAD" "$between" \
  "\"HEAD /v2/$REPO/manifests/oci HTTP/1.1\" 200 "
mark1="$(rd_registry_sync)"
rd_rd -vv resolve "$REG_HOST/UPPER:tag"
mark2="$(rd_registry_sync)"
rd_assert_rc "invalid reference: exit 2" 2
rd_assert_contains "invalid reference: stderr says why" "$RD_ERR" "invalid reference"
rd_assert_contains "invalid reference: stderr names it" "$RD_ERR" "UPPER:tag"
rd_assert_eq "invalid reference: nothing on stdout" "" "$RD_OUT"
rd_assert_eq "invalid reference: regdigest logged no request at -vv" "" \
  "$(grep -E '^regdigest: debug: [A-Z]+ https?://' <<<"$RD_ERR" || [[ $? == 1 ]])"
rd_assert_eq "invalid reference: registry saw no request" "" \
  "$(rd_registry_requests_between "$mark1" "$mark2")"

rd_rd resolve "$REG_HOST/$REPO:schema2" "$REG_HOST/UPPER:tag"
rd_assert_rc "valid + invalid reference: exit 2" 2
rd_assert_contains "valid + invalid reference: stderr says why" "$RD_ERR" "invalid reference"

# --- nothing listening: exit 3 ---
closed="$(rd_free_port)"
rd_rd resolve "127.0.0.1:$closed/$REPO:schema2"
rd_assert_rc "closed port: exit 3" 3
rd_assert_contains "closed port: stderr names the registry" "$RD_ERR" "127.0.0.1:$closed"

rd_finish
