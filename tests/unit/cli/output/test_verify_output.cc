// Tests for cli/output/verify_output.h: the verified/unverified lines and the
// JSON of `verify`, with registry-supplied reasons escaped in text.
#include <doctest/doctest.h>

#include "cli/output/verify_output.h"

namespace regdigest {
namespace {

ImageVerification Sample(bool verified) {
  const Digest image = Digest::Sha256Of("image");
  ImageVerification v{image, verified, {}, std::nullopt, ""};
  SignatureCheck check;
  check.format = SignatureFormat::kCosignSig;
  check.manifest_digest = Digest::Sha256Of("sig");
  check.valid = verified;
  check.key = verified ? std::optional<std::string>("SHA256:k") : std::nullopt;
  check.reason = verified ? "" : "bad\x1b[31m signature";
  check.tlog = std::string(kTlogNotVerified);
  v.signatures.push_back(check);
  if (verified) v.by = check;
  v.reason = check.reason;
  return v;
}

TEST_CASE("VerificationText: verified names key and format; unverified escapes the reason") {
  const Reference ref = Reference::Parse("localhost:5000/app:v1").value();
  CHECK(VerificationText(ref, Sample(true)) == "verified localhost:5000/app:v1 " +
                                                   Digest::Sha256Of("image").String() +
                                                   " by SHA256:k (cosign .sig)");
  const std::string unverified = VerificationText(ref, Sample(false));
  CHECK(unverified.starts_with("unverified localhost:5000/app:v1 " +
                               Digest::Sha256Of("image").String() + ": bad"));
  CHECK(unverified.find('\x1b') == std::string::npos);
  CHECK(FormatLabel(SignatureFormat::kSigstoreBundle) == "sigstore bundle");
}

TEST_CASE("VerificationJson: the shape the issue specifies") {
  const Reference ref = Reference::Parse("localhost:5000/app:v1").value();
  const nlohmann::ordered_json ok = VerificationJson("app:v1", ref, Sample(true));
  CHECK(ok.dump() == R"({"input":"app:v1","reference":"localhost:5000/app:v1","digest":")" +
                         Digest::Sha256Of("image").String() +
                         R"(","verified":true,"signatures":[{"format":"cosign-sig","digest":")" +
                         Digest::Sha256Of("sig").String() +
                         R"(","key":"SHA256:k","valid":true,"reason":"","tlog":"not verified"}]})");
  const nlohmann::ordered_json bad = VerificationJson("app:v1", ref, Sample(false));
  CHECK(bad["verified"] == false);
  CHECK(bad["signatures"][0]["key"].is_null());
}

}  // namespace
}  // namespace regdigest
