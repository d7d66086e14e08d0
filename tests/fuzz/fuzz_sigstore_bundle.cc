// Fuzz target: sigstore bundles (common/trust/sigstore_bundle.h), Rekor
// evidence (common/trust/rekor.h), Fulcio certificates and the verification
// of a bundle referrer (common/trust/verifier.h). A parsed bundle has exactly
// one kind of verification material and one kind of content within the caps;
// no input verifies with a key the fuzzer cannot sign for, and every refusal
// carries a reason.
#include <string>

#include "common/trust/certificate.h"
#include "common/trust/rekor.h"
#include "common/trust/sigstore_bundle.h"
#include "common/trust/verifier.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

// tests/data/trust/keys/ecdsa-p256.pub
constexpr std::string_view kKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1E8NnHAeIsGBX8uzpugBNQtAmiDR\n"
    "zgMiFrgjiysgoL2fbZa6bEXvYLjDWxmxQaOcnDDGX8ZtJC6oOIcy0ubsXQ==\n"
    "-----END PUBLIC KEY-----\n";

const VerifyPolicy& Policy() {
  static const VerifyPolicy policy = [] {
    VerifyPolicy p;
    Result<PublicKey> key = PublicKey::FromPem(kKey, "fuzz");
    FUZZ_CHECK(key.ok());
    p.keys.push_back(*key);
    p.rekor_key = *key;
    p.required_annotations = {{"env", "prod"}};
    return p;
  }();
  return policy;
}

void CheckBundle(const SigstoreBundle& bundle) {
  FUZZ_CHECK(bundle.dsse_envelope.has_value() != bundle.message_signature.has_value());
  FUZZ_CHECK(bundle.public_key_hint.has_value() != !bundle.certificates.empty());
  FUZZ_CHECK(bundle.certificates.size() <= kMaxCertificateChain);
  FUZZ_CHECK(bundle.tlog_entries.size() <= kMaxTlogEntries);
  for (const TlogEntry& entry : bundle.tlog_entries) {
    const RekorEntry rekor = RekorEntryFromTlog(entry);
    FUZZ_CHECK(SignedEntryTimestampPayload(rekor).rfind("{\"body\":\"", 0) == 0);
    FUZZ_CHECK(!VerifySignedEntryTimestamp(rekor, Policy().keys.front()).ok());
    (void)ParseRekorEntryBody(entry.canonicalized_body);
  }
  for (const std::string& der : bundle.certificates) (void)ParseCertificateIdentity(der);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  if (Result<SigstoreBundle> bundle = ParseSigstoreBundle(text); bundle.ok()) {
    fuzz::CheckBundle(*bundle);
  } else {
    FUZZ_CHECK(bundle.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!bundle.status().message().empty());
  }
  const SignatureCheck check = VerifySigstoreBundle(
      Digest::Sha256Of("image"), Digest::Sha256Of("referrer"), text, fuzz::Policy());
  FUZZ_CHECK(check.format == SignatureFormat::kSigstoreBundle);
  FUZZ_CHECK(!check.valid && !check.reason.empty() && !check.key);
  if (Result<RekorEntry> entry = ParseCosignRekorBundle(text); entry.ok()) {
    FUZZ_CHECK(!VerifySignedEntryTimestamp(*entry, fuzz::Policy().keys.front()).ok());
  }
  if (Result<RekorEntryClaims> claims = ParseRekorEntryBody(text); claims.ok()) {
    FUZZ_CHECK(!claims->signatures.empty() && !claims->hash_hex.empty());
    const std::string other = "not a logged signature";
    bool logged = false;
    for (const std::string& s : claims->signatures) logged = logged || s == other;
    FUZZ_CHECK(logged || !CheckEntryMatches(*claims, other, claims->hash_hex).ok());
  }
  if (Result<CertificateIdentity> identity = ParseCertificateIdentity(text); identity.ok()) {
    FUZZ_CHECK(identity->Describe().rfind("keyless (Fulcio certificate for ", 0) == 0);
  }
  return 0;
}
