#include "cli/output/verify_output.h"

#include "common/base/display_text.h"

namespace regdigest {

std::string FormatLabel(SignatureFormat format) {
  return format == SignatureFormat::kCosignSig ? "cosign .sig" : "sigstore bundle";
}

std::string VerificationText(const Reference& reference, const ImageVerification& verification) {
  const std::string head = DisplayText(reference.String()) + " " + verification.digest.String();
  if (verification.verified && verification.by) {
    std::string line = "verified " + head + " by " + verification.by->key.value_or("?") + " (" +
                       FormatLabel(verification.by->format) + ")";
    if (verification.by->tlog == kTlogVerified) line += ", tlog verified";
    return line;
  }
  std::string line = "unverified " + head + ": " + DisplayText(verification.reason);
  for (const SignatureCheck& check : verification.signatures) {
    if (check.keyless_identity) {
      line += "; keyless signature by " + DisplayText(*check.keyless_identity) + " (not verified)";
      break;
    }
  }
  return line;
}

nlohmann::ordered_json SignatureCheckJson(const SignatureCheck& check) {
  nlohmann::ordered_json json = {
      {"format", std::string(FormatName(check.format))},
      {"digest", check.manifest_digest.String()},
      {"key", check.key ? nlohmann::ordered_json(*check.key) : nlohmann::ordered_json(nullptr)},
      {"valid", check.valid},
      {"reason", check.reason},
      {"tlog", check.tlog}};
  if (check.keyless_identity) json["keylessIdentity"] = *check.keyless_identity;
  return json;
}

nlohmann::ordered_json VerificationJson(const std::string& input, const Reference& reference,
                                        const ImageVerification& verification) {
  nlohmann::ordered_json signatures = nlohmann::ordered_json::array();
  for (const SignatureCheck& check : verification.signatures) {
    signatures.push_back(SignatureCheckJson(check));
  }
  return {{"input", input},
          {"reference", reference.String()},
          {"digest", verification.digest.String()},
          {"verified", verification.verified},
          {"signatures", std::move(signatures)}};
}

}  // namespace regdigest
