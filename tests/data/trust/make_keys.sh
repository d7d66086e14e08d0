#!/bin/bash
# Regenerates the test keys in tests/data/trust/keys (test material only: these
# private keys sign test images and nothing else). Each NAME.key is a PKCS#8
# PEM private key, NAME.pub its PEM PUBLIC KEY (SubjectPublicKeyInfo), as
# `cosign generate-key-pair` would write for P-256 (cosign.pub).
#   ./make_keys.sh      (needs openssl 3)
set -euo pipefail
cd "$(dirname "$0")/keys"
gen() {  # NAME openssl-genpkey-args...
  local name="$1"
  shift
  openssl genpkey "$@" -out "$name.key" 2>/dev/null
  openssl pkey -in "$name.key" -pubout -out "$name.pub"
}
gen ecdsa-p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen ecdsa-p256-other -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen ecdsa-p384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen ecdsa-p521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
gen rsa-2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
gen rsa-3072 -algorithm RSA -pkeyopt rsa_keygen_bits:3072
gen ed25519 -algorithm ED25519
# Refused by regdigest: too small, another curve, another algorithm.
gen rsa-1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
gen ecdsa-secp256k1 -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1
gen ed448 -algorithm ED448
# The "Rekor" log key for signed-entry-timestamp tests (Rekor uses P-256).
gen rekor -algorithm EC -pkeyopt ec_paramgen_curve:P-256
