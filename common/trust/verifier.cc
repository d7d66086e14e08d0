#include "common/trust/verifier.h"

#include "common/base/display_text.h"
#include "common/image/reference.h"
#include "common/trust/certificate.h"
#include "common/trust/encoding.h"
#include "common/trust/rekor.h"
#include "common/trust/sigstore_bundle.h"
#include "common/trust/simple_signing.h"

namespace regdigest {
namespace {

const PublicKey* FindVerifyingKey(const VerifyPolicy& policy, std::string_view data,
                                  std::string_view signature) {
  for (const PublicKey& key : policy.keys) {
    if (key.Verify(data, signature)) return &key;
  }
  return nullptr;
}

// "" when every required annotation is present with its value.
std::string MissingAnnotation(const VerifyPolicy& policy,
                              const std::map<std::string, std::string>& claims) {
  for (const auto& [key, value] : policy.required_annotations) {
    const auto it = claims.find(key);
    if (it == claims.end() || it->second != value) {
      return "annotation " + DisplayText(key, 80) + "=" + DisplayText(value, 80) + " missing";
    }
  }
  return "";
}

// "" when the signed reference names the required repository (or none is required).
std::string RepositoryMismatch(const VerifyPolicy& policy, std::string_view signed_reference) {
  if (!policy.required_repository) return "";
  Result<Reference> want = Reference::Parse(*policy.required_repository);
  Result<Reference> got = Reference::Parse(signed_reference);
  if (!got.ok()) {
    return "docker-reference \"" + DisplayText(signed_reference, 100) + "\" is not a reference";
  }
  if (want.ok() && got->Name() == want->Name()) return "";
  return "docker-reference is " + DisplayText(got->Name(), 100) + ", not " +
         DisplayText(want.ok() ? want->Name() : *policy.required_repository, 100);
}

// Checks one piece of tlog evidence against rekor_key: the SET, then that the
// entry logs `signature` over data hashing to `signed_sha256_hex`.
Status CheckTlog(const RekorEntry& entry, const PublicKey& rekor_key, std::string_view signature,
                 std::string_view signed_sha256_hex) {
  if (Status s = VerifySignedEntryTimestamp(entry, rekor_key); !s.ok()) return s;
  Result<RekorEntryClaims> claims = ParseRekorEntryBody(entry.body);
  if (!claims.ok()) return claims.status();
  return CheckEntryMatches(*claims, signature, signed_sha256_hex);
}

// Sets check.tlog (and invalidates check when rekor_key is set and the
// evidence is missing or wrong). `entry` is null when there is none.
void ApplyTlog(const VerifyPolicy& policy, const Result<RekorEntry>* entry,
               std::string_view signature, std::string_view signed_sha256_hex,
               SignatureCheck& check) {
  check.tlog = std::string(kTlogNotVerified);
  if (!policy.rekor_key || !check.valid) return;
  Status status = entry == nullptr ? Status(StatusCode::kInvalidArgument, "no tlog entry")
                  : !entry->ok()
                      ? entry->status()
                      : CheckTlog(**entry, *policy.rekor_key, signature, signed_sha256_hex);
  if (status.ok()) {
    check.tlog = std::string(kTlogVerified);
    return;
  }
  check.tlog = status.message();
  check.valid = false;
  check.reason = "tlog: " + status.message();
}

SignatureCheck CheckCosignLayer(const Digest& image, const CosignLayer& layer,
                                const VerifyPolicy& policy, SignatureCheck check) {
  auto fail = [&check](std::string reason) {
    check.valid = false;
    check.reason = std::move(reason);
    return check;
  };
  check.tlog = std::string(kTlogNotVerified);
  if (const auto cert = layer.annotations.find(std::string(kCosignCertificateAnnotation));
      cert != layer.annotations.end()) {
    Result<CertificateIdentity> identity = ParseCertificateIdentity(cert->second);
    check.keyless_identity =
        identity.ok() ? identity->Describe() : "keyless (unreadable Fulcio certificate)";
  }
  if (layer.media_type != kCosignSimpleSigningMediaType) {
    return fail("layer is " + DisplayText(layer.media_type, 100) + ", not a cosign signature");
  }
  const auto sig_text = layer.annotations.find(std::string(kCosignSignatureAnnotation));
  if (sig_text == layer.annotations.end()) {
    return fail("layer has no " + std::string(kCosignSignatureAnnotation) + " annotation");
  }
  Result<std::string> signature = DecodeSignatureBase64(sig_text->second, "signature");
  if (!signature.ok() || signature->empty()) return fail("malformed base64 signature");
  if (layer.payload.size() > kMaxSignaturePayloadBytes) return fail("payload is over 1 MiB");
  const PublicKey* key = FindVerifyingKey(policy, layer.payload, *signature);
  if (key == nullptr) {
    if (check.keyless_identity) return fail(*check.keyless_identity + ": not verified");
    return fail("signature does not verify with any given key");
  }
  Result<SimpleSigningPayload> payload = ParseSimpleSigningPayload(layer.payload);
  if (!payload.ok()) return fail(payload.status().message());
  if (payload->manifest_digest != image) {
    return fail("payload is for " + payload->manifest_digest.String() + ", not this image");
  }
  if (std::string r = RepositoryMismatch(policy, payload->docker_reference); !r.empty()) {
    return fail(std::move(r));
  }
  if (std::string a = MissingAnnotation(policy, payload->optional); !a.empty()) {
    return fail(std::move(a));
  }
  check.valid = true;
  check.key = key->Fingerprint();
  check.keyless_identity.reset();  // verified with a given key: not keyless
  const auto bundle = layer.annotations.find(std::string(kCosignBundleAnnotation));
  const Result<RekorEntry> entry =
      bundle == layer.annotations.end()
          ? Result<RekorEntry>(Status(StatusCode::kInvalidArgument, "no tlog entry"))
          : ParseCosignRekorBundle(bundle->second);
  ApplyTlog(policy, bundle == layer.annotations.end() ? nullptr : &entry, *signature,
            Sha256Hex(layer.payload), check);
  return check;
}

// The DSSE checks of a bundle once parsed; `check` carries format and digest.
SignatureCheck CheckBundle(const Digest& image, const SigstoreBundle& bundle,
                           const VerifyPolicy& policy, SignatureCheck check) {
  auto fail = [&check](std::string reason) {
    check.valid = false;
    check.reason = std::move(reason);
    return check;
  };
  if (!bundle.certificates.empty()) {
    Result<CertificateIdentity> identity = ParseCertificateIdentity(bundle.certificates.front());
    check.keyless_identity =
        identity.ok() ? identity->Describe() : "keyless (unreadable Fulcio certificate)";
  }
  if (!bundle.dsse_envelope) {
    return fail("bundle holds a message signature (a blob), not a DSSE image signature");
  }
  const DsseEnvelope& envelope = *bundle.dsse_envelope;
  const std::string pae = PreAuthEncoding(envelope.payload_type, envelope.payload);
  const PublicKey* key = nullptr;
  const DsseSignature* used = nullptr;
  for (const DsseSignature& s : envelope.signatures) {
    key = FindVerifyingKey(policy, pae, s.sig);
    if (key != nullptr) {
      used = &s;
      break;
    }
  }
  if (key == nullptr) {
    if (check.keyless_identity) return fail(*check.keyless_identity + ": not verified");
    return fail("signature does not verify with any given key");
  }
  if (envelope.payload_type != kInTotoPayloadType) {
    return fail("envelope payloadType is " + DisplayText(envelope.payload_type, 100) +
                ", not in-toto");
  }
  Result<InTotoStatement> statement = ParseInTotoStatement(envelope.payload);
  if (!statement.ok()) return fail(statement.status().message());
  bool names_image = false;
  for (const InTotoSubject& subject : statement->subjects) {
    const auto it = subject.digest.find(image.algorithm());
    names_image = names_image || (it != subject.digest.end() && it->second == image.hex());
  }
  if (!names_image) {
    const auto& first = statement->subjects.front().digest;
    const auto it = first.find("sha256");
    return fail("bundle subject is " + (it == first.end()
                                            ? std::string("not a sha256 digest")
                                            : "sha256:" + DisplayText(it->second, 128)));
  }
  if (statement->predicate_type != kCosignSignPredicateType) {
    return fail("bundle predicate is " + DisplayText(statement->predicate_type, 100) +
                ", not a cosign signature");
  }
  if (policy.required_repository) {
    const std::string& name = statement->subjects.front().name;
    if (name.empty()) return fail("bundle subject names no repository");
    if (std::string r = RepositoryMismatch(policy, name); !r.empty()) return fail(std::move(r));
  }
  if (std::string a = MissingAnnotation(policy, statement->predicate_strings); !a.empty()) {
    return fail(std::move(a));
  }
  check.valid = true;
  check.key = key->Fingerprint();
  check.keyless_identity.reset();
  const Result<RekorEntry> entry =
      bundle.tlog_entries.empty()
          ? Result<RekorEntry>(Status(StatusCode::kInvalidArgument, "no tlog entry"))
          : Result<RekorEntry>(RekorEntryFromTlog(bundle.tlog_entries.front()));
  ApplyTlog(policy, bundle.tlog_entries.empty() ? nullptr : &entry, used->sig,
            Sha256Hex(envelope.payload), check);
  return check;
}

}  // namespace

std::string_view FormatName(SignatureFormat format) {
  return format == SignatureFormat::kCosignSig ? "cosign-sig" : "sigstore-bundle";
}

std::vector<SignatureCheck> VerifyCosignSignatures(const Digest& image, const Digest& sig_manifest,
                                                   const std::vector<CosignLayer>& layers,
                                                   const VerifyPolicy& policy) {
  SignatureCheck base;
  base.format = SignatureFormat::kCosignSig;
  base.manifest_digest = sig_manifest;
  base.tlog = std::string(kTlogNotVerified);
  std::vector<SignatureCheck> out;
  if (layers.empty()) {
    base.reason = "signature manifest has no layers";
    out.push_back(base);
    return out;
  }
  for (size_t i = 0; i < layers.size() && i < kMaxCosignSignatureLayers; ++i) {
    out.push_back(CheckCosignLayer(image, layers[i], policy, base));
  }
  return out;
}

SignatureCheck VerifySigstoreBundle(const Digest& image, const Digest& referrer_manifest,
                                    std::string_view bundle_json, const VerifyPolicy& policy) {
  SignatureCheck check;
  check.format = SignatureFormat::kSigstoreBundle;
  check.manifest_digest = referrer_manifest;
  check.tlog = std::string(kTlogNotVerified);
  Result<SigstoreBundle> bundle = ParseSigstoreBundle(bundle_json);
  if (!bundle.ok()) {
    check.reason = bundle.status().message();
    return check;
  }
  return CheckBundle(image, *bundle, policy, check);
}

}  // namespace regdigest
