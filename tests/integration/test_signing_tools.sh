#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: the test signers of tests/signing against a REAL docker-registry
# 2.8, so that the signature tests of `regdigest verify` rest on tools that
# do what docs/signatures.md says:
# - cosign_sig.py pushes cosign's .sig shape at sha256-<hex>.sig; --append adds
#   one layer per signature; each layer's signature verifies with openssl over
#   the blob the registry serves; the config lists one diff_id per layer;
#   --copy-from copies another image's layers; negatives stay well-formed.
# - sign_bundle.mjs + attach.mjs (real @sigstore/sign and @sigstore/oci) attach
#   a bundle referrer through the fallback tag sha256-<hex> (registry 2.8 has no
#   referrers API), and @sigstore/verify verifies the bundle served back.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
SIGNING="$RD_SOURCE_DIR/tests/signing"
KEYS="$RD_SOURCE_DIR/tests/data/trust/keys"

rd_start_registry anon
IMAGE="$(rd_push --repo team/app --tag v1 --kind oci --seed signing-a)"
OTHER="$(rd_push --repo team/app --tag v2 --kind oci --seed signing-b)"
SIG_TAG="${IMAGE/:/-}.sig"

# --- cosign's tag format ---------------------------------------------------
sign() { "$RD_PY" "$SIGNING/cosign_sig.py" --registry "$REG_URL" --repo team/app "$@"; }
rd_run sign --digest "$IMAGE" --key "$KEYS/ecdsa-p256.key"
rd_assert_rc "cosign_sig.py signs with an ECDSA P-256 key" 0
first="${RD_OUT%% *}"
rd_assert_eq "the printed digest is the .sig tag's manifest" "$first" \
  "$(rd_manifest_digest team/app "$SIG_TAG")"
for key in rsa-2048 ed25519; do
  rd_run sign --digest "$IMAGE" --key "$KEYS/$key.key" --append
  rd_assert_rc "cosign_sig.py --append signs with $key" 0
done
manifest="$(rd_manifest team/app "$SIG_TAG")"
rd_assert_eq "cosign's manifest: OCI, OCI config, three simple-signing layers" \
  "application/vnd.oci.image.manifest.v1+json application/vnd.oci.image.config.v1+json 3 1" \
  "$(jq -r '[.mediaType, .config.mediaType, (.layers | length),
    ([.layers[].mediaType] | unique | length)] | map(tostring) | join(" ")' <<<"$manifest")"
config="$(curl -sf "$REG_URL/v2/team/app/blobs/$(jq -r .config.digest <<<"$manifest")")"
rd_assert_eq "the config lists one diff_id and one history entry per layer" \
  "$(jq -c '[.layers[].digest]' <<<"$manifest") 3" \
  "$(jq -c '.rootfs.diff_ids' <<<"$config") $(jq '.history | length' <<<"$config")"
i=0
for key in ecdsa-p256 rsa-2048 ed25519; do
  layer="$(jq -c ".layers[$i]" <<<"$manifest")"
  curl -sf -o "$RD_TMP/payload.$i" "$REG_URL/v2/team/app/blobs/$(jq -r .digest <<<"$layer")"
  jq -r '.annotations["dev.cosignproject.cosign/signature"]' <<<"$layer" | base64 -d >"$RD_TMP/sig.$i"
  if [[ "$key" == ed25519 ]]; then
    rd_run openssl pkeyutl -verify -rawin -pubin -inkey "$KEYS/$key.pub" -in "$RD_TMP/payload.$i" \
      -sigfile "$RD_TMP/sig.$i"
  else
    rd_run openssl dgst -sha256 -verify "$KEYS/$key.pub" -signature "$RD_TMP/sig.$i" "$RD_TMP/payload.$i"
  fi
  rd_assert_rc "layer $i: openssl verifies the $key signature over the served payload" 0
  i=$((i + 1))
done
rd_assert_eq "the payload is cosign's simple signing for this image and repository" \
  "$REG_HOST/team/app $IMAGE cosign container image signature null" \
  "$(jq -r '[.critical.identity["docker-reference"], .critical.image["docker-manifest-digest"],
    .critical.type, (.optional | tostring)] | join(" ")' "$RD_TMP/payload.0")"

rd_run sign --digest "$OTHER" --copy-from "$IMAGE"
rd_assert_rc "cosign_sig.py --copy-from copies a signature to another image" 0
rd_assert_eq "the copied .sig holds the first image's layers" \
  "$(jq -c .layers <<<"$manifest")" "$(rd_manifest team/app "${OTHER/:/-}.sig" | jq -c .layers)"

rd_run sign --digest "$OTHER" --key "$KEYS/ecdsa-p256.key" --claim-digest "$IMAGE" --truncate
rd_assert_rc "negatives push well-formed manifests" 0
rd_assert_eq "--claim-digest names the other digest in the payload" "$IMAGE" \
  "$(curl -sf "$REG_URL/v2/team/app/blobs/$(rd_manifest team/app "${OTHER/:/-}.sig" |
    jq -r '.layers[0].digest')" | jq -r '.critical.image["docker-manifest-digest"]')"
rd_run sign --digest "sha256:abc" --key "$KEYS/ecdsa-p256.key"
rd_assert_rc "cosign_sig.py refuses a malformed digest" 1

# --- sigstore bundles with sigstore-js ----------------------------------------
if [[ ! -d "$SIGNING/sigstore/node_modules/@sigstore/oci" ]]; then
  rd_skip_part "sigstore-js not installed (run scripts/setup)"
  rd_finish
fi
node "$SIGNING/sigstore/sign_bundle.mjs" --key "$KEYS/ecdsa-p256.key" --digest "$IMAGE" \
  >"$RD_TMP/bundle.json"
rd_run node "$SIGNING/sigstore/attach.mjs" --registry "$REG_HOST" --repo team/app \
  --digest "$IMAGE" --bundle "$RD_TMP/bundle.json"
rd_assert_rc "attach.mjs attaches the bundle with @sigstore/oci" 0
referrer="$RD_OUT"
index="$(rd_manifest team/app "${IMAGE/:/-}")"
rd_assert_eq "registry 2.8: the fallback tag sha256-<hex> is an index naming the referrer" \
  "application/vnd.oci.image.index.v1+json $referrer application/vnd.dev.sigstore.bundle.v0.3+json" \
  "$(jq -r '[.mediaType, .manifests[0].digest, .manifests[0].artifactType] | join(" ")' <<<"$index")"
ref_manifest="$(rd_manifest team/app "$referrer")"
rd_assert_eq "the referrer's subject is the image and its config the empty descriptor" \
  "$IMAGE application/vnd.oci.empty.v1+json" \
  "$(jq -r '[.subject.digest, .config.mediaType] | join(" ")' <<<"$ref_manifest")"
curl -sf -o "$RD_TMP/served.json" \
  "$REG_URL/v2/team/app/blobs/$(jq -r '.layers[0].digest' <<<"$ref_manifest")"
rd_assert_eq "the layer is the bundle, byte for byte" "$(sha256sum <"$RD_TMP/bundle.json")" \
  "$(sha256sum <"$RD_TMP/served.json")"
rd_run node "$SIGNING/sigstore/verify_bundle.mjs" --bundle "$RD_TMP/served.json" \
  --key "$KEYS/ecdsa-p256.pub" --digest "$IMAGE"
rd_assert_rc "@sigstore/verify verifies the served bundle" 0
rd_run node "$SIGNING/sigstore/verify_bundle.mjs" --bundle "$RD_TMP/served.json" \
  --key "$KEYS/ecdsa-p256.pub" --digest "$OTHER"
rd_assert_rc "@sigstore/verify: the bundle is not for another image" 1
node "$SIGNING/sigstore/sign_bundle.mjs" --key "$KEYS/ed25519.key" --digest "$IMAGE" \
  >"$RD_TMP/bundle2.json"
rd_run node "$SIGNING/sigstore/attach.mjs" --registry "$REG_HOST" --repo team/app \
  --digest "$IMAGE" --bundle "$RD_TMP/bundle2.json"
rd_assert_eq "a second bundle is appended to the fallback index" "2" \
  "$(rd_manifest team/app "${IMAGE/:/-}" | jq '.manifests | length')"
rd_finish
