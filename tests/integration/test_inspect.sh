#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest inspect` and `resolve --platform` against a REAL
# docker-registry: single manifests (Docker schema 2, OCI), an OCI index with
# BuildKit-style attestation manifests, a Docker manifest list, --platform
# selection, by-digest references, errors. Every expected value is computed
# here from the bytes the registry serves. The last part pulls the index into
# a REAL dockerd and checks that `inspect --platform local` names the image ID
# docker shows (skipped locally without dockerd, a failure in CI).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
# shellcheck source=../lib/engine.sh
source "$HERE/../lib/engine.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
R="$REG_HOST"
MT_S2=application/vnd.docker.distribution.manifest.v2+json
MT_LIST=application/vnd.docker.distribution.manifest.list.v2+json
MT_OCI=application/vnd.oci.image.manifest.v1+json
MT_INDEX=application/vnd.oci.image.index.v1+json

inspect_json() {
  rd_rd inspect -o json "$@"
  RD_ENTRY="$(jq -c 'if type == "array" then .[0] else . end' <<<"$RD_OUT" 2>/dev/null || true)"
}
# field JQ: a value of the entry ("null" when null, "" when unreadable).
field() { jq -r "$1 | if . == null then \"null\" else tostring end" <<<"$RD_ENTRY" 2>/dev/null || true; }
# Attestations as a number, whether the output gives a count or a list.
attestations() { field '.attestations | if type == "array" then length else . end'; }
# platform_field PLATFORM JQ: JQ applied to that platform's entry.
platform_field() {
  field "[.platforms[] | select((.platform | sub(\"/v8$\"; \"\")) == \"$1\")] | first | $2"
}
# expected REPO DIGEST: "digest mediaType configDigest size layers layersSize
# created" of one image manifest, from the registry's bytes.
expected() {
  local body config_digest
  body="$(rd_manifest "$1" "$2")"
  config_digest="$(jq -r .config.digest <<<"$body")"
  printf '%s %s %s %s %s %s %s' "$2" "$(jq -r .mediaType <<<"$body")" "$config_digest" \
    "$(rd_manifest "$1" "$2" | wc -c)" "$(jq '.layers | length' <<<"$body")" \
    "$(jq '[.layers[].size] | add' <<<"$body")" \
    "$(curl -sf "$REG_URL/v2/$1/blobs/$config_digest" | jq -r .created)"
}
actual() {
  platform_field "$1" '[.digest, .mediaType, .configDigest, .size, .layers, .layersSize, .created] | map(tostring) | join(" ")'
}

# ---------------------------------------------------------------------------
# Single manifests: Docker schema 2 and OCI
for kind in schema2 oci; do
  d="$(rd_push --repo single/"$kind" --tag v1 --kind "$kind" --seed "inspect-$kind")"
  want="$(expected single/"$kind" "$d")"
  config="$(rd_manifest single/"$kind" v1 | jq -r .config.digest)"
  inspect_json "$R/single/$kind:v1"
  rd_assert_rc "$kind: inspect exit 0" 0
  rd_assert_eq "$kind: reference" "$R/single/$kind:v1" "$(field .reference)"
  rd_assert_eq "$kind: digest" "$d" "$(field .digest)"
  rd_assert_eq "$kind: mediaType" "$([[ $kind == oci ]] && echo "$MT_OCI" || echo "$MT_S2")" \
    "$(field .mediaType)"
  rd_assert_eq "$kind: top-level configDigest (the image ID docker shows)" "$config" \
    "$(field .configDigest)"
  rd_assert_eq "$kind: one platform, linux/amd64 from the config" "linux/amd64" \
    "$(field '[.platforms[].platform] | join(" ")')"
  rd_assert_eq "$kind: platform entry: digest mediaType configDigest size layers layersSize created" \
    "$want" "$(actual linux/amd64)"
  rd_assert_eq "$kind: no attestations" 0 "$(attestations)"
done

# ---------------------------------------------------------------------------
# OCI index with attestation manifests (unknown/unknown, vnd.docker.reference.*)
mapfile -t idx < <(rd_push --repo multi/oci --tag v1 --kind oci-index --seed inspect-idx \
  --attestations --print-children)
INDEX="${idx[0]}" AMD64="" ARM64=""
for line in "${idx[@]:1}"; do
  case "$line" in
    *" linux/amd64") AMD64="${line%% *}" ;;
    *" linux/arm64") ARM64="${line%% *}" ;;
  esac
done
rd_assert_eq "fixture: the index has 2 platforms + 2 attestation manifests" 4 \
  "$(rd_manifest multi/oci v1 | jq '.manifests | length')"
inspect_json "$R/multi/oci:v1"
rd_assert_rc "oci index: inspect exit 0" 0
rd_assert_eq "oci index: digest" "$INDEX" "$(field .digest)"
rd_assert_eq "oci index: mediaType" "$MT_INDEX" "$(field .mediaType)"
rd_assert_eq "oci index: two platforms, attestations left out" "linux/amd64 linux/arm64" \
  "$(field '[.platforms[].platform | sub("/v8$"; "")] | sort | join(" ")')"
rd_assert_eq "oci index: attestations counted" 2 "$(attestations)"
rd_assert_eq "oci index: no top-level configDigest" null "$(field .configDigest)"
rd_assert_eq "oci index: linux/amd64 entry" "$(expected multi/oci "$AMD64")" "$(actual linux/amd64)"
rd_assert_eq "oci index: linux/arm64 entry" "$(expected multi/oci "$ARM64")" "$(actual linux/arm64)"

rd_rd inspect "$R/multi/oci:v1"
rd_assert_rc "oci index, text: exit 0" 0
text="$RD_OUT"
rd_assert_contains "text: the index digest" "$text" "$INDEX"
rd_assert_contains "text: the amd64 manifest digest" "$text" "$AMD64"
rd_assert_contains "text: the arm64 manifest digest" "$text" "$ARM64"
for p in linux/amd64 linux/arm64; do
  cfg="$(platform_field "$p" .configDigest)"
  rd_assert_contains "text: $p short image ID ${cfg:7:12}" "$text" "${cfg:7:12}"
done
rd_assert_contains "text: says attestation manifests exist" "$text" "attestation"

# ---------------------------------------------------------------------------
# Docker manifest list
mapfile -t lst < <(rd_push --repo multi/list --tag v1 --kind docker-list --seed inspect-list \
  --print-children)
inspect_json "$R/multi/list:v1"
rd_assert_rc "manifest list: inspect exit 0" 0
rd_assert_eq "manifest list: digest and mediaType" "${lst[0]} $MT_LIST" \
  "$(field '[.digest, .mediaType] | join(" ")')"
rd_assert_eq "manifest list: platform manifests are schema 2" "$MT_S2 $MT_S2" \
  "$(field '[.platforms[].mediaType] | join(" ")')"
rd_assert_eq "manifest list: no attestations" 0 "$(attestations)"
rd_assert_eq "manifest list: arm64 entry" "$(expected multi/list "${lst[2]%% *}")" \
  "$(actual linux/arm64)"

# ---------------------------------------------------------------------------
# --platform
inspect_json --platform linux/arm64 "$R/multi/oci:v1"
rd_assert_rc "inspect --platform linux/arm64: exit 0" 0
rd_assert_eq "inspect --platform linux/arm64: only that platform" "$ARM64" \
  "$(field '[.platforms[].digest] | join(" ")')"
rd_assert_eq "inspect --platform linux/arm64: still the index digest" "$INDEX" "$(field .digest)"
inspect_json --platform linux/arm64/v8 "$R/multi/oci:v1"
rd_assert_eq "inspect --platform linux/arm64/v8 matches the arm64 entry (v8 implied)" "$ARM64" \
  "$(field '[.platforms[].digest] | join(" ")')"
rd_rd inspect --platform linux/s390x "$R/multi/oci:v1"
rd_assert_rc "inspect --platform linux/s390x (not in the index): exit 3" 3
rd_assert_contains "not in the index: names what is available" "$RD_ERR" "linux/amd64"
rd_rd inspect --platform linux "$R/multi/oci:v1"
rd_assert_rc "inspect --platform linux (malformed): usage error, exit 2" 2

rd_rd resolve --platform linux/arm64 "$R/multi/oci:v1"
rd_assert_rc "resolve --platform linux/arm64: exit 0" 0
rd_assert_eq "resolve --platform linux/arm64: the arm64 manifest digest" "$ARM64" "$RD_OUT"
rd_rd resolve --platform linux/amd64 -o json "$R/multi/oci:v1"
rd_assert_eq "resolve --platform -o json: digest, platform, platformDigest" \
  "$INDEX linux/amd64 $AMD64" \
  "$(jq -r '.[0] | [.digest, .platform, .platformDigest] | join(" ")' <<<"$RD_OUT" 2>/dev/null)"
rd_rd resolve --platform linux/arm64 "$R/multi/list:v1"
rd_assert_eq "resolve --platform on a manifest list" "${lst[2]%% *}" "$RD_OUT"

# ---------------------------------------------------------------------------
# By digest, and what is not there
inspect_json "$R/multi/oci@$INDEX"
rd_assert_rc "inspect by index digest: exit 0" 0
rd_assert_eq "inspect by index digest: same digest, two platforms" "$INDEX 2" \
  "$(field '[.digest, (.platforms | length)] | map(tostring) | join(" ")')"
inspect_json "$R/multi/oci@$ARM64"
rd_assert_rc "inspect by platform manifest digest: exit 0" 0
rd_assert_eq "inspect by platform manifest digest: a single manifest of linux/arm64" \
  "$ARM64 $(rd_manifest multi/oci "$ARM64" | jq -r .config.digest)" \
  "$(field '[.digest, .configDigest] | join(" ")')"
rd_rd inspect "$R/multi/oci:no-such-tag"
rd_assert_rc "inspect of a missing tag: exit 3" 3
rd_assert_contains "missing tag: says not found" "$RD_ERR" "not found"
rd_rd inspect "$R/Upper/case"
rd_assert_rc "inspect of an invalid reference: exit 2" 2

# ---------------------------------------------------------------------------
# With a real engine: the image ID docker shows is inspect's configDigest
if RD_DOCKERD_OPTIONAL=1 rd_start_dockerd; then
  arch="$(rd_docker version --format '{{.Server.Arch}}')"
  rd_docker pull -q "$R/multi/oci:v1" >/dev/null
  id="$(rd_image_id "$R/multi/oci:v1")"
  inspect_json --platform local "$R/multi/oci:v1"
  rd_assert_rc "inspect --platform local: exit 0" 0
  rd_assert_eq "inspect --platform local: the engine's platform only" "linux/$arch" \
    "$(field '[.platforms[].platform | sub("/v8$"; "")] | join(" ")')"
  rd_assert_eq "inspect --platform local: configDigest = the image ID docker shows" "$id" \
    "$(field '.platforms[0].configDigest')"
  rd_assert_eq "docker images IMAGE ID = the 12-character form of that config digest" "${id:7:12}" \
    "$(rd_docker images --format '{{.ID}}' "$R/multi/oci:v1")"
  rd_rd inspect --platform local "$R/multi/oci:v1"
  rd_assert_contains "inspect --platform local, text: shows the image ID" "$RD_OUT" "${id:7:12}"
else
  rd_skip_part "engine part: dockerd could not start ($RD_DOCKERD_ERROR)"
fi

rd_finish
