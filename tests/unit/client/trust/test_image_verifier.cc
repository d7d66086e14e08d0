// VerifyImage over an in-memory registry with real signatures (made with the
// test keys as tests/signing does): a valid cosign .sig verifies with one
// manifest and one blob request and no referrers lookup; a wrong key falls
// through to the referrers lookup and says why; content problems become
// invalid signatures. Also LoadPublicKeys and ParseAnnotationOption.
#include <doctest/doctest.h>

#include <memory>

#include "client/trust/image_verifier.h"
#include "tests/unit/common/trust/trust_data.h"
#include "tests/unit/fakes/fake_oci_registry.h"
#include "tests/unit/fakes/fake_system.h"

using namespace regdigest;
using regdigest::testing::DescriptorJson;
using regdigest::testing::FakeOciRegistry;
using regdigest::testing::OciManifestJson;
using regdigest::trust_test::ImageDigest;
using regdigest::trust_test::PolicyWith;
using regdigest::trust_test::SignedLayer;

namespace {

std::string Payload(const Digest& digest) {
  return R"({"critical":{"identity":{"docker-reference":"localhost:5000/app"},"image":{"docker-manifest-digest":")" +
         digest.String() + R"("},"type":"cosign container image signature"},"optional":null})";
}

// Pushes a .sig for ImageDigest() signed by key_name over `payload`.
Digest PushSig(FakeOciRegistry& registry, const std::string& key_name, const std::string& payload) {
  const CosignLayer layer = SignedLayer(key_name, payload);
  const Digest blob = registry.AddBlob("app", payload);
  const std::string manifest = OciManifestJson(
      {DescriptorJson(std::string(kCosignSimpleSigningMediaType), blob, payload.size(),
                      R"(,"annotations":{"dev.cosignproject.cosign/signature":")" +
                          layer.annotations.at(std::string(kCosignSignatureAnnotation)) + "\"}")});
  return registry.AddManifest("app", "application/vnd.oci.image.manifest.v1+json", manifest,
                              "sha256-" + ImageDigest().hex() + ".sig");
}

Reference Repo() { return Reference::Parse("localhost:5000/app").value(); }

}  // namespace

TEST_CASE("VerifyImage: a cosign .sig by the key verifies with 2 requests and no referrers") {
  auto registry = std::make_shared<FakeOciRegistry>();
  const Digest sig = PushSig(*registry, "ecdsa-p256", Payload(ImageDigest()));
  RegistryClient client(registry, ToolConfig{});
  Result<ImageVerification> result =
      VerifyImage(client, Repo(), ImageDigest(), PolicyWith({"ecdsa-p256"}));
  REQUIRE(result.ok());
  CHECK(result->verified);
  REQUIRE(result->by.has_value());
  CHECK(result->by->manifest_digest == sig);
  CHECK(result->by->format == SignatureFormat::kCosignSig);
  CHECK(result->by->key == PolicyWith({"ecdsa-p256"}).keys[0].Fingerprint());
  CHECK(registry->requests.size() == 2);
  CHECK(registry->Count("/referrers/") == 0);
}

TEST_CASE("VerifyImage: a wrong key or a foreign payload is unverified, with the reason") {
  struct Case {
    const char* name;
    const char* key;
    bool foreign_payload;
  };
  const Case cases[] = {{"wrong key", "ecdsa-p256-other", false},
                        {"payload for another digest", "ecdsa-p256", true}};
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto registry = std::make_shared<FakeOciRegistry>();
    PushSig(*registry, "ecdsa-p256",
            Payload(c.foreign_payload ? regdigest::trust_test::OtherDigest() : ImageDigest()));
    RegistryClient client(registry, ToolConfig{});
    Result<ImageVerification> result =
        VerifyImage(client, Repo(), ImageDigest(), PolicyWith({c.key}));
    REQUIRE(result.ok());
    CHECK_FALSE(result->verified);
    REQUIRE(result->signatures.size() == 1);
    CHECK_FALSE(result->signatures[0].valid);
    CHECK_FALSE(result->reason.empty());
    // No valid .sig: the referrers are looked up (API 404, then the fallback tag).
    CHECK(registry->Count("/referrers/") == 1);
    CHECK(registry->Count("/manifests/sha256-" + ImageDigest().hex()) == 2);
  }
}

TEST_CASE("VerifyImage: nothing signed says so; a .sig index is an invalid signature") {
  auto registry = std::make_shared<FakeOciRegistry>();
  RegistryClient client(registry, ToolConfig{});
  Result<ImageVerification> none =
      VerifyImage(client, Repo(), ImageDigest(), PolicyWith({"ecdsa-p256"}));
  REQUIRE(none.ok());
  CHECK_FALSE(none->verified);
  CHECK(none->reason == "no signature found");

  registry->AddManifest("app", "application/vnd.oci.image.index.v1+json",
                        regdigest::testing::OciIndexJson({}),
                        "sha256-" + ImageDigest().hex() + ".sig");
  Result<ImageVerification> index =
      VerifyImage(client, Repo(), ImageDigest(), PolicyWith({"ecdsa-p256"}));
  REQUIRE(index.ok());
  CHECK_FALSE(index->verified);
  CHECK(index->reason.find("index") != std::string::npos);
}

TEST_CASE("LoadPublicKeys: missing or unsupported key files are usage errors naming the file") {
  regdigest::testing::FakeFileSystem files;
  files.files["/k/good.pub"].contents = regdigest::trust_test::ReadData("keys/ed25519.pub");
  files.files["/k/private.key"].contents = regdigest::trust_test::ReadData("keys/ed25519.key");
  Result<std::vector<PublicKey>> good = LoadPublicKeys({"/k/good.pub"}, files);
  REQUIRE(good.ok());
  CHECK(good->size() == 1);
  for (const std::string& path : {std::string("/k/missing.pub"), std::string("/k/private.key")}) {
    CAPTURE(path);
    Result<std::vector<PublicKey>> bad = LoadPublicKeys({"/k/good.pub", path}, files);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().code() == StatusCode::kUsage);
    CHECK(bad.status().message().find(path) != std::string::npos);
  }
}

TEST_CASE("ParseAnnotationOption splits at the first '='") {
  CHECK(ParseAnnotationOption("env=prod").value() ==
        std::make_pair(std::string("env"), std::string("prod")));
  CHECK(ParseAnnotationOption("a=b=c").value().second == "b=c");
  CHECK(ParseAnnotationOption("k=").value().second.empty());
  CHECK(ParseAnnotationOption("novalue").status().code() == StatusCode::kUsage);
  CHECK(ParseAnnotationOption("=v").status().code() == StatusCode::kUsage);
}
