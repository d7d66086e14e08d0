// VerifySigstoreBundle over bundles made by @sigstore/sign (tests/data/trust/
// bundles, cross-checked with @sigstore/verify by make_vectors.sh).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/base/base64.h"
#include "common/trust/dsse.h"
#include "common/trust/verifier.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::ImageDigest;
using trust_test::Key;
using trust_test::OtherDigest;
using trust_test::PolicyWith;
using trust_test::ReadData;

const Digest kReferrer = Digest::Sha256Of("referrer manifest");

SignatureCheck Check(const std::string& bundle_file, const VerifyPolicy& policy,
                     const Digest& image = ImageDigest()) {
  const SignatureCheck check =
      VerifySigstoreBundle(image, kReferrer, ReadData("bundles/" + bundle_file), policy);
  CHECK(check.format == SignatureFormat::kSigstoreBundle);
  CHECK(check.manifest_digest == kReferrer);
  return check;
}

TEST_CASE("FormatName names both formats as the JSON output does") {
  CHECK(FormatName(SignatureFormat::kCosignSig) == "cosign-sig");
  CHECK(FormatName(SignatureFormat::kSigstoreBundle) == "sigstore-bundle");
}

TEST_CASE("VerifySigstoreBundle accepts @sigstore/sign bundles of each key type") {
  for (const char* name : {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "ed25519"}) {
    CAPTURE(name);
    const SignatureCheck check =
        Check(std::string(name) + ".json", PolicyWith({"ecdsa-p256-other", name}));
    CHECK(check.valid);
    CHECK(check.reason == "");
    CHECK(check.key == Key(name).Fingerprint());
    CHECK(check.tlog == kTlogNotVerified);
  }
}

TEST_CASE("VerifySigstoreBundle gives each negative its reason") {
  struct Case {
    const char* what;
    const char* file;
    const char* key;
    Digest image;
    std::string reason;
  };
  const Case cases[] = {
      {"wrong key", "ecdsa-p256.json", "ed25519", ImageDigest(),
       "signature does not verify with any given key"},
      {"tampered payload", "tampered.json", "ecdsa-p256", ImageDigest(),
       "signature does not verify with any given key"},
      {"subject differs", "other-subject.json", "ecdsa-p256", ImageDigest(),
       "bundle subject is " + OtherDigest().String()},
      {"copied from another image", "ecdsa-p256.json", "ecdsa-p256", OtherDigest(),
       "bundle subject is " + ImageDigest().String()},
      {"attestation, not a signature", "other-predicate.json", "ecdsa-p256", ImageDigest(),
       "bundle predicate is https://slsa.dev/provenance/v1, not a cosign signature"},
      {"keyless", "keyless.json", "ecdsa-p256", ImageDigest(),
       "keyless (Fulcio certificate for signer@example.com, issuer https://accounts.example.com): "
       "not verified"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const SignatureCheck check = Check(c.file, PolicyWith({c.key}), c.image);
    CHECK_FALSE(check.valid);
    CHECK(check.reason == c.reason);
    CHECK_FALSE(check.key.has_value());
  }
  const SignatureCheck keyless = Check("keyless.json", PolicyWith({"ecdsa-p256"}));
  CHECK(keyless.keyless_identity ==
        "keyless (Fulcio certificate for signer@example.com, issuer https://accounts.example.com)");
}

TEST_CASE("VerifySigstoreBundle refuses malformed and blob bundles with the parser's reason") {
  const VerifyPolicy policy = PolicyWith({"ecdsa-p256"});
  CHECK(VerifySigstoreBundle(ImageDigest(), kReferrer, "not json", policy).reason ==
        "bundle is not JSON");
  nlohmann::json blob = nlohmann::json::parse(ReadData("bundles/ecdsa-p256.json"));
  blob.erase("dsseEnvelope");
  blob["messageSignature"] = {{"signature", "AQID"}};
  const SignatureCheck check = VerifySigstoreBundle(ImageDigest(), kReferrer, blob.dump(), policy);
  CHECK_FALSE(check.valid);
  CHECK(check.reason == "bundle holds a message signature (a blob), not a DSSE image signature");
  // A DSSE envelope whose payload is not in-toto, signed by the key.
  nlohmann::json other = nlohmann::json::parse(ReadData("bundles/ecdsa-p256.json"));
  const std::string type = "application/vnd.cncf.notary.payload.v1+json";
  other["dsseEnvelope"]["payloadType"] = type;
  other["dsseEnvelope"]["signatures"][0]["sig"] = Base64Encode(trust_test::SignWith(
      "ecdsa-p256",
      PreAuthEncoding(type, *Base64Decode(other["dsseEnvelope"]["payload"].get<std::string>()))));
  CHECK(VerifySigstoreBundle(ImageDigest(), kReferrer, other.dump(), policy).reason ==
        "envelope payloadType is " + type + ", not in-toto");
}

TEST_CASE("VerifySigstoreBundle requires annotations in the predicate; it names no repository") {
  VerifyPolicy policy = PolicyWith({"ecdsa-p256"});
  policy.required_annotations = {{"env", "prod"}};
  CHECK(Check("annotated.json", policy).valid);
  CHECK(Check("ecdsa-p256.json", policy).reason == "annotation env=prod missing");
  policy.required_annotations.clear();
  policy.required_repository = "registry.example/team/app";
  CHECK(Check("ecdsa-p256.json", policy).reason == "bundle subject names no repository");
}

TEST_CASE("VerifySigstoreBundle checks the dsse tlog entry only with --rekor-key") {
  VerifyPolicy policy = PolicyWith({"ecdsa-p256"});
  CHECK(Check("ecdsa-p256-tlog.json", policy).tlog == kTlogNotVerified);
  policy.rekor_key = Key("rekor");
  const SignatureCheck logged = Check("ecdsa-p256-tlog.json", policy);
  CHECK(logged.valid);
  CHECK(logged.tlog == kTlogVerified);
  const SignatureCheck bad = Check("ecdsa-p256-bad-set.json", policy);
  CHECK_FALSE(bad.valid);
  CHECK(bad.reason == "tlog: signed entry timestamp does not verify with the Rekor key");
  const SignatureCheck none = Check("ecdsa-p256.json", policy);
  CHECK_FALSE(none.valid);
  CHECK(none.reason == "tlog: no tlog entry");
  // Another log's key.
  policy.rekor_key = *PublicKey::FromPem(ReadData("cosign-real/rekor-public-good.pub"), "r");
  CHECK(Check("ecdsa-p256-tlog.json", policy)
            .reason.rfind("tlog: tlog entry is from another log", 0) == 0);
}

}  // namespace
}  // namespace regdigest
