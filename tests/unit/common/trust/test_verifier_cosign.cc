// VerifyCosignSignatures over the cosign vectors of tests/data/trust (openssl
// signatures in cosign's .sig shape) and a real cosign + public Rekor signature.
#include <doctest/doctest.h>

#include <string>

#include "common/trust/simple_signing.h"
#include "common/trust/verifier.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::CosignVector;
using trust_test::ImageDigest;
using trust_test::Key;
using trust_test::OtherDigest;
using trust_test::PolicyWith;
using trust_test::ReadData;

const Digest kSigManifest = Digest::Sha256Of("sig manifest");

SignatureCheck CheckOne(const std::vector<CosignLayer>& layers, const VerifyPolicy& policy,
                        const Digest& image = ImageDigest()) {
  std::vector<SignatureCheck> checks = VerifyCosignSignatures(image, kSigManifest, layers, policy);
  REQUIRE(checks.size() == layers.size());
  CHECK(checks[0].format == SignatureFormat::kCosignSig);
  CHECK(checks[0].manifest_digest == kSigManifest);
  return checks[0];
}

TEST_CASE("VerifyCosignSignatures accepts openssl signatures of each key type") {
  struct Case {
    const char* vector;
    const char* key;
  };
  const Case cases[] = {
      {"ecdsa-p256", "ecdsa-p256"},
      {"ecdsa-p384", "ecdsa-p384"},
      {"ecdsa-p521", "ecdsa-p521"},
      {"ecdsa-p384-sha384", "ecdsa-p384"},
      {"ecdsa-p521-sha512", "ecdsa-p521"},
      {"rsa-2048", "rsa-2048"},
      {"rsa-3072", "rsa-3072"},
      {"ed25519", "ed25519"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.vector);
    // Among other keys: the one that verifies is named.
    const SignatureCheck check =
        CheckOne(CosignVector(c.vector), PolicyWith({"ecdsa-p256-other", c.key, "ed25519"}));
    CHECK(check.valid);
    CHECK(check.reason == "");
    CHECK(check.key == Key(c.key).Fingerprint());
    CHECK(check.tlog == kTlogNotVerified);
    CHECK_FALSE(check.keyless_identity.has_value());
  }
}

TEST_CASE("VerifyCosignSignatures gives each negative its reason") {
  struct Case {
    const char* what;
    const char* vector;
    const char* key;
    Digest image;
    std::string reason;
  };
  const Case cases[] = {
      {"wrong key", "ecdsa-p256", "ecdsa-p256-other", ImageDigest(),
       "signature does not verify with any given key"},
      {"tampered payload", "tampered", "ecdsa-p256", ImageDigest(),
       "signature does not verify with any given key"},
      {"truncated signature", "truncated", "ecdsa-p256", ImageDigest(),
       "signature does not verify with any given key"},
      {"malformed base64", "bad-base64", "ecdsa-p256", ImageDigest(), "malformed base64 signature"},
      {"digest claim mismatch", "other-digest", "ecdsa-p256", ImageDigest(),
       "payload is for " + OtherDigest().String() + ", not this image"},
      {"copied from another image", "ecdsa-p256", "ecdsa-p256", OtherDigest(),
       "payload is for " + ImageDigest().String() + ", not this image"},
      {"keyless", "keyless", "ecdsa-p256", ImageDigest(),
       "keyless (Fulcio certificate for signer@example.com, issuer https://accounts.example.com): "
       "not verified"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const SignatureCheck check = CheckOne(CosignVector(c.vector), PolicyWith({c.key}), c.image);
    CHECK_FALSE(check.valid);
    CHECK(check.reason == c.reason);
    CHECK_FALSE(check.key.has_value());
  }
  // No keys at all: nothing verifies.
  CHECK(CheckOne(CosignVector("ecdsa-p256"), VerifyPolicy{}).reason ==
        "signature does not verify with any given key");
}

TEST_CASE("VerifyCosignSignatures reports a keyless signature's identity") {
  const SignatureCheck unverified = CheckOne(CosignVector("keyless"), PolicyWith({"ecdsa-p256"}));
  REQUIRE(unverified.keyless_identity.has_value());
  CHECK(*unverified.keyless_identity ==
        "keyless (Fulcio certificate for signer@example.com, issuer https://accounts.example.com)");
  // Given the certificate's key with --key, it verifies as a keyed signature.
  const SignatureCheck keyed = CheckOne(CosignVector("keyless"), PolicyWith({"ecdsa-p256-other"}));
  CHECK(keyed.valid);
  CHECK_FALSE(keyed.keyless_identity.has_value());
}

TEST_CASE("VerifyCosignSignatures checks one result per layer") {
  std::vector<CosignLayer> layers = CosignVector("ecdsa-p256");
  layers.push_back(CosignVector("ed25519").front());
  layers.push_back(CosignVector("rsa-2048").front());
  layers[2].media_type = "application/vnd.oci.image.layer.v1.tar";
  CosignLayer unsigned_layer = layers[0];
  unsigned_layer.annotations.clear();
  layers.push_back(unsigned_layer);
  const std::vector<SignatureCheck> checks =
      VerifyCosignSignatures(ImageDigest(), kSigManifest, layers, PolicyWith({"ed25519"}));
  REQUIRE(checks.size() == 4);
  CHECK(checks[0].reason == "signature does not verify with any given key");
  CHECK(checks[1].valid);
  CHECK(checks[2].reason ==
        "layer is application/vnd.oci.image.layer.v1.tar, not a cosign signature");
  CHECK(checks[3].reason == "layer has no dev.cosignproject.cosign/signature annotation");

  const std::vector<SignatureCheck> none =
      VerifyCosignSignatures(ImageDigest(), kSigManifest, {}, PolicyWith({"ed25519"}));
  REQUIRE(none.size() == 1);
  CHECK_FALSE(none[0].valid);
  CHECK(none[0].reason == "signature manifest has no layers");

  const std::vector<CosignLayer> many(kMaxCosignSignatureLayers + 5, layers[1]);
  CHECK(VerifyCosignSignatures(ImageDigest(), kSigManifest, many, PolicyWith({"ed25519"})).size() ==
        kMaxCosignSignatureLayers);
}

TEST_CASE("VerifyCosignSignatures requires --annotation claims in the payload") {
  VerifyPolicy policy = PolicyWith({"ecdsa-p256"});
  policy.required_annotations = {{"env", "prod"}};
  CHECK(CheckOne(CosignVector("annotated"), policy).valid);
  CHECK(CheckOne(CosignVector("ecdsa-p256"), policy).reason == "annotation env=prod missing");
  policy.required_annotations = {{"env", "prod"}, {"team", "web"}};
  CHECK(CheckOne(CosignVector("annotated"), policy).reason == "annotation team=web missing");
}

TEST_CASE("VerifyCosignSignatures --match-reference compares normalised repositories") {
  struct Case {
    const char* signed_reference;
    const char* required;
    std::string reason;
  };
  const Case cases[] = {
      {"registry.example/team/app", "registry.example/team/app", ""},
      {"registry.example/team/app:v1", "registry.example/team/app", ""},  // tag ignored
      {"index.docker.io/library/nginx", "nginx", ""},  // what cosign writes for Docker Hub
      {"docker.io/library/nginx", "docker.io/library/nginx:latest", ""},
      {"registry.example/team/app", "registry.example/team/other",
       "docker-reference is registry.example/team/app, not registry.example/team/other"},
      {"nginx", "ghcr.io/x/nginx",
       "docker-reference is docker.io/library/nginx, not ghcr.io/x/nginx"},
      {"Not A Reference", "nginx", "docker-reference \"Not A Reference\" is not a reference"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.signed_reference);
    const std::string payload = MakeSimpleSigningPayload(c.signed_reference, ImageDigest(), {});
    VerifyPolicy policy = PolicyWith({"rsa-2048"});
    policy.required_repository = c.required;
    const SignatureCheck check = CheckOne({trust_test::SignedLayer("rsa-2048", payload)}, policy);
    CHECK(check.valid == c.reason.empty());
    CHECK(check.reason == c.reason);
  }
}

TEST_CASE("VerifyCosignSignatures checks Rekor evidence only with --rekor-key") {
  auto with_bundle = [](const char* file) {
    std::vector<CosignLayer> layers = CosignVector("ecdsa-p256");
    layers[0].annotations[std::string(kCosignBundleAnnotation)] = ReadData(file);
    return layers;
  };
  VerifyPolicy policy = PolicyWith({"ecdsa-p256"});
  CHECK(CheckOne(with_bundle("rekor/cosign-ecdsa-p256.json"), policy).tlog == kTlogNotVerified);
  policy.rekor_key = Key("rekor");
  const SignatureCheck logged = CheckOne(with_bundle("rekor/cosign-ecdsa-p256.json"), policy);
  CHECK(logged.valid);
  CHECK(logged.tlog == kTlogVerified);
  struct Case {
    std::vector<CosignLayer> layers;
    const char* tlog;
  };
  const Case cases[] = {
      {with_bundle("rekor/cosign-bad-set.json"),
       "signed entry timestamp does not verify with the Rekor key"},
      {with_bundle("rekor/cosign-other-signature.json"), "tlog entry is for another signature"},
      {CosignVector("ecdsa-p256"), "no tlog entry"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.tlog);
    const SignatureCheck check = CheckOne(c.layers, policy);
    CHECK_FALSE(check.valid);
    CHECK(check.tlog == c.tlog);
    CHECK(check.reason == std::string("tlog: ") + c.tlog);
  }
}

TEST_CASE("VerifyCosignSignatures verifies a real cosign signature and its public Rekor entry") {
  CosignLayer layer;
  layer.media_type = std::string(kCosignSimpleSigningMediaType);
  layer.payload = ReadData("cosign-real/payload.json");
  layer.annotations[std::string(kCosignSignatureAnnotation)] =
      ReadData("cosign-real/signature.b64");
  layer.annotations[std::string(kCosignBundleAnnotation)] =
      ReadData("cosign-real/bundle-annotation.json");
  VerifyPolicy policy;
  policy.keys.push_back(*PublicKey::FromPem(ReadData("cosign-real/signer.pub"), "cosign.pub"));
  policy.rekor_key = *PublicKey::FromPem(ReadData("cosign-real/rekor-public-good.pub"), "rekor");
  policy.required_repository = "localhost:5000/rx-m-cosign";
  const Digest image =
      *Digest::Parse("sha256:44f873350dc583a833cd22a0c5056b18b7f665e5cb93c6f8af6b83206a3815e4");
  const SignatureCheck check = CheckOne({layer}, policy, image);
  CHECK(check.valid);
  CHECK(check.reason == "");
  CHECK(check.tlog == kTlogVerified);
  CHECK(check.key == policy.keys[0].Fingerprint());
}

}  // namespace
}  // namespace regdigest
