// Signature verification for regdigest verify / lock --key / check --key /
// pin --key: the policy (keys and requirements) and one result per signature
// found, for both formats (see docs/signatures.md):
// - cosign's tag format: a sha256-<hex>.sig manifest whose layers hold
//   simple-signing payloads with a base64 signature annotation;
// - a sigstore bundle attached as an OCI referrer (cosign v3's default).
// No I/O: the caller fetches the manifests and blobs (and checks the blobs
// against their descriptors' digests). Pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/image/digest.h"
#include "common/trust/public_key.h"

namespace regdigest {

inline constexpr std::string_view kCosignSimpleSigningMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::string_view kCosignSignatureAnnotation = "dev.cosignproject.cosign/signature";
inline constexpr std::string_view kCosignBundleAnnotation = "dev.sigstore.cosign/bundle";
inline constexpr std::string_view kCosignCertificateAnnotation = "dev.sigstore.cosign/certificate";
inline constexpr std::string_view kCosignChainAnnotation = "dev.sigstore.cosign/chain";
// A .sig manifest with more signature layers than this is not looked at beyond them.
inline constexpr size_t kMaxCosignSignatureLayers = 64;

struct VerifyPolicy {
  std::vector<PublicKey> keys;  // a signature is valid when any of them verifies it
  // --annotation k=v: each must be a string member of the simple-signing
  // payload's "optional" (for a bundle: of its in-toto Statement's predicate).
  std::map<std::string, std::string> required_annotations;
  // --match-reference: the payload's docker-reference must name this
  // repository (compared after Docker's normalisation: "nginx" is
  // docker.io/library/nginx, index.docker.io is docker.io; a tag or digest in
  // docker-reference is ignored).
  std::optional<std::string> required_repository;
  // --rekor-key: verify transparency-log evidence offline; without it tlog is
  // "not verified".
  std::optional<PublicKey> rekor_key;
};

enum class SignatureFormat { kCosignSig, kSigstoreBundle };
std::string_view FormatName(SignatureFormat format);  // "cosign-sig" / "sigstore-bundle"

// One signature layer of a cosign .sig manifest.
struct CosignLayer {
  std::string media_type;  // layers of other types give valid=false
  std::string payload;     // the blob bytes, digest-verified by the caller
  std::map<std::string, std::string> annotations;
};

inline constexpr std::string_view kTlogVerified = "verified";
inline constexpr std::string_view kTlogNotVerified = "not verified";

struct SignatureCheck {
  SignatureFormat format = SignatureFormat::kCosignSig;
  // The signature manifest (or referrer) digest.
  Digest manifest_digest = Digest::Sha256Of("");
  std::optional<std::string> key;  // fingerprint of the key that verified it
  bool valid = false;
  std::string reason;  // why not valid (one short line), "" when valid
  // kTlogVerified, kTlogNotVerified (no --rekor-key, or nothing to check), or
  // why the evidence failed ("signed entry timestamp does not verify ...").
  // Informational: valid does not depend on it unless rekor_key is set and
  // the evidence is present but wrong (then valid is false).
  std::string tlog;
  // For keyless signatures: "x@y, issuer https://..." from the Fulcio certificate.
  std::optional<std::string> keyless_identity;
};

// One result per layer of a cosign .sig manifest (at most
// kMaxCosignSignatureLayers; an empty layer list gives one invalid result
// "signature manifest has no layers").
std::vector<SignatureCheck> VerifyCosignSignatures(const Digest& image, const Digest& sig_manifest,
                                                   const std::vector<CosignLayer>& layers,
                                                   const VerifyPolicy& policy);

// One result for a sigstore bundle referrer (the bundle layer's bytes).
SignatureCheck VerifySigstoreBundle(const Digest& image, const Digest& referrer_manifest,
                                    std::string_view bundle_json, const VerifyPolicy& policy);

}  // namespace regdigest
