#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest tags` against a REAL docker-registry (which ignores
# n and last and answers every tag at once) with a repository of 600 tags,
# and against tests/servers/paginating_registry.py in front of it: relative
# and absolute Link pages shorter than n, a registry without links, a
# foreign-host link, a repeated page, a link back, an endless chain.
# `--digests` is checked against what push_image.py pushed; `--digest`
# against an OCI index with attestations (index, platform manifest, config
# and image-ID matches, one GET per distinct manifest, counted at the
# paginating front); the last part pulls the index into a REAL dockerd and
# looks its image ID up, also through `compare --find-tags` (skipped locally
# without dockerd, a failure in CI).
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
START=$SECONDS

rd_start_registry anon
R="$REG_HOST"
MT_INDEX=application/vnd.oci.image.index.v1+json

# ---------------------------------------------------------------------------
# 600 tags of one repository (blobs once, one manifest per tag), plus a
# cosign-style signature tag that is hidden unless --all.
pushes=()
for ((k = 0; k < 4; k++)); do # four pushes of 150 tags at once
  tags=""
  for ((i = k * 150; i < (k + 1) * 150; i++)); do tags+="t$i,"; done
  # A seed per push: concurrent uploads of one blob can race in the registry.
  rd_push --repo big/app --tags "$tags" --seed "big$k" >"$RD_TMP/big.pushed.$k" &
  pushes+=($!)
done
for pid in "${pushes[@]}"; do wait "$pid" || rd_die "pushing the 600 tags failed"; done
cat "$RD_TMP"/big.pushed.* >"$RD_TMP/big.pushed"
SIG="sha256-$(printf 'a%.0s' {1..64}).sig"
rd_push --repo big/app --tag "$SIG" --seed sig >/dev/null
LC_ALL=C sort "$RD_TMP/big.pushed" >"$RD_TMP/big.want"
want_tags="$(cut -d' ' -f1 "$RD_TMP/big.want")"

rd_log "[$((SECONDS - START)) s] pushed 601 tags"
rd_rd tags "$R/big/app"
rd_assert_rc "tags: exit 0" 0
rd_assert_eq "tags: the 600 tags in lexical order, the .sig tag hidden" "$want_tags" "$RD_OUT"
rd_rd tags --all "$R/big/app"
rd_assert_eq "tags --all: 601 tags, the .sig tag listed" 601 "$(wc -l <<<"$RD_OUT")"
rd_assert_contains "tags --all: the .sig tag" "$RD_OUT" "$SIG"
rd_rd tags -o json "$R/big/app"
rd_assert_eq "tags -o json: repository and tag entries" "$R/big/app 600 t0" \
  "$(jq -r '"\(.repository) \(.tags | length) \(.tags[0].tag)"' <<<"$RD_OUT")"

rd_rd tags --digests "$R/big/app"
rd_assert_rc "tags --digests: exit 0" 0
rd_assert_eq "tags --digests: TAG DIGEST of all 600, as pushed" "$(cat "$RD_TMP/big.want")" "$RD_OUT"
rd_rd tags --digests -o json "$R/big/app"
rd_assert_eq "tags --digests -o json: digest and mediaType" \
  "$(head -1 "$RD_TMP/big.want") application/vnd.docker.distribution.manifest.v2+json" \
  "$(jq -r '.tags[0] | "\(.tag) \(.digest) \(.mediaType)"' <<<"$RD_OUT")"

# ---------------------------------------------------------------------------
# Multi-arch: v1 and stable share one OCI index (with attestations), v2 is
# another index, single is one manifest.
mapfile -t idx < <(rd_push --repo multi/app --tag v1 --kind oci-index --seed m1 \
  --attestations --print-children)
rd_push --repo multi/app --tag stable --kind oci-index --seed m1 --attestations >/dev/null
rd_push --repo multi/app --tag v2 --kind oci-index --seed m2 >/dev/null
single="$(rd_push --repo multi/app --tag single --kind schema2 --seed s1)"
INDEX="${idx[0]}"
AMD64="$(grep ' linux/amd64$' <<<"$(printf '%s\n' "${idx[@]:1}")" | cut -d' ' -f1)"
ARM64="$(grep ' linux/arm64$' <<<"$(printf '%s\n' "${idx[@]:1}")" | cut -d' ' -f1)"
ARM64_CFG="$(rd_manifest multi/app "$ARM64" | jq -r .config.digest)"
SINGLE_CFG="$(rd_manifest multi/app "$single" | jq -r .config.digest)"

rd_rd tags --digest "$INDEX" "$R/multi/app"
rd_assert_rc "--digest INDEX: exit 0" 0
rd_assert_eq "--digest INDEX: both tags, as index" $'stable index\nv1 index' "$RD_OUT"
rd_rd tags --digest "$ARM64" "$R/multi/app"
rd_assert_eq "--digest ARM64: platform manifest of both tags" \
  $'stable platform linux/arm64 manifest\nv1 platform linux/arm64 manifest' "$RD_OUT"
rd_rd tags --digest "${ARM64_CFG:7:12}" "$R/multi/app"
rd_assert_eq "--digest <arm64 image ID>: config match with the platform" \
  $'stable platform linux/arm64 config = image ID\nv1 platform linux/arm64 config = image ID' \
  "$RD_OUT"
rd_rd tags --digest "$SINGLE_CFG" -o json "$R/multi/app"
rd_assert_eq "--digest <single config> -o json" "single config null $single" \
  "$(jq -r '.matches[] | "\(.tag) \(.match) \(.platform) \(.digest)"' <<<"$RD_OUT")"
rd_rd tags --digest 000000000000 "$R/multi/app"
rd_assert_rc "--digest that no tag holds: exit 1" 1
rd_assert_contains "--digest that no tag holds: says so" "$RD_ERR" "no tag of $R/multi/app"
rd_rd tags --digest xyz "$R/multi/app"
rd_assert_rc "--digest xyz: usage error" 2
rd_rd tags "$R/multi/app:v1"
rd_assert_rc "tags REPO:TAG: usage error" 2
rd_rd tags "$R/nothing/here"
rd_assert_rc "tags of a repository that does not exist: exit 3" 3

# ---------------------------------------------------------------------------
rd_log "[$((SECONDS - START)) s] multi-arch done"
# The paginating front (pages of at most 7 tags, whatever n says).
PLOG="$RD_TMP/paginating.log"
: >"$PLOG"
rd_spawn "$RD_TMP/paginating.out" "$RD_PY" "$RD_SERVERS_DIR/paginating_registry.py" \
  "$REG_PORT" "$RD_TMP/paginating.port" "$PLOG"
for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/paginating.port" ]] && break; sleep 0.1; done
P="127.0.0.1:$(<"$RD_TMP/paginating.port")"
rd_wait_http "http://$P/v2/"

for mode in relative absolute; do
  : >"$PLOG"
  rd_rd tags "$P/$mode/big/app"
  rd_assert_eq "$mode links: the same 600 tags" "$want_tags" "$RD_OUT"
  rd_assert_eq "$mode links: 86 pages of 7 (a page shorter than n is not the last)" 86 \
    "$(grep -c 'tags/list' "$PLOG")"
done
rd_rd tags --digests "$P/relative/big/app"
rd_assert_eq "relative links: --digests through the front" "$(cat "$RD_TMP/big.want")" "$RD_OUT"
rd_rd tags "$P/nolink/multi/app"
rd_assert_eq "no links, fewer than n: every tag" $'single\nstable\nv1\nv2' "$RD_OUT"
: >"$PLOG"
rd_rd tags "$P/foreign/big/app"
rd_assert_rc "foreign-host link: refused, exit 3" 3
rd_assert_contains "foreign-host link: says so" "$RD_ERR" "another host (foreign.invalid"
rd_assert_eq "foreign-host link: one request" 1 "$(wc -l <"$PLOG")"
rd_rd tags "$P/repeat/big/app"
rd_assert_rc "repeated page: exit 0" 0
rd_assert_eq "repeated page: the first page's 7 tags (the .sig one hidden)" 6 \
  "$(wc -l <<<"$RD_OUT")"
rd_assert_contains "repeated page: warns" "$RD_ERR" "repeated a page"
rd_rd tags "$P/loop/big/app"
rd_assert_eq "link back to page 1: two pages (the .sig tag hidden)" 13 "$(wc -l <<<"$RD_OUT")"
rd_assert_contains "link back to page 1: warns" "$RD_ERR" "already read"
rd_rd tags "$P/endless/big/app"
rd_assert_rc "endless chain: exit 3" 3
rd_assert_contains "endless chain: capped with a message" "$RD_ERR" "stopped after 1000 pages"

rd_log "[$((SECONDS - START)) s] pagination done"
# Request economy of --digest on an image ID: HEADs, then one GET per
# distinct manifest (v1 and stable share an index; attestations never read).
: >"$PLOG"
rd_rd tags --digest "${ARM64_CFG:7:12}" "$P/relative/multi/app"
rd_assert_eq "front: image ID lookup finds both tags" 2 "$(wc -l <<<"$RD_OUT")"
rd_assert_eq "front: 4 HEADs" 4 "$(grep -c '^HEAD ' "$PLOG")"
# Distinct documents: index m1, index m2, single; platform manifests: 2 + 2.
rd_assert_eq "front: 7 manifest GETs, each distinct" "7 7" \
  "$(grep '^GET .*/manifests/' "$PLOG" | wc -l) $(grep '^GET .*/manifests/' "$PLOG" | sort -u | wc -l)"

# ---------------------------------------------------------------------------
# record --all-tags: every tag's digest; a moved tag then shows in drift.
DB="$RD_TMP/history.db"
rd_rd record --all-tags --db "$DB" "$R/multi/app"
rd_assert_rc "record --all-tags: exit 0" 0
rd_assert_eq "record --all-tags: every tag recorded" 4 "$(wc -l <<<"$RD_OUT")"
rd_push --repo multi/app --tag v2 --kind oci-index --seed m3 >/dev/null
rd_rd record --all-tags --db "$DB" "$R/multi/app"
rd_rd drift --since 1h --db "$DB" -o json
rd_assert_eq "drift after record --all-tags: the moved tag v2" "$R/multi/app:v2" \
  "$(jq -r '[.. | objects | select(has("reference")) | .reference] | unique | join(",")' <<<"$RD_OUT" 2>/dev/null)"

# Whole-repository drift: the snapshots of record --all-tags. A new tag v3
# after the move of v2; drift REPO compares the first snapshot in the window
# with the newest, history REPO each snapshot with the next.
rd_push --repo multi/app --tag v3 --kind schema2 --seed s3 >/dev/null
rd_rd record --all-tags --db "$DB" "$R/multi/app"
rd_rd drift --since 1h --db "$DB" -o json "$R/multi/app"
rd_assert_rc "drift REPO: exit 1 when tags changed" 1
rd_assert_eq "drift REPO: v2 moved and v3 added" "added $R/multi/app:v3,moved $R/multi/app:v2" \
  "$(jq -r '[.results[] | "\(.state) \(.reference)"] | sort | join(",")' <<<"$RD_OUT" 2>/dev/null)"
rd_rd history --db "$DB" -o github "$R/multi/app"
rd_assert_rc "history REPO: exit 1 when tags changed" 1
rd_assert_match "history REPO (github): the added tag v3" "multi/app:v3 added" "$RD_OUT"
rd_assert_match "history REPO (github): the moved tag v2" "multi/app:v2 moved" "$RD_OUT"
rd_rd drift --since 1h --db "$DB" "$R/nothing/here"
rd_assert_rc "drift REPO without a snapshot: exit 1" 1

rd_log "[$((SECONDS - START)) s] starting dockerd"
# A real dockerd: pull, read the image ID, look it up.
if RD_DOCKERD_OPTIONAL=1 rd_start_dockerd; then
  rd_docker pull -q "$R/multi/app:v1" >/dev/null
  id="$(rd_image_id "$R/multi/app:v1")"
  rd_rd tags --digest "${id:7:12}" "$R/multi/app"
  rd_assert_rc "dockerd image ID $id: found" 0
  rd_assert_match "dockerd image ID: v1 and stable, as config (classic) or index (containerd)" \
    $'^stable (index|platform linux/amd64 config = image ID)\nv1 (index|platform linux/amd64 config = image ID)$' \
    "$RD_OUT"
  # copy/app:v1 is other content; copy/app:old is what was pulled. Re-tagged
  # locally as copy/app:v1, the image has no RepoDigests entry for copy/app:
  # compare says unknown, and --find-tags names copy/app:old.
  rd_push --repo copy/app --tag v1 --kind oci-index --seed m2 >/dev/null
  rd_push --repo copy/app --tag old --kind oci-index --seed m1 --attestations >/dev/null
  rd_docker tag "$id" "$R/copy/app:v1"
  rd_rd compare --find-tags "$R/copy/app:v1"
  rd_assert_rc "compare --find-tags: still unknown, exit 1" 1
  rd_assert_match "compare --find-tags: names copy/app:old" \
    "find-tags $R/copy/app:v1: image ID ${id:7:12} is $R/copy/app:old \\((index|platform linux/amd64 config = image ID)\\)" \
    "$RD_OUT"
  rd_rd compare --find-tags -o json "$R/copy/app:v1"
  rd_assert_eq "compare --find-tags -o json: foundTags" "unknown old" \
    "$(jq -r '.[0] | "\(.status) \([.foundTags[].tag] | join(","))"' <<<"$RD_OUT")"
else
  rd_skip_part "engine part: dockerd could not start ($RD_DOCKERD_ERROR)"
fi

rd_log "test_tags took $((SECONDS - START)) s"
rd_finish
