// Fuzz target: cosign's simple-signing payload (common/trust/simple_signing.h)
// and the verification of a cosign .sig layer built from the input
// (common/trust/verifier.h). A parsed payload must round-trip through
// MakeSimpleSigningPayload; no input may verify with a key whose private half
// the fuzzer does not have, and every refusal must carry a reason.
#include <string>

#include "common/base/ascii.h"
#include "common/trust/simple_signing.h"
#include "common/trust/verifier.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

// tests/data/trust/keys/ed25519.pub
constexpr std::string_view kKey =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAUcLx2rwavpuLurcIsOF8IrVlWUAMDC+tUR8Y9v5jHrg=\n"
    "-----END PUBLIC KEY-----\n";

const VerifyPolicy& Policy() {
  static const VerifyPolicy policy = [] {
    VerifyPolicy p;
    p.keys.push_back(*PublicKey::FromPem(kKey, "fuzz"));
    p.rekor_key = p.keys.front();
    p.required_repository = "registry.example/app";
    return p;
  }();
  return policy;
}

void CheckPayload(const SimpleSigningPayload& payload) {
  FUZZ_CHECK(AsciiEqualsIgnoreCase(payload.type, kCosignSignatureType));
  FUZZ_CHECK(Digest::Parse(payload.manifest_digest.String()).ok());
  const std::string again =
      MakeSimpleSigningPayload(payload.docker_reference, payload.manifest_digest, payload.optional);
  Result<SimpleSigningPayload> back = ParseSimpleSigningPayload(again);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->docker_reference == payload.docker_reference);
  FUZZ_CHECK(back->manifest_digest == payload.manifest_digest);
  FUZZ_CHECK(back->optional == payload.optional);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  if (Result<SimpleSigningPayload> payload = ParseSimpleSigningPayload(text); payload.ok()) {
    fuzz::CheckPayload(*payload);
  } else {
    FUZZ_CHECK(payload.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!payload.status().message().empty());
  }
  // The input as payload, signature, certificate and Rekor bundle of one layer.
  CosignLayer layer;
  layer.media_type = std::string(kCosignSimpleSigningMediaType);
  layer.payload = std::string(text);
  layer.annotations[std::string(kCosignSignatureAnnotation)] = std::string(text.substr(0, 256));
  layer.annotations[std::string(kCosignCertificateAnnotation)] = std::string(text);
  layer.annotations[std::string(kCosignBundleAnnotation)] = std::string(text);
  const Digest image = Digest::Sha256Of("image");
  const std::vector<SignatureCheck> checks =
      VerifyCosignSignatures(image, Digest::Sha256Of("sig"), {layer}, fuzz::Policy());
  FUZZ_CHECK(checks.size() == 1);
  FUZZ_CHECK(!checks[0].valid && !checks[0].reason.empty() && !checks[0].key);
  FUZZ_CHECK(checks[0].tlog == kTlogNotVerified);
  return 0;
}
