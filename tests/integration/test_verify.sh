#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: `regdigest verify` and `lock`/`check`/`pin --key` against a
# real docker-registry 2.8 with signatures made by real signers:
# - cosign's tag format, signed with openssl (tests/signing/cosign_sig.py):
#   ECDSA P-256, RSA 2048 and Ed25519 keys; negatives: wrong key, tampered
#   payload, digest claim mismatch, signature copied from another image,
#   truncated signature, bad base64, a .sig tag that is an index;
# - sigstore bundles made by @sigstore/sign and attached by @sigstore/oci
#   (registry 2.8 has no referrers API: the fallback tag sha256-<hex>),
#   cross-checked with @sigstore/verify;
# - request counts through tests/servers/counting_proxy.py;
# - exit statuses 0/1/2/3 and the JSON shape;
# - lock --key (nothing written when unverified), check --key (`signed`
#   drift, `unsigned` after unsigned content is pushed to the tag), pin --key,
#   record --key (history shows signatureVerified true/false).
# Skips (77) only when node or the sigstore packages are missing (CI=true
# makes that a failure; scripts/setup installs them).
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

rd_start_registry anon
work="$RD_TMP/work"
mkdir -p "$work"
cd "$work"

# sign_cosign DIGEST KEY [cosign_sig.py options...] (repo app)
sign_cosign() {
  local digest="$1" key="$2"
  shift 2
  "$RD_PY" "$SIGNING/cosign_sig.py" --registry "$REG_URL" --repo "${REPO:-app}" \
    --digest "$digest" --key "$KEYS/$key" "$@" >/dev/null
}
push() { rd_push --repo "${REPO:-app}" --tag "$1" --kind oci --seed "$2"; }
fingerprint() { # the key fingerprint as regdigest prints it: SHA256:base64(sha256(DER)), no '='
  printf 'SHA256:%s' "$(openssl pkey -pubin -in "$KEYS/$1" -outform DER | openssl dgst -sha256 -binary |
    base64 | tr -d '=')"
}

# --- cosign .sig made with openssl: three key types --------------------------
for key in ecdsa-p256 rsa-2048 ed25519; do
  d="$(push "$key" "verify-$key")"
  sign_cosign "$d" "$key.key"
  rd_rd verify "$REG_HOST/app:$key" --key "$KEYS/$key.pub"
  rd_assert_rc "$key .sig: verify exit 0" 0
  rd_assert_eq "$key .sig: one verified line with the key's fingerprint" \
    "verified $REG_HOST/app:$key $d by $(fingerprint "$key.pub") (cosign .sig)" "$RD_OUT"
done
# Several keys: any one verifies.
rd_rd verify "$REG_HOST/app:rsa-2048" --key "$KEYS/ecdsa-p256.pub" --key "$KEYS/rsa-2048.pub"
rd_assert_rc "two --key, the second verifies: exit 0" 0
D1="$(rd_manifest_digest app ecdsa-p256)"

# JSON shape.
rd_rd verify -o json "$REG_HOST/app:ecdsa-p256" --key "$KEYS/ecdsa-p256.pub"
rd_assert_eq "json: one entry with input, reference, digest, verified" \
  "$REG_HOST/app:ecdsa-p256|$REG_HOST/app:ecdsa-p256|$D1|true" \
  "$(jq -r '.[0] | [.input, .reference, .digest, .verified] | join("|")' <<<"$RD_OUT")"
rd_assert_eq "json: the signature: format cosign-sig, its manifest digest, key, valid" \
  "cosign-sig|$(rd_manifest_digest app "sha256-${D1#sha256:}.sig")|$(fingerprint ecdsa-p256.pub)|true" \
  "$(jq -r '.[0].signatures[0] | [.format, .digest, .key, .valid] | join("|")' <<<"$RD_OUT")"

# --- negatives: each exit 1 with its reason -----------------------------------
rd_rd verify "$REG_HOST/app:ecdsa-p256" --key "$KEYS/ecdsa-p256-other.pub"
rd_assert_rc "wrong key: exit 1" 1
rd_assert_match "wrong key: unverified line" "^unverified $REG_HOST/app:ecdsa-p256 $D1: " "$RD_OUT"
rd_rd verify -o json "$REG_HOST/app:ecdsa-p256" --key "$KEYS/ecdsa-p256-other.pub"
rd_assert_eq "wrong key json: verified false, key null, valid false" "false|null|false" \
  "$(jq -r '.[0] | [.verified, (.signatures[0].key // "null"), .signatures[0].valid] | join("|")' <<<"$RD_OUT")"

other="$(push other verify-other)"
negative() { # NAME EXPECTED-REASON-PATTERN cosign_sig.py options...
  local name="$1" pattern="$2" d
  shift 2
  d="$(push "neg-$name" "verify-neg-$name")"
  sign_cosign "$d" ecdsa-p256.key "$@"
  rd_rd verify -o json "$REG_HOST/app:neg-$name" --key "$KEYS/ecdsa-p256.pub"
  rd_assert_rc "$name: exit 1" 1
  rd_assert_match "$name: the reason says why" "$pattern" "$(jq -r '.[0].signatures[0].reason' <<<"$RD_OUT")"
}
negative tampered "signature|verif" --tamper
negative claim "sha256:|digest" --claim-digest "$other"
negative truncated "signature|verif" --truncate
negative bad-base64 "base64" --bad-base64
sign_cosign "$other" ecdsa-p256.key
negative copied "digest|sha256:" --copy-from "$other"
# A .sig tag that is an index.
d="$(push neg-index verify-neg-index)"
rd_push --repo app --tag "sha256-${d#sha256:}.sig" --kind oci-index --seed idx >/dev/null
rd_rd verify -o json "$REG_HOST/app:neg-index" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc ".sig index: exit 1" 1
rd_assert_match ".sig index: the reason names the index" "index" "$(jq -r '.[0].signatures[0].reason' <<<"$RD_OUT")"
# No signature at all.
push unsigned verify-unsigned >/dev/null
rd_rd verify "$REG_HOST/app:unsigned" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "unsigned image: exit 1" 1
rd_assert_contains "unsigned image: no signature found" "$RD_OUT" "no signature found"

# --- exit statuses 2 and 3 ---------------------------------------------------
rd_rd verify "$REG_HOST/app:ecdsa-p256" --key "$RD_TMP/missing.pub"
rd_assert_rc "missing key file: exit 2" 2
rd_rd verify "$REG_HOST/app:ecdsa-p256" --key "$KEYS/ecdsa-p256.key"
rd_assert_rc "a private key as --key: exit 2" 2
rd_rd verify "$REG_HOST/app:ecdsa-p256"
rd_assert_rc "no --key: exit 2" 2
rd_rd verify "Bad/Ref" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "invalid reference: exit 2" 2
rd_rd verify "127.0.0.1:$(rd_free_port)/app:v1" --key "$KEYS/ecdsa-p256.pub" --retries 0
rd_assert_rc "unreachable registry: exit 3" 3
rd_rd verify "$REG_HOST/app:ecdsa-p256" "$REG_HOST/app:unsigned" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "one verified, one not: exit 1" 1

# --- sigstore bundle (@sigstore/sign + @sigstore/oci) through the fallback tag --
d="$(push bundle verify-bundle)"
node "$SIGNING/sigstore/sign_bundle.mjs" --key "$KEYS/ecdsa-p256.key" --digest "$d" >"$RD_TMP/b.json"
if node "$SIGNING/sigstore/verify_bundle.mjs" --bundle "$RD_TMP/b.json" \
  --key "$KEYS/ecdsa-p256.pub" --digest "$d" >/dev/null; then
  rd_pass "@sigstore/verify accepts the bundle (cross-check)"
else
  rd_fail "@sigstore/verify accepts the bundle (cross-check)"
fi
referrer="$(node "$SIGNING/sigstore/attach.mjs" --registry "$REG_HOST" --repo app --digest "$d" \
  --bundle "$RD_TMP/b.json" | tail -n 1)"
rd_assert_match "@sigstore/oci wrote the fallback tag" "sha256:" \
  "$(rd_manifest app "sha256-${d#sha256:}" | jq -r '.manifests[0].digest')"
rd_rd verify -o json "$REG_HOST/app:bundle" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "bundle: verify exit 0" 0
rd_assert_eq "bundle: sigstore-bundle, the referrer digest, valid" "sigstore-bundle|$referrer|true" \
  "$(jq -r '.[0].signatures[-1] | [.format, .digest, .valid] | join("|")' <<<"$RD_OUT")"
rd_rd verify "$REG_HOST/app:bundle" --key "$KEYS/ecdsa-p256.pub"
rd_assert_contains "bundle: text names the format" "$RD_OUT" "(sigstore bundle)"
rd_rd verify "$REG_HOST/app:bundle" --key "$KEYS/ecdsa-p256-other.pub"
rd_assert_rc "bundle, wrong key: exit 1" 1
# A bundle for another image, attached to this one.
d="$(push bundle-other verify-bundle-other)"
node "$SIGNING/sigstore/sign_bundle.mjs" --key "$KEYS/ecdsa-p256.key" --digest "$d" \
  --subject-digest "$other" >"$RD_TMP/b2.json"
node "$SIGNING/sigstore/attach.mjs" --registry "$REG_HOST" --repo app --digest "$d" \
  --bundle "$RD_TMP/b2.json" >/dev/null
rd_rd verify -o json "$REG_HOST/app:bundle-other" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "bundle whose subject differs: exit 1" 1

# --- request counts through the counting proxy -------------------------------
rd_spawn "$RD_TMP/proxy.out" "$RD_PY" "$RD_SERVERS_DIR/counting_proxy.py" "$REG_PORT" \
  "$RD_TMP/proxy.port" "$RD_TMP/proxy.stats" --hold 0
for ((i = 0; i < 100; i++)); do [[ -s "$RD_TMP/proxy.port" ]] && break; sleep 0.1; done
PROXY="127.0.0.1:$(<"$RD_TMP/proxy.port")"
counts() { # "HEADS GETS" of the last run
  local _m _t _mh _mg heads gets
  read -r _m _t _mh _mg heads gets <"$RD_TMP/proxy.stats"
  printf '%s %s' "$heads" "$gets"
}
count_run() {
  rm -f "$RD_TMP/proxy.stats"
  curl -sf "http://$PROXY/_reset" >/dev/null
  rd_rd "$@"
}
count_run verify "$PROXY/app:ecdsa-p256" --key "$KEYS/ecdsa-p256.pub"
rd_assert_eq "cosign .sig by tag: 1 HEAD, 2 GETs (the .sig manifest, one payload blob)" "1 2" "$(counts)"
count_run verify "$PROXY/app@$D1" --key "$KEYS/ecdsa-p256.pub"
rd_assert_eq "cosign .sig by digest: no resolve, 2 GETs" "0 2" "$(counts)"
sign_cosign "$D1" rsa-2048.key --append
count_run verify "$PROXY/app@$D1" --key "$KEYS/ecdsa-p256.pub"
rd_assert_eq "two signature layers: 3 GETs (one manifest, two blobs)" "0 3" "$(counts)"
count_run verify "$PROXY/app:bundle" --key "$KEYS/ecdsa-p256.pub"
rd_assert_eq "bundle on registry 2.8: 1 HEAD; .sig, referrers API, fallback tag, referrer, bundle blob" \
  "1 5" "$(counts)"
echo "request counts: cosign by tag 1+2, by digest 0+2, bundle 1+5"

# --- lock --key, check --key, pin --key --------------------------------------
lock="$work/regdigest.lock"
rd_rd lock "$REG_HOST/app:ecdsa-p256" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "lock --key, signed: exit 0" 0
rd_assert_eq "lock entry records the signature {digest, key}" \
  "$(rd_manifest_digest app "sha256-${D1#sha256:}.sig")|$(fingerprint ecdsa-p256.pub)" \
  "$(jq -r '.entries[0].signature | [.digest, .key] | join("|")' "$lock")"
cp "$lock" "$RD_TMP/lock.before"
rd_rd lock "$REG_HOST/app:ecdsa-p256" "$REG_HOST/app:unsigned" --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "lock --key with an unsigned entry: exit 1" 1
rd_assert_contains "lock --key: names the unverified entry" "$RD_ERR" "$REG_HOST/app:unsigned: unverified"
rd_assert_contains "lock --key: says nothing was written" "$RD_ERR" "not written"
cmp -s "$lock" "$RD_TMP/lock.before" && rd_pass "lock --key failure: lock file unchanged" ||
  rd_fail "lock --key failure: lock file unchanged"

rd_rd check --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "check --key, unchanged: exit 0" 0
rd_assert_contains "check --key: ok and signed by the key" "$RD_OUT" "signed by $(fingerprint ecdsa-p256.pub)"
# The tag moves to other content signed by the same key: drifted, but signed.
d="$(push ecdsa-p256 verify-moved-signed)"
sign_cosign "$d" ecdsa-p256.key
rd_rd check -o json --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "check --key, moved to signed content: exit 1 (drifted)" 1
rd_assert_eq "moved to signed content: drifted, signed" "drifted|true" \
  "$(jq -r '.results[0] | [.state, .signed] | join("|")' <<<"$RD_OUT")"
# The tag moves to unsigned content: unsigned, which fails.
push ecdsa-p256 verify-moved-unsigned >/dev/null
rd_rd check --key "$KEYS/ecdsa-p256.pub"
rd_assert_rc "check --key, moved to unsigned content: exit 1" 1
rd_assert_match "moved to unsigned content: the row is unsigned" "^unsigned +$REG_HOST/app:ecdsa-p256" "$RD_OUT"
rd_assert_contains "summary counts it" "$RD_OUT" "1 unsigned"

printf 'FROM %s/app:rsa-2048\nFROM %s/app:unsigned\n' "$REG_HOST" "$REG_HOST" >Dockerfile
cp Dockerfile "$RD_TMP/Dockerfile.before"
rd_rd pin --key "$KEYS/rsa-2048.pub" Dockerfile
rd_assert_rc "pin --key with an unsigned image: exit 1" 1
rd_assert_contains "pin --key: refuses the unverified digest" "$RD_ERR" "refusing to pin unverified"
cmp -s Dockerfile "$RD_TMP/Dockerfile.before" && rd_pass "pin --key refusal: file unchanged" ||
  rd_fail "pin --key refusal: file unchanged"
printf 'FROM %s/app:rsa-2048\n' "$REG_HOST" >Dockerfile
rd_rd pin --key "$KEYS/rsa-2048.pub" Dockerfile
rd_assert_rc "pin --key, signed: exit 0" 0
rd_assert_contains "pin --key, signed: pinned" "$(cat Dockerfile)" "app:rsa-2048@sha256:"

# --- record --key: the history stores whether the digest is signed ----------
db="$work/history.db"
rd_rd record "$REG_HOST/app:rsa-2048" "$REG_HOST/app:unsigned" --key "$KEYS/rsa-2048.pub" --db "$db"
rd_assert_rc "record --key with an unsigned image: exit 1 (still recorded)" 1
rd_assert_match "record --key: the signed one is marked" "app:rsa-2048 sha256:[0-9a-f]+ signed" "$RD_OUT"
rd_assert_match "record --key: the unsigned one is marked" "app:unsigned sha256:[0-9a-f]+ unsigned" "$RD_OUT"
rd_rd history "$REG_HOST/app:rsa-2048" -o json --db "$db"
rd_assert_eq "history: signed image has signatureVerified true" "true" \
  "$(jq -r '.timeline[0].signatureVerified' <<<"$RD_OUT")"
rd_rd history "$REG_HOST/app:unsigned" -o json --db "$db"
rd_assert_eq "history: unsigned image has signatureVerified false" "false" \
  "$(jq -r '.timeline[0].signatureVerified' <<<"$RD_OUT")"
rd_rd record "$REG_HOST/app:unsigned" --db "$db"
rd_rd history "$REG_HOST/app:unsigned" -o json --db "$db"
rd_assert_eq "history: record without --key stores null" "null" \
  "$(jq -r '.timeline[0].signatureVerified' <<<"$RD_OUT")"

rd_finish
