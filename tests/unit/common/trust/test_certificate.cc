#include <doctest/doctest.h>

#include <string>

#include "common/trust/certificate.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::ReadData;

TEST_CASE("ParseCertificateIdentity reads Fulcio's SAN and issuer, both extension forms") {
  struct Case {
    std::string input;
    const char* subject;
    const char* issuer;
  };
  const Case cases[] = {
      // Issuer in 1.3.6.1.4.1.57264.1.8 (DER UTF8String), email SAN, PEM.
      {ReadData("fulcio/cert.pem"), "signer@example.com", "https://accounts.example.com"},
      // Issuer in the older 1.3.6.1.4.1.57264.1.1 (raw bytes), URI SAN, PEM and DER.
      {ReadData("fulcio/cert-v1.pem"),
       "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1",
       "https://token.actions.githubusercontent.com"},
      {ReadData("fulcio/cert-v1.der"),
       "https://github.com/org/repo/.github/workflows/release.yml@refs/tags/v1",
       "https://token.actions.githubusercontent.com"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.subject);
    Result<CertificateIdentity> identity = ParseCertificateIdentity(c.input);
    REQUIRE(identity.ok());
    CHECK(identity->subject == c.subject);
    CHECK(identity->issuer == c.issuer);
  }
  CHECK(ParseCertificateIdentity(ReadData("fulcio/cert.pem"))->Describe() ==
        "keyless (Fulcio certificate for signer@example.com, issuer https://accounts.example.com)");
}

TEST_CASE("CertificateIdentity::Describe escapes and caps untrusted names") {
  CertificateIdentity identity;
  CHECK(identity.Describe() == "keyless (Fulcio certificate for an unnamed subject)");
  identity.subject = "evil\x1b[31m@example.com";
  identity.issuer = std::string(300, 'i');
  const std::string text = identity.Describe();
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.find("evil\\x1b[31m@example.com") != std::string::npos);
  CHECK(text.size() < 300);
}

TEST_CASE("ParseCertificateIdentity refuses what is not a certificate") {
  for (const std::string& input :
       {std::string(), std::string("garbage"), ReadData("keys/ecdsa-p256.pub"),
        std::string("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        ReadData("fulcio/cert-v1.der").substr(0, 100), std::string(70 * 1024, '0')}) {
    CAPTURE(input.substr(0, 40));
    Result<CertificateIdentity> identity = ParseCertificateIdentity(input);
    REQUIRE_FALSE(identity.ok());
    CHECK(identity.status().message() == "malformed certificate");
  }
}

}  // namespace
}  // namespace regdigest
