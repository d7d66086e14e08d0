#!/bin/bash
# Regenerates the signature test vectors under tests/data/trust with the test
# signers (tests/signing; the npm ones need `scripts/setup` first) and
# cross-checks every bundle with @sigstore/verify. Outputs are committed; the
# unit tests (tests/unit/common/trust) read them. Signatures are randomised, so
# a re-run changes the files, not what the tests expect.
#   cosign/NAME/{manifest,config,payload}.json  cosign_sig.py --out, image $IMAGE
#   bundles/NAME.json                           sign_bundle.mjs (DSSEBundleBuilder)
#   rekor/*                                     make_rekor_entry.py, log key keys/rekor.key
#   fulcio/cert.pem                             a Fulcio-like certificate (keyless)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
SIGNING="$ROOT/tests/signing"
K="$HERE/keys"
IMAGE=sha256:c92ec34238e97e14b8f5366503094b446fea5a7b8871604f1daf2141a1476f90
OTHER=sha256:1111111111111111111111111111111111111111111111111111111111111111
REF=registry.example/team/app
cd "$HERE"

# Keyless: a certificate like Fulcio's (SAN email, OIDC issuer extension
# 1.3.6.1.4.1.57264.1.8 as a UTF8String) for the ecdsa-p256-other key.
mkdir -p fulcio
openssl req -x509 -new -key "$K/ecdsa-p256-other.key" -subj "/O=sigstore.dev" -days 3650 \
  -addext "subjectAltName=email:signer@example.com" \
  -addext "1.3.6.1.4.1.57264.1.8=ASN1:UTF8String:https://accounts.example.com" \
  -addext "keyUsage=critical,digitalSignature" -out fulcio/cert.pem
# Fulcio's older form: a URI SAN (a CI workflow) and the issuer as raw bytes in
# 1.3.6.1.4.1.57264.1.1.
issuer_hex="$(printf 'https://token.actions.githubusercontent.com' | od -An -tx1 | tr -d ' \n' |
  sed 's/../&:/g; s/:$//')"
openssl req -x509 -new -key "$K/ecdsa-p256-other.key" -subj "/O=sigstore.dev" -days 3650 \
  -addext "subjectAltName=URI:https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1" \
  -addext "1.3.6.1.4.1.57264.1.1=DER:$issuer_hex" -out fulcio/cert-v1.pem
openssl x509 -in fulcio/cert-v1.pem -outform DER -out fulcio/cert-v1.der

cosign() {  # NAME KEY [cosign_sig.py options]
  local name="$1" key="$2"
  shift 2
  mkdir -p "cosign/$name"
  python3 "$SIGNING/cosign_sig.py" --out "cosign/$name" --repo team/app --reference "$REF" \
    --digest "$IMAGE" --key "$K/$key.key" "$@" >/dev/null
}
for key in ecdsa-p256 ecdsa-p384 ecdsa-p521 rsa-2048 rsa-3072 ed25519; do cosign "$key" "$key"; done
cosign ecdsa-p384-sha384 ecdsa-p384 --hash sha384
cosign ecdsa-p521-sha512 ecdsa-p521 --hash sha512
cosign annotated ecdsa-p256 --annotation env=prod --annotation team=core
cosign other-digest ecdsa-p256 --claim-digest "$OTHER"
cosign tampered ecdsa-p256 --tamper
cosign truncated ecdsa-p256 --truncate
cosign bad-base64 ecdsa-p256 --bad-base64
cosign keyless ecdsa-p256-other --certificate fulcio/cert.pem

mkdir -p bundles rekor
bundle() {  # NAME KEY EXPECT(verified|not) [sign_bundle.mjs options]
  local name="$1" key="$2" expect="$3" pub
  shift 3
  node "$SIGNING/sigstore/sign_bundle.mjs" --key "$K/$key.key" --digest "$IMAGE" "$@" \
    >"bundles/$name.json"
  pub="$K/$key.pub"
  local got
  got="$(node "$SIGNING/sigstore/verify_bundle.mjs" --bundle "bundles/$name.json" --key "$pub" \
    --digest "$IMAGE" || true)"
  case "$expect:$got" in
    verified:verified | not:not\ verified*) echo "bundles/$name.json: @sigstore/verify: $got" ;;
    *) echo "bundles/$name.json: expected $expect, @sigstore/verify says: $got" >&2; exit 1 ;;
  esac
}
for key in ecdsa-p256 ecdsa-p384 ecdsa-p521 rsa-2048 ed25519; do
  bundle "$key" "$key" verified --hint "$key"
done
bundle annotated ecdsa-p256 verified --annotation env=prod
bundle other-predicate ecdsa-p256 verified --predicate-type https://slsa.dev/provenance/v1
bundle other-subject ecdsa-p256 not --subject-digest "$OTHER"
bundle tampered ecdsa-p256 not --tamper
# @sigstore/verify refuses it: no Fulcio root is trusted (regdigest reports it as keyless).
bundle keyless ecdsa-p256-other not --certificate fulcio/cert.pem

# Transparency-log evidence from the test log key.
payload_sig() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][0]["annotations"]["dev.cosignproject.cosign/signature"])' "$1"; }
rekor() {  # OUT-NAME [make_rekor_entry.py cosign options]
  local out="$1"
  shift
  python3 "$SIGNING/make_rekor_entry.py" cosign --log-key "$K/rekor.key" \
    --payload cosign/ecdsa-p256/payload.json --public-key "$K/ecdsa-p256.pub" "$@" >"rekor/$out"
}
rekor cosign-ecdsa-p256.json --signature-b64 "$(payload_sig cosign/ecdsa-p256/manifest.json)"
rekor cosign-bad-set.json --signature-b64 "$(payload_sig cosign/ecdsa-p256/manifest.json)" --tamper-set
rekor cosign-other-signature.json --signature-b64 "$(payload_sig cosign/rsa-2048/manifest.json)"
python3 "$SIGNING/make_rekor_entry.py" bundle --log-key "$K/rekor.key" \
  --bundle bundles/ecdsa-p256.json --public-key "$K/ecdsa-p256.pub" >bundles/ecdsa-p256-tlog.json
python3 "$SIGNING/make_rekor_entry.py" bundle --log-key "$K/rekor.key" --tamper-set \
  --bundle bundles/ecdsa-p256.json --public-key "$K/ecdsa-p256.pub" >bundles/ecdsa-p256-bad-set.json
echo "make_vectors: done"
