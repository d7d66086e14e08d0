// What `verify` prints for one reference, in text and JSON, and the short
// "signed by" line `inspect`/`check` reuse. Every string that came from a
// registry (reasons, identities) is escaped for the terminal in text output.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "client/trust/image_verifier.h"
#include "common/image/reference.h"
#include "common/trust/verifier.h"

namespace regdigest {

// "cosign .sig" or "sigstore bundle".
std::string FormatLabel(SignatureFormat format);

// "verified REF DIGEST by KEY (cosign .sig)" or "unverified REF DIGEST: reason".
std::string VerificationText(const Reference& reference, const ImageVerification& verification);

// {format, digest, key, valid, reason, tlog[, keylessIdentity]}
nlohmann::ordered_json SignatureCheckJson(const SignatureCheck& check);

// {input, reference, digest, verified, signatures: [...]}
nlohmann::ordered_json VerificationJson(const std::string& input, const Reference& reference,
                                        const ImageVerification& verification);

}  // namespace regdigest
