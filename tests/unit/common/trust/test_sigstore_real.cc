// Real bundles from the public-good Sigstore (tests/data/trust/sigstore-real):
// Fulcio certificates, intoto 0.0.2 and dsse 0.0.1 Rekor entries with signed
// entry timestamps by rekor.sigstore.dev, a Rekor v2 entry, a blob bundle.
#include <doctest/doctest.h>

#include <string>

#include "common/trust/certificate.h"
#include "common/trust/encoding.h"
#include "common/trust/rekor.h"
#include "common/trust/sigstore_bundle.h"
#include "common/trust/verifier.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::ReadData;

PublicKey PublicGoodRekor() {
  Result<PublicKey> key =
      PublicKey::FromPem(ReadData("cosign-real/rekor-public-good.pub"), "rekor.pub");
  REQUIRE(key.ok());
  return *key;
}

TEST_CASE("Real Fulcio bundles: SET verifies offline and the entry logs this signature") {
  struct Case {
    const char* file;
    const char* kind;
    int64_t log_index;
  };
  const Case cases[] = {{"intoto-0.0.2.json", "intoto", 6751924},
                        {"dsse-0.0.1.json", "dsse", 22797666}};
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const std::string json = ReadData(std::string("sigstore-real/") + c.file);
    Result<SigstoreBundle> bundle = ParseSigstoreBundle(json);
    REQUIRE(bundle.ok());
    REQUIRE(bundle->certificates.size() == 1);
    Result<CertificateIdentity> identity = ParseCertificateIdentity(bundle->certificates[0]);
    REQUIRE(identity.ok());
    CHECK(identity->subject == "brian@dehamer.com");
    CHECK(identity->issuer == "https://github.com/login/oauth");
    REQUIRE(bundle->tlog_entries.size() == 1);
    const TlogEntry& tlog = bundle->tlog_entries[0];
    CHECK(tlog.kind == c.kind);
    CHECK(tlog.log_index == c.log_index);
    const RekorEntry entry = RekorEntryFromTlog(tlog);
    CHECK(VerifySignedEntryTimestamp(entry, PublicGoodRekor()).ok());
    // The entry logs this envelope's signature and payload (intoto 0.0.2
    // encodes the signature twice; the decoder handles both kinds).
    Result<RekorEntryClaims> claims = ParseRekorEntryBody(entry.body);
    REQUIRE(claims.ok());
    const DsseEnvelope& envelope = *bundle->dsse_envelope;
    CHECK(envelope.payload == "hello, world!");
    CHECK(CheckEntryMatches(*claims, envelope.signatures[0].sig, Sha256Hex(envelope.payload)).ok());
    // Any change to the logged fields breaks the SET.
    RekorEntry changed = entry;
    changed.integrated_time += 1;
    CHECK_FALSE(VerifySignedEntryTimestamp(changed, PublicGoodRekor()).ok());
    // Verified as a referrer: keyless, reported with the certificate's identity.
    const SignatureCheck check =
        VerifySigstoreBundle(trust_test::ImageDigest(), Digest::Sha256Of("r"), json,
                             trust_test::PolicyWith({"ecdsa-p256"}));
    CHECK_FALSE(check.valid);
    CHECK(check.reason ==
          "keyless (Fulcio certificate for brian@dehamer.com, issuer "
          "https://github.com/login/oauth): not verified");
  }
}

TEST_CASE(
    "A real Rekor v2 bundle has no signed entry timestamp; a blob bundle is no image signature") {
  Result<SigstoreBundle> v2 = ParseSigstoreBundle(ReadData("sigstore-real/dsse-rekor-v2.json"));
  REQUIRE(v2.ok());
  CHECK(v2->media_type == kSigstoreBundleV03MediaType);
  REQUIRE(v2->tlog_entries.size() == 1);
  CHECK(v2->tlog_entries[0].version == "0.0.2");
  CHECK_FALSE(v2->tlog_entries[0].signed_entry_timestamp.has_value());
  CHECK(VerifySignedEntryTimestamp(RekorEntryFromTlog(v2->tlog_entries[0]), PublicGoodRekor())
            .message() == "no signed entry timestamp");
  CHECK(ParseRekorEntryBody(v2->tlog_entries[0].canonicalized_body).status().message() ==
        "tlog entry has no payloadHash");

  const std::string blob = ReadData("sigstore-real/message-signature-public-key.json");
  Result<SigstoreBundle> message = ParseSigstoreBundle(blob);
  REQUIRE(message.ok());
  CHECK(message->public_key_hint.has_value());
  REQUIRE(message->message_signature.has_value());
  CHECK(message->message_signature->digest_algorithm == "SHA2_256");
  CHECK(message->message_signature->digest.size() == 32);
  // Its hashedrekord entry is in the public log too.
  CHECK(VerifySignedEntryTimestamp(RekorEntryFromTlog(message->tlog_entries[0]), PublicGoodRekor())
            .ok());
  CHECK(VerifySigstoreBundle(trust_test::ImageDigest(), Digest::Sha256Of("r"), blob,
                             trust_test::PolicyWith({"ecdsa-p256"}))
            .reason == "bundle holds a message signature (a blob), not a DSSE image signature");
}

}  // namespace
}  // namespace regdigest
