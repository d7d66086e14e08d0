#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest compare` against a REAL Podman 4.x Docker-compatible
# API (`podman system service`, vfs storage under the test's temp dir) and a
# REAL docker-registry. Podman's RepoDigests list every name of an image with
# every digest it has, for pulled and local images alike, so only its Digest,
# found in the registry's repository, is evidence of a pull:
#   pull → match; tag moved after a multi-arch pull → stale quoting the index
#   digest Podman pulled; `podman tag`, `import`, `load` and `build` → unknown
#   (never a stale "you pulled" digest that no registry has); localhost/ names
#   → unknown with no request; --all decides every image; the engine is named.
# Without podman this test SKIPs locally and FAILS in CI (CI=true).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
# shellcheck source=../lib/engine.sh
source "$HERE/../lib/engine.sh"
# shellcheck source=../lib/podman.sh
source "$HERE/../lib/podman.sh"
rd_tmpdir
rd_require_bin

rd_start_registry anon
rd_start_podman
R="$REG_HOST"
PODMAN_VERSION="$(rd_podman version --format '{{.Server.Version}}' 2>/dev/null || rd_podman --version)"
echo "engine: podman $PODMAN_VERSION, socket $PODMAN_SOCK; registry $REG_URL"

compare_json() {
  rd_rd --host "$PODMAN_HOST" compare -o json "$1"
  RD_ENTRY="$(jq -c 'if type == "array" then .[0] else . end' <<<"$RD_OUT" 2>/dev/null || true)"
}
field() { jq -r "$1 | if . == null then \"null\" else tostring end" <<<"$RD_ENTRY" 2>/dev/null || true; }
short() { printf '%s' "${1:7:12}"; }
pull() { rd_podman pull -q "$1" >/dev/null; }

# ---------------------------------------------------------------------------
# 1. pulled by tag: match, and the engine is named (not "classic store")
app_v1="$(rd_push --repo app --tag v1 --seed app-1)"
pull "$R/app:v1"
compare_json "$R/app:v1"
rd_assert_rc "podman pull: compare exit 0" 0
rd_assert_eq "podman pull: match" match "$(field .status)"
rd_assert_eq "podman pull: rule repoDigest" repoDigest "$(field .rule)"
rd_assert_eq "podman pull: local.engine" podman "$(field .local.engine)"
rd_assert_eq "podman pull: local.store" containers-storage "$(field .local.store)"
rd_assert_eq "podman pull: local.digest = Podman's Digest = the pulled manifest" \
  "$app_v1" "$(field .local.digest)"
rd_rd --host "$PODMAN_HOST" compare "$R/app:v1"
rd_assert_contains "podman: the text names the engine" "$RD_OUT" "(Podman "
rd_assert_not_contains "podman: the text does not call it Docker's classic store" "$RD_OUT" \
  "classic store"

# ---------------------------------------------------------------------------
# 2. multi-arch pull, then the tag moves: stale quotes the index digest
mapfile -t idx < <(rd_push --repo multi --tag v1 --kind oci-index --seed multi-1 --print-children)
multi_v1="${idx[0]}"
pull "$R/multi:v1"
mapfile -t listed < <(rd_podman image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' \
  "$R/multi:v1" | sed '/^$/d')
rd_assert_eq "podman: a multi-arch pull lists the index and the platform manifest" 2 "${#listed[@]}"
multi_v2="$(rd_push --repo multi --tag v1 --kind oci-index --seed multi-2 | head -n 1)"
compare_json "$R/multi:v1"
rd_assert_rc "multi-arch moved: compare exit 1" 1
rd_assert_eq "multi-arch moved: stale" stale "$(field .status)"
rd_assert_eq "multi-arch moved: registry digest is the new index" "$multi_v2" "$(field .registry.digest)"
rd_assert_contains "multi-arch moved: 'you pulled' the index digest Podman pulled" \
  "$(field .explanation)" "you pulled $(short "$multi_v1")"
for entry in "${listed[@]}"; do
  d="${entry#*@}"
  [[ "$d" == "$multi_v1" ]] && continue
  rd_assert_not_contains "multi-arch moved: never 'you pulled' the platform manifest" \
    "$(field .explanation)" "$(short "$d")"
done

# ---------------------------------------------------------------------------
# 3. podman tag: the name of another repository is not a pull of it
rd_podman tag "$R/app:v1" "$R/other:x"
rd_push --repo other --tag x --seed other-1 >/dev/null
compare_json "$R/other:x"
rd_assert_rc "podman tag: compare exit 1" 1
rd_assert_eq "podman tag: unknown, not stale" unknown "$(field .status)"
rd_assert_contains "podman tag: says the repository has no such manifest" \
  "$(field .explanation)" "has no such manifest"
rd_assert_not_contains "podman tag: no 'you pulled'" "$(field .explanation)" "you pulled"

# ---------------------------------------------------------------------------
# 4. podman import under a name the registry also has
rd_make_image_tar "$RD_TMP/imported.tar" imported-1
rd_podman import -q "$RD_TMP/imported.tar" "$R/imported:v1" >/dev/null
rd_push --repo imported --tag v1 --seed imported-2 >/dev/null
compare_json "$R/imported:v1"
rd_assert_rc "podman import: compare exit 1" 1
rd_assert_eq "podman import: unknown" unknown "$(field .status)"
rd_assert_contains "podman import: made locally" "$(field .explanation)" "made locally"

# ---------------------------------------------------------------------------
# 5. podman save + load (a new local manifest), then the tag moves
rd_podman save -q -o "$RD_TMP/app.tar" "$R/app:v1"
rd_podman rmi -f "$R/app:v1" "$R/other:x" >/dev/null
rd_podman load -q -i "$RD_TMP/app.tar" >/dev/null
rd_push --repo app --tag v1 --seed app-2 >/dev/null
compare_json "$R/app:v1"
rd_assert_rc "podman load: compare exit 1" 1
rd_assert_eq "podman load: unknown (as docker load gives)" unknown "$(field .status)"

# ---------------------------------------------------------------------------
# 6. podman build: localhost/NAME is a local name, decided without a request
mkdir -p "$RD_TMP/ctx"
printf 'regdigest\n' >"$RD_TMP/ctx/hello.txt"
printf 'FROM scratch\nCOPY hello.txt /hello.txt\n' >"$RD_TMP/ctx/Dockerfile"
rd_podman build -q -t built:1 "$RD_TMP/ctx" >/dev/null
rd_assert_eq "podman build names the image localhost/built:1" "localhost/built:1" \
  "$(rd_podman image inspect --format '{{index .RepoTags 0}}' built:1)"
compare_json localhost/built:1
rd_assert_rc "localhost/ name: compare exit 1" 1
rd_assert_eq "localhost/ name: unknown" unknown "$(field .status)"
rd_assert_eq "localhost/ name: no registry facts" null "$(field .registry)"
rd_assert_contains "localhost/ name: says it is Podman's local name" "$(field .explanation)" \
  "built or tagged locally"
rd_assert_eq "localhost/ name: nothing on stderr" "" "$RD_ERR"

# ---------------------------------------------------------------------------
# 7. compare --all: every tagged image decided, none is an error
before="$(rd_registry_request_count)"
rd_rd --host "$PODMAN_HOST" compare --all -o json
rd_assert_rc "compare --all: exit 1 (stale and unknown images)" 1
rd_assert_eq "compare --all: no entry is an error" 0 "$(jq '[.[] | select(.error)] | length' <<<"$RD_OUT")"
rd_assert_eq "compare --all: localhost/built:1 is unknown" unknown \
  "$(jq -r '.[] | select(.reference == "localhost/built:1") | .status' <<<"$RD_OUT")"
rd_assert_eq "compare --all: the multi-arch image is stale" stale \
  "$(jq -r --arg r "$R/multi:v1" '.[] | select(.reference == $r) | .status' <<<"$RD_OUT")"
rd_assert_not_contains "compare --all: no request for localhost/" \
  "$(tail -n +$((before + 1)) "$REG_LOG")" "/v2/built/"
rd_rd --host "$PODMAN_HOST" compare --all
rd_assert_match "compare --all text: the summary, singular or plural" '[0-9]+ tagged images? checked, [0-9]+ stale' "$RD_OUT"

rd_finish
