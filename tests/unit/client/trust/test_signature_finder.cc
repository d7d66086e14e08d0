// SignatureFinder over an in-memory registry: cosign's .sig tag (one manifest
// GET and one blob GET per signature layer), the hostile shapes that become a
// signature's problem rather than a failed run, and sigstore bundle referrers.
#include <doctest/doctest.h>

#include <memory>

#include "client/trust/signature_finder.h"
#include "tests/unit/fakes/fake_oci_registry.h"

using namespace regdigest;
using regdigest::testing::DescriptorJson;
using regdigest::testing::FakeOciRegistry;
using regdigest::testing::OciIndexJson;
using regdigest::testing::OciManifestJson;

namespace {

const Digest kSubject = Digest::Sha256Of("the image");
const std::string kSigTag = "sha256-" + kSubject.hex() + ".sig";
constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";

Reference Repo() { return Reference::Parse("localhost:5000/app").value(); }

std::string SigLayer(FakeOciRegistry& registry, const std::string& payload,
                     const std::string& signature) {
  const Digest digest = registry.AddBlob("app", payload);
  return DescriptorJson(
      std::string(kSimpleSigningMediaType), digest, payload.size(),
      R"(,"annotations":{"dev.cosignproject.cosign/signature":")" + signature + "\"}");
}

}  // namespace

TEST_CASE("Cosign: no .sig tag is no signature, with one request") {
  auto registry = std::make_shared<FakeOciRegistry>();
  RegistryClient client(registry, ToolConfig{});
  Result<std::optional<CosignSignatures>> found = SignatureFinder(client).Cosign(Repo(), kSubject);
  REQUIRE(found.ok());
  CHECK_FALSE(found->has_value());
  CHECK(registry->requests.size() == 1);
}

TEST_CASE("Cosign: one manifest GET and one blob GET per signature layer") {
  auto registry = std::make_shared<FakeOciRegistry>();
  const std::string manifest = OciManifestJson(
      {SigLayer(*registry, "payload-1", "c2lnMQ=="), SigLayer(*registry, "payload-2", "c2lnMg=="),
       DescriptorJson("application/x-other", Digest::Sha256Of("x"), 1)});
  const Digest sig_digest = registry->AddManifest("app", kOciManifest, manifest, kSigTag);
  RegistryClient client(registry, ToolConfig{});
  Result<std::optional<CosignSignatures>> found = SignatureFinder(client).Cosign(Repo(), kSubject);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  const CosignSignatures& sigs = **found;
  CHECK(sigs.problem.empty());
  CHECK(sigs.manifest_digest == sig_digest);
  REQUIRE(sigs.layers.size() == 2);
  CHECK(sigs.layers[0].payload == "payload-1");
  CHECK(sigs.layers[0].annotations.at("dev.cosignproject.cosign/signature") == "c2lnMQ==");
  CHECK(sigs.layers[1].payload == "payload-2");
  CHECK(registry->Count("GET ") == 3);
  CHECK(registry->Count("/manifests/") == 1);
  CHECK(registry->Count("/blobs/") == 2);
}

TEST_CASE("Cosign: hostile .sig shapes are a problem of the signature, not an error") {
  SUBCASE("a .sig tag that is an index") {
    auto registry = std::make_shared<FakeOciRegistry>();
    registry->AddManifest("app", "application/vnd.oci.image.index.v1+json", OciIndexJson({}),
                          kSigTag);
    RegistryClient client(registry, ToolConfig{});
    auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->problem.find("index") != std::string::npos);
    CHECK(registry->Count("/blobs/") == 0);
  }
  SUBCASE("too many signature layers") {
    auto registry = std::make_shared<FakeOciRegistry>();
    std::vector<std::string> layers(kMaxSignatureLayers + 1,
                                    SigLayer(*registry, "payload", "c2ln"));
    registry->AddManifest("app", kOciManifest, OciManifestJson(layers), kSigTag);
    RegistryClient client(registry, ToolConfig{});
    auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
    REQUIRE(found.ok());
    CHECK((*found)->problem.find("65 signature layers") != std::string::npos);
    CHECK(registry->Count("/blobs/") == 0);
  }
  SUBCASE("a payload blob that does not match its digest") {
    auto registry = std::make_shared<FakeOciRegistry>();
    const std::string layer = SigLayer(*registry, "payload", "c2ln");
    registry->answers[FakeOciRegistry::kBase + "app/blobs/" + Digest::Sha256Of("payload").String()]
        .body = "tampered";
    registry->AddManifest("app", kOciManifest, OciManifestJson({layer}), kSigTag);
    RegistryClient client(registry, ToolConfig{});
    auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
    REQUIRE(found.ok());
    REQUIRE((*found)->layers.size() == 1);
    CHECK((*found)->layers[0].problem.find("does not match") != std::string::npos);
    CHECK((*found)->layers[0].payload.empty());
  }
  SUBCASE("a payload declared over the cap is not fetched") {
    auto registry = std::make_shared<FakeOciRegistry>();
    const std::string layer = DescriptorJson(std::string(kSimpleSigningMediaType),
                                             Digest::Sha256Of("p"), kMaxPayloadBytes + 1);
    registry->AddManifest("app", kOciManifest, OciManifestJson({layer}), kSigTag);
    RegistryClient client(registry, ToolConfig{});
    auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
    REQUIRE(found.ok());
    CHECK((*found)->layers[0].problem.find("over the cap") != std::string::npos);
    CHECK(registry->Count("/blobs/") == 0);
  }
  SUBCASE("a .sig manifest that does not parse") {
    auto registry = std::make_shared<FakeOciRegistry>();
    registry->AddManifest("app", kOciManifest, R"({"schemaVersion":2,"layers":7})", kSigTag);
    RegistryClient client(registry, ToolConfig{});
    auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
    REQUIRE(found.ok());
    CHECK((*found)->problem.find("malformed") != std::string::npos);
  }
}

TEST_CASE("Cosign: a registry failure is an error of the run") {
  auto registry = std::make_shared<FakeOciRegistry>();
  FakeOciRegistry::Answer broken;
  broken.status = 503;
  registry->AddRaw(FakeOciRegistry::kBase + "app/manifests/" + kSigTag, broken);
  RegistryClient client(registry, ToolConfig{});
  auto found = SignatureFinder(client).Cosign(Repo(), kSubject);
  REQUIRE_FALSE(found.ok());
  CHECK(found.status().http_status() == 503);
}

TEST_CASE("FetchCosignTag describes .att and .sbom tags") {
  auto registry = std::make_shared<FakeOciRegistry>();
  const Digest d = registry->AddManifest(
      "app", kOciManifest, OciManifestJson({DescriptorJson("x", Digest::Sha256Of("a"), 1)}),
      "sha256-" + kSubject.hex() + ".att");
  RegistryClient client(registry, ToolConfig{});
  SignatureFinder finder(client);
  auto att = finder.FetchCosignTag(Repo(), kSubject, "att");
  REQUIRE(att.ok());
  REQUIRE(att->has_value());
  CHECK((*att)->digest == d);
  CHECK((*att)->layers.size() == 1);
  auto sbom = finder.FetchCosignTag(Repo(), kSubject, "sbom");
  REQUIRE(sbom.ok());
  CHECK_FALSE(sbom->has_value());
}

TEST_CASE("Bundles: sigstore bundle referrers found through the fallback tag") {
  auto registry = std::make_shared<FakeOciRegistry>();
  const std::string bundle = R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"})";
  const Digest bundle_blob = registry->AddBlob("app", bundle);
  const std::string referrer = OciManifestJson(
      {DescriptorJson("application/vnd.dev.sigstore.bundle.v0.3+json", bundle_blob, bundle.size())},
      R"(,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json")");
  const Digest referrer_digest = registry->AddManifest("app", kOciManifest, referrer);
  // Two-layer referrer: not one bundle.
  const std::string odd = OciManifestJson(
      {DescriptorJson("application/vnd.dev.sigstore.bundle.v0.3+json", bundle_blob, bundle.size()),
       DescriptorJson("application/vnd.dev.sigstore.bundle.v0.3+json", bundle_blob,
                      bundle.size())});
  const Digest odd_digest = registry->AddManifest("app", kOciManifest, odd);
  registry->AddManifest(
      "app", "application/vnd.oci.image.index.v1+json",
      OciIndexJson(
          {DescriptorJson(
               kOciManifest, referrer_digest, referrer.size(),
               R"(,"artifactType":"application/vnd.dev.sigstore.bundle+json;version=0.3")"),
           DescriptorJson(kOciManifest, odd_digest, odd.size(),
                          R"(,"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json")"),
           DescriptorJson(kOciManifest, Digest::Sha256Of("sbom"), 5,
                          R"(,"artifactType":"application/spdx+json")")}),
      "sha256-" + kSubject.hex());
  RegistryClient client(registry, ToolConfig{});
  Result<std::vector<BundleReferrer>> bundles = SignatureFinder(client).Bundles(Repo(), kSubject);
  REQUIRE(bundles.ok());
  REQUIRE(bundles->size() == 2);
  CHECK((*bundles)[0].digest == referrer_digest);
  CHECK((*bundles)[0].problem.empty());
  CHECK((*bundles)[0].bundle_json == bundle);
  CHECK((*bundles)[1].digest == odd_digest);
  CHECK((*bundles)[1].problem.find("exactly one bundle layer") != std::string::npos);
  CHECK(registry->Count("manifests/" + Digest::Sha256Of("sbom").String()) == 0);
}
