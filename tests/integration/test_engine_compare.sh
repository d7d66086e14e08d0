#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest compare` (and inspect/resolve --platform where they
# meet the engine) against a REAL dockerd and a REAL docker-registry, both
# started here. Images are made offline (`docker import` of a tiny rootfs, or
# hand-built manifests from push_image.py), pushed, pulled by tag, then the
# tag is moved, images are left unpulled or built locally:
#   match (repoDigest, configDigest rules), stale, absent, unknown, --all,
#   --host / DOCKER_HOST, a missing socket (exit 3).
# Without a usable dockerd this test SKIPs locally and FAILS in CI (CI=true).
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
rd_start_dockerd
R="$REG_HOST"
ENGINE_ARCH="$(rd_docker version --format '{{.Server.Arch}}')"
echo "engine: dockerd $(rd_docker version --format '{{.Server.Version}}') $ENGINE_ARCH," \
  "socket $DOCKERD_SOCK; registry $REG_URL"

# The compare entry for one reference: `compare -o json REF` (one entry).
compare_json() {
  rd_rd compare -o json "$1"
  RD_ENTRY="$(jq -c 'if type == "array" then .[0] else . end' <<<"$RD_OUT" 2>/dev/null || true)"
}
# field JQ: a value of that entry ("null" when null, "" when unreadable).
field() { jq -r "$1 | if . == null then \"null\" else tostring end" <<<"$RD_ENTRY" 2>/dev/null || true; }
inspect_json() {
  rd_rd inspect -o json "$@"
  RD_ENTRY="$(jq -c 'if type == "array" then .[0] else . end' <<<"$RD_OUT" 2>/dev/null || true)"
}

# ---------------------------------------------------------------------------
# 1. single-arch: docker import -> push -> rmi -> pull by tag -> match by repoDigest
SINGLE="$R/single/app:v1"
imported_id="$(rd_import_image "$SINGLE" single-1)"
rd_docker push -q "$SINGLE" >/dev/null
rd_docker rmi "$SINGLE" >/dev/null
rd_docker pull -q "$SINGLE" >/dev/null
single_digest="$(rd_manifest_digest single/app v1)"
single_config="$(rd_manifest single/app v1 | jq -r .config.digest)"
single_id="$(rd_image_id "$SINGLE")"
rd_assert_eq "engine: pulled image keeps the imported ID" "$imported_id" "$single_id"
rd_assert_eq "engine: RepoDigests = the manifest digest the registry serves" \
  "$R/single/app@$single_digest" "$(rd_repo_digests "$SINGLE")"
rd_assert_eq "engine: image ID = the manifest's config digest (classic store)" \
  "$single_config" "$single_id"

compare_json "$SINGLE"
rd_assert_rc "single-arch pulled by tag: compare exit 0" 0
rd_assert_eq "single-arch: status match" match "$(field .status)"
rd_assert_eq "single-arch: rule repoDigest" repoDigest "$(field .rule)"
rd_assert_eq "single-arch: registry.digest" "$single_digest" "$(field .registry.digest)"
rd_assert_eq "single-arch: registry.mediaType" \
  application/vnd.docker.distribution.manifest.v2+json "$(field .registry.mediaType)"
rd_assert_eq "single-arch: local.id" "$single_id" "$(field .local.id)"
rd_assert_eq "single-arch: local.repoDigests" "$R/single/app@$single_digest" \
  "$(field '.local.repoDigests | join(" ")')"
rd_assert_eq "single-arch: local.store classic (dockerd 20.10)" classic "$(field .local.store)"
rd_assert_ne "single-arch: an explanation" "null" "$(field .explanation)"

inspect_json "$SINGLE"
rd_assert_rc "single-arch: inspect exit 0" 0
rd_assert_eq "single-arch: inspect configDigest = local image ID" "$single_id" "$(field .configDigest)"
rd_assert_eq "single-arch: inspect digest = RepoDigests digest" "$single_digest" "$(field .digest)"

rd_rd compare "$SINGLE"
rd_assert_rc "single-arch: text compare exit 0" 0
rd_assert_contains "single-arch: text says match" "$RD_OUT" "match"
rd_assert_contains "single-arch: text shows the registry digest (at least its short form)" \
  "$RD_OUT" "${single_digest:7:12}"
rd_assert_contains "single-arch: text shows the image ID (at least its short form)" \
  "$RD_OUT" "${single_id:7:12}"

# ---------------------------------------------------------------------------
# 2. multi-arch index (linux/amd64 + linux/arm64) pulled on this engine
mapfile -t idx < <(rd_push --repo multi/app --tag v1 --kind oci-index --seed multi-1 --print-children)
MULTI="$R/multi/app:v1"
multi_digest="${idx[0]}"
amd64_digest="" arm64_digest=""
for line in "${idx[@]:1}"; do
  case "$line" in
    *" linux/amd64") amd64_digest="${line%% *}" ;;
    *" linux/arm64") arm64_digest="${line%% *}" ;;
  esac
done
case "$ENGINE_ARCH" in
  amd64) own_digest="$amd64_digest" other_digest="$arm64_digest" other=linux/arm64 ;;
  arm64) own_digest="$arm64_digest" other_digest="$amd64_digest" other=linux/amd64 ;;
  *) rd_die "engine architecture $ENGINE_ARCH: the test index has only amd64 and arm64" ;;
esac
rd_docker pull -q "$MULTI" >/dev/null
multi_id="$(rd_image_id "$MULTI")"
own_config="$(rd_manifest multi/app "$own_digest" | jq -r .config.digest)"
other_config="$(rd_manifest multi/app "$other_digest" | jq -r .config.digest)"
rd_assert_eq "engine: index pulled, RepoDigests = the index digest" \
  "$R/multi/app@$multi_digest" "$(rd_repo_digests "$MULTI")"
rd_assert_eq "engine: image ID = config of the linux/$ENGINE_ARCH manifest" "$own_config" "$multi_id"

compare_json "$MULTI"
rd_assert_rc "multi-arch: compare exit 0" 0
rd_assert_eq "multi-arch: status match" match "$(field .status)"
rd_assert_eq "multi-arch: rule repoDigest" repoDigest "$(field .rule)"
rd_assert_eq "multi-arch: registry.digest is the index" "$multi_digest" "$(field .registry.digest)"
rd_assert_eq "multi-arch: registry.mediaType" application/vnd.oci.image.index.v1+json \
  "$(field .registry.mediaType)"
rd_assert_eq "multi-arch: local.id" "$multi_id" "$(field .local.id)"

inspect_json "$MULTI"
rd_assert_rc "multi-arch: inspect exit 0" 0
rd_assert_eq "multi-arch: inspect digest = index digest" "$multi_digest" "$(field .digest)"
rd_assert_eq "multi-arch: inspect lists both platforms" "linux/amd64 linux/arm64" \
  "$(field '[.platforms[].platform | sub("/v8$"; "")] | sort | join(" ")')"
rd_assert_eq "multi-arch: inspect, linux/$ENGINE_ARCH manifest digest" "$own_digest" \
  "$(field "[.platforms[] | select(.platform | startswith(\"linux/$ENGINE_ARCH\")) | .digest] | first")"
rd_assert_eq "multi-arch: inspect, linux/$ENGINE_ARCH configDigest = local image ID" "$multi_id" \
  "$(field "[.platforms[] | select(.platform | startswith(\"linux/$ENGINE_ARCH\")) | .configDigest] | first")"
rd_assert_eq "multi-arch: inspect, $other configDigest" "$other_config" \
  "$(field "[.platforms[] | select(.platform | startswith(\"$other\")) | .configDigest] | first")"

rd_rd resolve --platform linux/arm64 "$MULTI"
rd_assert_rc "resolve --platform linux/arm64: exit 0" 0
rd_assert_eq "resolve --platform linux/arm64: the arm64 manifest digest" "$arm64_digest" "$RD_OUT"
rd_rd resolve -o json --platform linux/arm64 "$MULTI"
rd_assert_rc "resolve -o json --platform linux/arm64: exit 0" 0
rd_assert_eq "resolve -o json --platform: digest, platform, platformDigest" \
  "$multi_digest linux/arm64 $arm64_digest" \
  "$(jq -r '.[0] | [.digest, (.platform | sub("/v8$"; "")), .platformDigest] | join(" ")' <<<"$RD_OUT")"
rd_rd resolve --platform local "$MULTI"
rd_assert_rc "resolve --platform local: exit 0" 0
rd_assert_eq "resolve --platform local: the engine's (linux/$ENGINE_ARCH) manifest digest" \
  "$own_digest" "$RD_OUT"
rd_rd resolve "$MULTI"
rd_assert_eq "plain resolve still gives the index digest" "$multi_digest" "$RD_OUT"

# A Docker manifest list pulled the same way.
LIST="$R/multi/list:v1"
list_digest="$(rd_push --repo multi/list --tag v1 --kind docker-list --seed list-1)"
rd_docker pull -q "$LIST" >/dev/null
compare_json "$LIST"
rd_assert_rc "manifest list: compare exit 0" 0
rd_assert_eq "manifest list: match by repoDigest against the list digest" \
  "match repoDigest $list_digest" "$(field '[.status, .rule, .registry.digest] | join(" ")')"

# ---------------------------------------------------------------------------
# 3. same content, other manifest: schema2 and OCI manifests of the same seed
# share the config blob. Pull cfg/a, tag it as cfg/b: no RepoDigests entry of
# cfg/b, but the ID equals cfg/b's config digest -> match by configDigest.
cfg_a="$(rd_push --repo cfg/a --tag v1 --kind schema2 --seed cfg-1)"
cfg_b="$(rd_push --repo cfg/b --tag v1 --kind oci --seed cfg-1)"
rd_assert_ne "fixture: cfg/a and cfg/b are different manifests" "$cfg_a" "$cfg_b"
rd_assert_eq "fixture: cfg/a and cfg/b share the config blob" \
  "$(rd_manifest cfg/a v1 | jq -r .config.digest)" "$(rd_manifest cfg/b v1 | jq -r .config.digest)"
rd_docker pull -q "$R/cfg/a:v1" >/dev/null
rd_docker tag "$R/cfg/a:v1" "$R/cfg/b:v1"
cfg_id="$(rd_image_id "$R/cfg/b:v1")"
compare_json "$R/cfg/b:v1"
rd_assert_rc "same config, other manifest: compare exit 0" 0
rd_assert_eq "same config, other manifest: status match" match "$(field .status)"
rd_assert_eq "same config, other manifest: rule configDigest" configDigest "$(field .rule)"
rd_assert_eq "same config, other manifest: registry.digest is cfg/b's" "$cfg_b" \
  "$(field .registry.digest)"
rd_assert_eq "same config, other manifest: registry.configDigest = local id" "$cfg_id" \
  "$(field .registry.configDigest)"

# ---------------------------------------------------------------------------
# 4. the tag moved after the pull -> stale, both digests shown
STALE="$R/stale/app:v1"
old_digest="$(rd_push --repo stale/app --tag v1 --seed stale-1)"
rd_docker pull -q "$STALE" >/dev/null
new_digest="$(rd_push --repo stale/app --tag v1 --seed stale-2)"
rd_assert_ne "fixture: the tag moved" "$old_digest" "$new_digest"
compare_json "$STALE"
rd_assert_rc "tag moved after pull: compare exit 1" 1
rd_assert_eq "tag moved: status stale" stale "$(field .status)"
rd_assert_eq "tag moved: registry.digest is the new one" "$new_digest" "$(field .registry.digest)"
rd_assert_eq "tag moved: local.repoDigests has the pulled one" "$R/stale/app@$old_digest" \
  "$(field '.local.repoDigests | join(" ")')"
rd_assert_contains "tag moved: explanation names the pulled digest" "$(field .explanation)" \
  "${old_digest:7:12}"
rd_assert_contains "tag moved: explanation names the current digest" "$(field .explanation)" \
  "${new_digest:7:12}"
rd_rd compare "$STALE"
rd_assert_rc "tag moved: text compare exit 1" 1
rd_assert_contains "tag moved: text says stale" "$RD_OUT" "stale"
rd_assert_contains "tag moved: text shows the pulled digest (at least its short form)" \
  "$RD_OUT" "${old_digest:7:12}"
rd_assert_contains "tag moved: text shows the registry's digest (at least its short form)" \
  "$RD_OUT" "${new_digest:7:12}"

# ---------------------------------------------------------------------------
# 5. never pulled -> absent
ABSENT="$R/absent/app:v1"
absent_digest="$(rd_push --repo absent/app --tag v1 --seed absent-1)"
compare_json "$ABSENT"
rd_assert_rc "never pulled: compare exit 1" 1
rd_assert_eq "never pulled: status absent" absent "$(field .status)"
rd_assert_eq "never pulled: registry.digest still given" "$absent_digest" "$(field .registry.digest)"
rd_assert_eq "never pulled: no local id" null "$(field .local.id)"

# ---------------------------------------------------------------------------
# 6. built locally (docker import, never pushed or pulled) -> unknown
LOCAL="$R/local/app:v1"
rd_push --repo local/app --tag v1 --seed local-registry >/dev/null
local_id="$(rd_import_image "$LOCAL" local-only)"
rd_assert_eq "fixture: a locally imported image has no RepoDigests" "" "$(rd_repo_digests "$LOCAL")"
compare_json "$LOCAL"
rd_assert_rc "docker import, no push: compare exit 1" 1
rd_assert_eq "docker import, no push: status unknown" unknown "$(field .status)"
rd_assert_eq "docker import, no push: rule none" none "$(field .rule)"
rd_assert_eq "docker import, no push: local.id" "$local_id" "$(field .local.id)"
rd_assert_eq "docker import, no push: local.repoDigests empty" "0" "$(field '.local.repoDigests | length')"

# ---------------------------------------------------------------------------
# 7. several references: one entry each, in order, worst status wins
rd_rd compare -o json "$SINGLE" "$STALE" "$MULTI"
rd_assert_rc "match + stale + match: exit 1" 1
rd_assert_eq "several references: one entry each, in order" "match stale match" \
  "$(jq -r '[.[].status] | join(" ")' <<<"$RD_OUT")"

# ---------------------------------------------------------------------------
# 8. compare --all: every tagged local image, the stale one listed
rd_rd compare --all -o json
rd_assert_rc "compare --all: exit 1 (one image is stale)" 1
all_json="$RD_OUT"
rd_assert_eq "compare --all: the stale image is listed as stale" "stale $new_digest" \
  "$(jq -r '.[] | select(.reference | test("/stale/app:v1$")) | [.status, .registry.digest] | join(" ")' \
    <<<"$all_json")"
rd_assert_eq "compare --all: the single-arch image is a match" match \
  "$(jq -r '.[] | select(.reference | test("/single/app:v1$")) | .status' <<<"$all_json")"
rd_assert_eq "compare --all: the multi-arch image is a match" match \
  "$(jq -r '.[] | select(.reference | test("/multi/app:v1$")) | .status' <<<"$all_json")"
rd_assert_eq "compare --all: the locally built image is unknown" unknown \
  "$(jq -r '.[] | select(.reference | test("/local/app:v1$")) | .status' <<<"$all_json")"
rd_assert_eq "compare --all: one entry per local tag" \
  "$(rd_docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -vc '<none>')" \
  "$(jq 'length' <<<"$all_json")"
rd_assert_eq "compare --all: no image reported absent" "" \
  "$(jq -r '.[] | select(.status == "absent") | .reference' <<<"$all_json")"
rd_rd compare --all
rd_assert_rc "compare --all (text): exit 1" 1
rd_assert_contains "compare --all (text): names the stale image" "$RD_OUT" "$R/stale/app:v1"

# ---------------------------------------------------------------------------
# 9. where the engine is: DOCKER_HOST, --host, a missing socket
missing=/nonexistent/regdigest-test.sock
DOCKER_HOST="unix://$missing" rd_rd compare "$SINGLE"
rd_assert_rc "DOCKER_HOST to a missing socket: exit 3" 3
rd_assert_contains "missing socket: the message names the socket" "$RD_ERR" "$missing"
DOCKER_HOST="unix://$missing" rd_rd compare --all
rd_assert_rc "missing socket, --all: exit 3" 3
DOCKER_HOST="unix://$missing" rd_rd --host "unix://$DOCKERD_SOCK" compare "$SINGLE"
rd_assert_rc "--host overrides a wrong DOCKER_HOST: exit 0" 0
rd_rd --host "unix://$missing" compare "$SINGLE"
rd_assert_rc "--host to a missing socket: exit 3" 3
rd_assert_contains "--host to a missing socket: names it" "$RD_ERR" "$missing"
: >"$RD_TMP/not-a-socket"
DOCKER_HOST="unix://$RD_TMP/not-a-socket" rd_rd compare "$SINGLE"
rd_assert_rc "DOCKER_HOST to a file that is no socket: exit 3" 3
rd_assert_contains "not a socket: names it" "$RD_ERR" "$RD_TMP/not-a-socket"

# ---------------------------------------------------------------------------
# 10. the engine stops cleanly: no dockerd, no containerd, no mount left
dockerd_pid="$DOCKERD_PID" containerd_pid="$DOCKERD_CONTAINERD_PID" dir="$DOCKERD_DIR"
rd_stop_dockerd
rd_assert_eq "after stop: dockerd is gone" gone \
  "$(kill -0 "$dockerd_pid" 2>/dev/null && echo running || echo gone)"
if [[ -n "$containerd_pid" ]]; then
  rd_assert_eq "after stop: its containerd is gone" gone \
    "$(kill -0 "$containerd_pid" 2>/dev/null && echo running || echo gone)"
fi
rd_assert_eq "after stop: nothing mounted under the engine's dir" "" \
  "$(awk -v d="$dir/" 'index($2, d) == 1' /proc/mounts)"

rd_finish
