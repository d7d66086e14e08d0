// ImageDescriber over a fake registry that serves an index, platform
// manifests and config blobs: walking, platform selection, verification.
// Also RegistryClient::FetchBlob, which the describer is built on.
#include <doctest/doctest.h>

#include <map>
#include <optional>

#include "client/registry/image_describer.h"
#include "common/image/media_types.h"

using namespace regdigest;

namespace {

struct Document {
  std::string content_type;
  std::string body;
};

// A registry in memory: "/v2/app/manifests/<tag or digest>" and
// "/v2/app/blobs/<digest>" on https://localhost:5000 (a loopback registry that
// speaks TLS, so https is what the client settles on). Records every URL asked.
class FakeRegistry : public Transport {
 public:
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    urls.push_back(request.url);
    HttpResponse response;
    response.url = request.url;
    auto it = documents.find(request.url);
    if (it == documents.end()) {
      response.status = 404;
      response.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})";
      return response;
    }
    response.status = 200;
    response.headers.Add("Content-Type", it->second.content_type);
    if (request.method != "HEAD") response.body = it->second.body;
    return response;
  }

  // Serves `body` as a manifest under its digest (and under `tag` if given).
  Digest AddManifest(const std::string& content_type, const std::string& body,
                     const std::string& tag = "") {
    const Digest digest = Digest::Sha256Of(body);
    documents[kBase + "manifests/" + digest.String()] = {content_type, body};
    if (!tag.empty()) documents[kBase + "manifests/" + tag] = {content_type, body};
    return digest;
  }
  Digest AddBlob(const std::string& body) {
    const Digest digest = Digest::Sha256Of(body);
    documents[kBase + "blobs/" + digest.String()] = {"application/octet-stream", body};
    return digest;
  }
  int CountRequests(const std::string& fragment) const {
    int n = 0;
    for (const std::string& url : urls) n += url.find(fragment) != std::string::npos ? 1 : 0;
    return n;
  }

  static inline const std::string kBase = "https://localhost:5000/v2/app/";
  std::map<std::string, Document> documents;
  std::vector<std::string> urls;
};

std::string Config(const std::string& os, const std::string& arch, const std::string& variant) {
  std::string json = R"({"os":")" + os + R"(","architecture":")" + arch + "\"";
  if (!variant.empty()) json += R"(,"variant":")" + variant + "\"";
  return json + R"(,"created":"2024-03-01T10:00:00Z","rootfs":{"type":"layers"}})";
}

std::string Descriptor(std::string_view media_type, const Digest& digest, int64_t size,
                       const std::string& extra = "") {
  return R"({"mediaType":")" + std::string(media_type) + R"(","digest":")" + digest.String() +
         R"(","size":)" + std::to_string(size) + extra + "}";
}

// An image manifest with `layers` layers of 1000 bytes each; its config is served as a blob.
std::string ImageManifestFor(FakeRegistry& registry, const std::string& config, int layers) {
  const Digest config_digest = registry.AddBlob(config);
  std::string layer_list;
  for (int i = 0; i < layers; ++i) {
    if (i > 0) layer_list += ",";
    layer_list += Descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
                             Digest::Sha256Of("layer" + std::to_string(i) + config), 1000);
  }
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" +
         Descriptor(kOciImageConfig, config_digest, static_cast<int64_t>(config.size())) +
         R"(,"layers":[)" + layer_list + "]}";
}

std::string PlatformJson(const std::string& os, const std::string& arch) {
  return R"(,"platform":{"os":")" + os + R"(","architecture":")" + arch + "\"}";
}

// Tag "v1" -> OCI index: linux/amd64 (2 layers), linux/arm64/v8 (3 layers), and a
// BuildKit attestation manifest for amd64. Tag "single" -> one linux/amd64 manifest.
struct Fixture {
  Digest index, amd64, arm64, attestation, amd64_config, arm64_config, single;
};

Fixture Populate(FakeRegistry& r) {
  const std::string c_amd64 = Config("linux", "amd64", "");
  const std::string c_arm64 = Config("linux", "arm64", "v8");
  const std::string m_amd64 = ImageManifestFor(r, c_amd64, 2);
  const std::string m_arm64 = ImageManifestFor(r, c_arm64, 3);
  const std::string m_att = ImageManifestFor(r, R"({"os":"unknown","architecture":"unknown"})", 1);
  const Digest amd64 = r.AddManifest(std::string(kOciImageManifest), m_amd64);
  const Digest arm64 = r.AddManifest(std::string(kOciImageManifest), m_arm64);
  const Digest attestation = r.AddManifest(std::string(kOciImageManifest), m_att);
  const std::string index_body =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
      Descriptor(kOciImageManifest, amd64, static_cast<int64_t>(m_amd64.size()),
                 PlatformJson("linux", "amd64")) +
      "," +
      Descriptor(kOciImageManifest, arm64, static_cast<int64_t>(m_arm64.size()),
                 R"(,"platform":{"os":"linux","architecture":"arm64","variant":"v8"})") +
      "," +
      Descriptor(kOciImageManifest, attestation, static_cast<int64_t>(m_att.size()),
                 PlatformJson("unknown", "unknown") +
                     R"(,"annotations":{"vnd.docker.reference.type":"attestation-manifest"})") +
      "]}";
  const Digest index = r.AddManifest(std::string(kOciImageIndex), index_body, "v1");
  const Digest single = r.AddManifest(std::string(kDockerManifestV2), m_amd64, "single");
  return Fixture{
      index, amd64, arm64, attestation, Digest::Sha256Of(c_amd64), Digest::Sha256Of(c_arm64),
      single};
}

Reference Ref(const std::string& text) { return Reference::Parse(text).value(); }

std::optional<Platform> P(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return Platform::Parse(text).value();
}

}  // namespace

TEST_CASE("Describe walks index -> platform manifests -> configs") {
  struct Case {
    const char* name;
    std::string reference;
    std::string only;                    // --platform, "" for all
    StatusCode want;                     // kOk or the error expected
    std::vector<std::string> platforms;  // described, in order
    std::string message;                 // part of the error message
  };
  const std::vector<Case> cases = {
      {"index, every platform",
       "localhost:5000/app:v1",
       "",
       StatusCode::kOk,
       {"linux/amd64", "linux/arm64/v8"},
       ""},
      {"index, one platform",
       "localhost:5000/app:v1",
       "linux/arm64",
       StatusCode::kOk,
       {"linux/arm64/v8"},
       ""},
      {"index, platform alias",
       "localhost:5000/app:v1",
       "linux/x86_64",
       StatusCode::kOk,
       {"linux/amd64"},
       ""},
      {"index, missing platform",
       "localhost:5000/app:v1",
       "linux/s390x",
       StatusCode::kNotFound,
       {},
       "no linux/s390x image in localhost:5000/app:v1; available: linux/amd64, linux/arm64/v8"},
      {"single manifest", "localhost:5000/app:single", "", StatusCode::kOk, {"linux/amd64"}, ""},
      {"single manifest, matching platform",
       "localhost:5000/app:single",
       "linux/amd64",
       StatusCode::kOk,
       {"linux/amd64"},
       ""},
      {"single manifest, other platform",
       "localhost:5000/app:single",
       "linux/arm64",
       StatusCode::kNotFound,
       {},
       "single-platform image for linux/amd64"},
      {"unknown tag", "localhost:5000/app:nope", "", StatusCode::kNotFound, {}, "manifest unknown"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto registry = std::make_shared<FakeRegistry>();
      Fixture fixture = Populate(*registry);
      RegistryClient client(registry, ToolConfig{});
      ImageDescriber describer(client);
      Result<ImageDescription> got = describer.Describe(Ref(c.reference), P(c.only));
      REQUIRE(got.status().code() == c.want);
      if (!got.ok()) {
        CHECK(got.status().message().find(c.message) != std::string::npos);
        continue;
      }
      std::vector<std::string> described;
      for (const PlatformImage& image : got->platforms)
        described.push_back(image.platform.String());
      CHECK(described == c.platforms);
      CHECK(registry->CountRequests(fixture.attestation.String()) == 0);  // never fetched
      CHECK(got->reference.String() == c.reference);
    }
  }
}

TEST_CASE("Describe reports digests, configs, layers and attestations") {
  auto registry = std::make_shared<FakeRegistry>();
  Fixture f = Populate(*registry);
  RegistryClient client(registry, ToolConfig{});
  ImageDescriber describer(client);

  SUBCASE("index") {
    Result<ImageDescription> got = describer.Describe(Ref("localhost:5000/app:v1"));
    REQUIRE(got.ok());
    CHECK(got->is_index);
    CHECK(got->digest == f.index);
    CHECK(got->media_type == kOciImageIndex);
    CHECK(got->attestation_count == 1);
    REQUIRE(got->index_entries.size() == 2);
    CHECK(got->index_entries[1].digest == f.arm64);
    REQUIRE(got->platforms.size() == 2);
    const PlatformImage& arm = got->platforms[1];
    CHECK(arm.manifest_digest == f.arm64);
    CHECK(arm.config_digest == f.arm64_config);
    CHECK(arm.media_type == kOciImageManifest);
    CHECK(arm.layer_count == 3);
    CHECK(arm.layers_size == 3000);
    CHECK(arm.created == "2024-03-01T10:00:00Z");
    CHECK(arm.config_platform.String() == "linux/arm64/v8");
    CHECK(got->platforms[0].config_digest == f.amd64_config);
    CHECK(got->platforms[0].layer_count == 2);
  }
  SUBCASE("single manifest: platform from the config") {
    Result<ImageDescription> got = describer.Describe(Ref("localhost:5000/app:single"));
    REQUIRE(got.ok());
    CHECK_FALSE(got->is_index);
    CHECK(got->digest == f.single);
    CHECK(got->media_type == kDockerManifestV2);
    CHECK(got->attestation_count == 0);
    REQUIRE(got->platforms.size() == 1);
    CHECK(got->platforms[0].platform.String() == "linux/amd64");
    CHECK(got->platforms[0].manifest_digest == f.single);
    CHECK(got->platforms[0].config_digest == f.amd64_config);
  }
}

TEST_CASE("Describe refuses content that does not match its digest") {
  struct Case {
    const char* name;
    std::string tamper;  // "child", "config" or "schema1"
    StatusCode want;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"child manifest", "child", StatusCode::kDigestMismatch, "manifest content does not match"},
      {"config blob", "config", StatusCode::kDigestMismatch, "blob content does not match"},
      {"schema 1", "schema1", StatusCode::kProtocol, "schema 1"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto registry = std::make_shared<FakeRegistry>();
      Fixture f = Populate(*registry);
      const std::string base = FakeRegistry::kBase;
      if (c.tamper == "child") {
        registry->documents[base + "manifests/" + f.arm64.String()].body += " ";
      } else if (c.tamper == "config") {
        registry->documents[base + "blobs/" + f.amd64_config.String()].body =
            Config("linux", "s390x", "");
      } else {
        registry->documents[base + "manifests/v1"] = {std::string(kDockerManifestV1Signed),
                                                      R"({"schemaVersion":1,"name":"app"})"};
      }
      RegistryClient client(registry, ToolConfig{});
      ImageDescriber describer(client);
      Result<ImageDescription> got = describer.Describe(Ref("localhost:5000/app:v1"));
      CHECK(got.status().code() == c.want);
      CHECK(got.status().message().find(c.message) != std::string::npos);
    }
  }
}

TEST_CASE("SelectPlatformManifest: the digest to pin for one platform") {
  struct Case {
    const char* name;
    std::string tag;
    std::string want_platform;
    std::string expect;  // "amd64", "arm64", "single", or "" for kNotFound
  };
  const std::vector<Case> cases = {
      {"index, arm64", "v1", "linux/arm64", "arm64"},
      {"index, amd64", "v1", "linux/amd64", "amd64"},
      {"index, missing", "v1", "windows/amd64", ""},
      {"single, matches", "single", "linux/amd64", "single"},
      {"single, other platform", "single", "linux/arm/v7", ""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto registry = std::make_shared<FakeRegistry>();
      Fixture f = Populate(*registry);
      RegistryClient client(registry, ToolConfig{});
      ImageDescriber describer(client);
      const Digest head = c.tag == "v1" ? f.index : f.single;
      Result<PlatformManifest> got = describer.SelectPlatformManifest(
          Ref("localhost:5000/app:" + c.tag), head, Platform::Parse(c.want_platform).value());
      // The document is fetched by the digest the HEAD answered, never by tag.
      CHECK(registry->CountRequests("manifests/" + c.tag) == 0);
      if (c.expect.empty()) {
        CHECK(got.status().code() == StatusCode::kNotFound);
        continue;
      }
      REQUIRE(got.ok());
      const Digest want = c.expect == "amd64" ? f.amd64 : c.expect == "arm64" ? f.arm64 : f.single;
      CHECK(got->digest == want);
      CHECK(got->platform.Matches(Platform::Parse(c.want_platform).value()));
    }
  }
}

TEST_CASE("RegistryClient::FetchBlob verifies and caps blobs") {
  struct Case {
    const char* name;
    std::string served;  // body served for the digest of "config"
    std::size_t max_bytes;
    StatusCode want;
  };
  const std::vector<Case> cases = {
      {"verified", "config", 1024, StatusCode::kOk},
      {"other bytes", "tampered", 1024, StatusCode::kDigestMismatch},
      {"too large", "config", 3, StatusCode::kProtocol},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto registry = std::make_shared<FakeRegistry>();
      const Digest digest = Digest::Sha256Of("config");
      registry->documents[FakeRegistry::kBase + "blobs/" + digest.String()] = {"application/json",
                                                                               c.served};
      RegistryClient client(registry, ToolConfig{});
      Result<std::string> got = client.FetchBlob(Ref("localhost:5000/app:v1"), digest, c.max_bytes);
      CHECK(got.status().code() == c.want);
      if (got.ok()) CHECK(*got == "config");
      REQUIRE(registry->urls.size() == 1);
      CHECK(registry->urls[0] == FakeRegistry::kBase + "blobs/" + digest.String());
    }
  }
}
