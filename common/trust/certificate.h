// Fulcio (keyless) certificates: the identity a short-lived signing
// certificate names, to report keyless signatures as present but not verified.
// Parsing only, no chain validation; pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

struct CertificateIdentity {
  std::string subject;  // first SAN: email, URI or DNS name ("" when none)
  std::string issuer;   // OIDC issuer extension 1.3.6.1.4.1.57264.1.8 (or .1.1); "" when none
  // "keyless (Fulcio certificate for <subject>, issuer <issuer>)", untrusted
  // text escaped for terminals and capped.
  std::string Describe() const;
};

// From one PEM CERTIFICATE block or DER bytes (kInvalidArgument when neither).
Result<CertificateIdentity> ParseCertificateIdentity(std::string_view pem_or_der);

}  // namespace regdigest
