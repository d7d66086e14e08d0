#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest referrers` and the referrers lookup `verify` uses.
# - docker-registry 2.8 (no referrers API): cosign .sig/.att tags and a
#   sigstore bundle attached by @sigstore/oci through the fallback tag;
# - tests/servers/referrers_registry.py in front of it (the OCI 1.1
#   referrers API, 2 entries a page, Link rel="next"): @sigstore/oci sees the
#   API and writes no fallback tag; regdigest follows the pages, filters by
#   artifactType itself unless OCI-Filters-Applied says the registry did, and
#   `verify` finds the bundle through the API;
# - `inspect` gains one line counting what is attached.
# Skips (77) only when node or the sigstore packages are missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

SIGNING="$RD_SOURCE_DIR/tests/signing"
KEYS="$RD_SOURCE_DIR/tests/data/trust/keys"
if ! command -v node >/dev/null || [[ ! -d "$SIGNING/sigstore/node_modules/@sigstore/oci" ]]; then
  echo "node or the sigstore packages are missing (run scripts/setup)"
  [[ "${CI:-}" == "true" ]] && exit 1
  exit 77
fi
BUNDLE_TYPE=application/vnd.dev.sigstore.bundle.v0.3+json

rd_start_registry anon
push() { rd_push --repo app --tag "$1" --kind oci --seed "$2"; }
bundle() { # HOST DIGEST KEY: sign with @sigstore/sign, attach with @sigstore/oci; prints the referrer
  node "$SIGNING/sigstore/sign_bundle.mjs" --key "$KEYS/$3" --digest "$2" >"$RD_TMP/b.json"
  node "$SIGNING/sigstore/attach.mjs" --registry "$1" --repo app --digest "$2" \
    --bundle "$RD_TMP/b.json" | tail -n 1
}

# --- registry 2.8: cosign tags and the fallback tag --------------------------
d="$(push v1 referrers-v1)"
"$RD_PY" "$SIGNING/cosign_sig.py" --registry "$REG_URL" --repo app --digest "$d" \
  --key "$KEYS/ecdsa-p256.key" >/dev/null
"$RD_PY" "$SIGNING/cosign_sig.py" --registry "$REG_URL" --repo app --digest "$d" \
  --key "$KEYS/ecdsa-p256.key" --tag "sha256-${d#sha256:}.att" >/dev/null
r1="$(bundle "$REG_HOST" "$d" ecdsa-p256.key)"
r2="$(bundle "$REG_HOST" "$d" rsa-2048.key)"
rd_rd referrers "$REG_HOST/app:v1"
rd_assert_rc "referrers on registry 2.8: exit 0" 0
rd_assert_eq "tree root is the digest" "$REG_HOST/app@$d" "$(head -n 1 <<<"$RD_OUT")"
rd_assert_contains "tree: the cosign .sig tag" "$RD_OUT" "cosign .sig  sha256-${d#sha256:}.sig"
rd_assert_contains "tree: the cosign .att tag" "$RD_OUT" "cosign .att"
rd_assert_contains "tree: the bundle artifact type" "$RD_OUT" "$BUNDLE_TYPE"
rd_assert_contains "tree: first referrer" "$RD_OUT" "$r1"
rd_assert_contains "tree: second referrer" "$RD_OUT" "$r2"
rd_assert_contains "says where the referrers came from" "$RD_OUT" "fallback tag sha256-${d#sha256:}"
rd_rd referrers -o json "$REG_HOST/app:v1"
rd_assert_eq "json: source fallback-tag, 2 cosign tags, 2 referrers" "fallback-tag 2 2" \
  "$(jq -r '[.referrersSource, (.cosignTags | length), (.referrers | length)] | join(" ")' <<<"$RD_OUT")"
rd_rd referrers -o json --artifact-type application/x-nothing "$REG_HOST/app:v1"
rd_assert_eq "--artifact-type filters (fallback tag): none, no cosign tags" "0 0" \
  "$(jq -r '[(.referrers | length), (.cosignTags | length)] | join(" ")' <<<"$RD_OUT")"
rd_rd inspect "$REG_HOST/app:v1"
rd_assert_contains "inspect: one line counts what is attached" "$RD_OUT" \
  "attached: 1 cosign signature (.sig), 1 attestation (.att), 2 sigstore bundles"
push bare referrers-bare >/dev/null
rd_rd referrers "$REG_HOST/app:bare"
rd_assert_contains "nothing attached" "$RD_OUT" "(nothing attached)"

# --- the referrers API (tests/servers/referrers_registry.py) -----------------
start_api() { # PORTFILE [--no-filter]
  rd_spawn "$RD_TMP/$1.out" "$RD_PY" "$RD_SERVERS_DIR/referrers_registry.py" "$REG_PORT" \
    "$RD_TMP/$1" --page-size 2 "${@:2}"
  for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/$1" ]] && break; sleep 0.1; done
  printf '127.0.0.1:%s' "$(<"$RD_TMP/$1")"
}
API="$(start_api api.port)"
d2="$(push v2 referrers-v2)"
for key in ecdsa-p256.key rsa-2048.key ed25519.key; do bundle "$API" "$d2" "$key" >/dev/null; done
rd_assert_eq "@sigstore/oci saw the API: no fallback tag written" "404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "$REG_URL/v2/app/manifests/sha256-${d2#sha256:}")"
rd_rd referrers "$API/app:v2"
rd_assert_contains "API: 3 referrers over 2 pages" "$RD_OUT" "referrers API (2 pages)"
rd_rd referrers -o json "$API/app:v2"
rd_assert_eq "API json: source api, 3 bundle referrers" "api 3" \
  "$(jq -r '[.referrersSource, ([.referrers[] | select(.artifactType == "'$BUNDLE_TYPE'")] | length)] | join(" ")' <<<"$RD_OUT")"
rd_rd referrers -o json --artifact-type application/x-nothing "$API/app:v2"
rd_assert_eq "API filtered by the registry (OCI-Filters-Applied): none" "0" \
  "$(jq -r '.referrers | length' <<<"$RD_OUT")"
curl -sf "http://$API/_filter/off" >/dev/null
rd_rd referrers -o json --artifact-type application/x-nothing "$API/app:v2"
rd_assert_eq "registry that does not filter: regdigest filters itself" "0" \
  "$(jq -r '.referrers | length' <<<"$RD_OUT")"
rd_rd referrers -o json --artifact-type "$BUNDLE_TYPE" "$API/app:v2"
rd_assert_eq "registry that does not filter: the bundle type keeps all 3 (from 2 pages)" "3" \
  "$(jq -r '.referrers | length' <<<"$RD_OUT")"
rd_rd verify "$API/app:v2" --key "$KEYS/ed25519.pub"
rd_assert_rc "verify finds the third bundle on page 2 of the API: exit 0" 0
rd_assert_contains "verify through the API: sigstore bundle" "$RD_OUT" "(sigstore bundle)"

rd_finish
