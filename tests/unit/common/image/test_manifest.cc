// Tests for common/manifest.h: indexes, manifest lists, image manifests and
// configs as registries serve them, and malformed documents.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "common/image/manifest.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

// "$A".."$F" in a document stand for these digests.
const std::map<std::string, std::string> kDigests = {
    {"$A", "sha256:8d28a6b1c4e0f1b7d5c3a2918e7f6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c"},
    {"$B", "sha256:1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001"},
    {"$C", "sha256:bac2f5fed373e0a7e3d0c9b8a7f6e5d4c3b2a190817263544536271809fedcba"},
    {"$D", "sha256:d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"},
    {"$E", "sha256:e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"},
    {"$F", "sha256:f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed"},
};

std::string Fill(std::string doc) {
  for (const auto& [token, digest] : kDigests) {
    for (size_t pos = doc.find(token); pos != std::string::npos; pos = doc.find(token, pos)) {
      doc.replace(pos, token.size(), digest);
    }
  }
  return doc;
}

std::string D(const std::string& token) { return kDigests.at(token); }

// Docker Hub style OCI index built by BuildKit: two images, each followed by
// its attestation manifest (unknown/unknown + vnd.docker.reference.*).
const std::string kHubIndex = Fill(R"({
  "manifests": [
    {"annotations": {"com.docker.official-images.bashbrew.arch": "amd64",
                     "org.opencontainers.image.created": "2024-05-01T10:00:00Z"},
     "digest": "$A", "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "amd64", "os": "linux"}, "size": 1035},
    {"annotations": {"vnd.docker.reference.digest": "$A",
                     "vnd.docker.reference.type": "attestation-manifest"},
     "digest": "$B", "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "unknown", "os": "unknown"}, "size": 566},
    {"annotations": {"com.docker.official-images.bashbrew.arch": "arm64v8"},
     "digest": "$C", "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}, "size": 1035},
    {"annotations": {"vnd.docker.reference.digest": "$C",
                     "vnd.docker.reference.type": "attestation-manifest"},
     "digest": "$D", "mediaType": "application/vnd.oci.image.manifest.v1+json",
     "platform": {"architecture": "unknown", "os": "unknown"}, "size": 566}
  ],
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "schemaVersion": 2
})");

// Docker manifest list as `docker manifest push` writes it (no variant on arm64).
const std::string kDockerList = Fill(R"({
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "manifests": [
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 2200,
       "digest": "$E", "platform": {"architecture": "arm64", "os": "linux"}},
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 2199,
       "digest": "$F", "platform": {"architecture": "amd64", "os": "linux"}},
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 2201,
       "digest": "$A", "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}}
   ]
})");

TEST_CASE("ParseImageIndex reads OCI indexes and Docker manifest lists") {
  Result<ImageIndex> hub = ParseImageIndex(kHubIndex);
  REQUIRE(hub.ok());
  CHECK(hub->media_type == kOciImageIndex);
  REQUIRE(hub->manifests.size() == 4);
  const Descriptor& amd64 = hub->manifests[0];
  CHECK(amd64.media_type == kOciImageManifest);
  CHECK(amd64.digest.String() == D("$A"));
  CHECK(amd64.size == 1035);
  REQUIRE(amd64.platform.has_value());
  CHECK(amd64.platform->String() == "linux/amd64");
  CHECK(amd64.annotations.at("com.docker.official-images.bashbrew.arch") == "amd64");
  CHECK(hub->manifests[2].platform->String() == "linux/arm64/v8");
  CHECK(hub->manifests[1].annotations.at("vnd.docker.reference.digest") == D("$A"));

  Result<ImageIndex> list = ParseImageIndex(kDockerList);
  REQUIRE(list.ok());
  CHECK(list->media_type == kDockerManifestList);
  REQUIRE(list->manifests.size() == 3);
  CHECK(list->manifests[0].media_type == kDockerManifestV2);
  CHECK(list->manifests[0].platform->String() == "linux/arm64");
  CHECK(list->manifests[2].platform->String() == "linux/arm/v7");
  CHECK(list->manifests[1].annotations.empty());

  // OCI allows an index without mediaType and entries without platform.
  Result<ImageIndex> bare = ParseImageIndex(Fill(
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "digest":"$B","size":7}]})"));
  REQUIRE(bare.ok());
  CHECK(bare->media_type.empty());
  REQUIRE(bare->manifests.size() == 1);
  CHECK_FALSE(bare->manifests[0].platform.has_value());

  Result<ImageIndex> empty = ParseImageIndex(R"({"schemaVersion":2,"manifests":[]})");
  REQUIRE(empty.ok());
  CHECK(empty->manifests.empty());
}

TEST_CASE("Descriptor::IsAttestation") {
  Result<ImageIndex> hub = ParseImageIndex(kHubIndex);
  REQUIRE(hub.ok());
  const bool expected[] = {false, true, false, true};
  for (size_t i = 0; i < hub->manifests.size(); ++i) {
    CAPTURE(i);
    CHECK(hub->manifests[i].IsAttestation() == expected[i]);
  }
  // The annotation alone is enough, and unknown/unknown alone is enough.
  Result<ImageIndex> odd = ParseImageIndex(Fill(R"({"manifests":[
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$A","size":1,
       "platform":{"os":"linux","architecture":"amd64"},
       "annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$B","size":1,
       "platform":{"os":"unknown","architecture":"unknown"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$C","size":1}]})"));
  REQUIRE(odd.ok());
  CHECK(odd->manifests[0].IsAttestation());
  CHECK(odd->manifests[1].IsAttestation());
  CHECK_FALSE(odd->manifests[2].IsAttestation());
}

TEST_CASE("SelectPlatform picks the first matching non-attestation entry") {
  Result<ImageIndex> hub = ParseImageIndex(kHubIndex);
  Result<ImageIndex> list = ParseImageIndex(kDockerList);
  REQUIRE(hub.ok());
  REQUIRE(list.ok());
  struct Case {
    const ImageIndex* index;
    Platform want;
    std::string digest;  // "" when nothing matches
  };
  const Case cases[] = {
      {&*hub, {"linux", "amd64", ""}, D("$A")},
      {&*hub, {"linux", "x86_64", ""}, D("$A")},
      {&*hub, {"linux", "arm64", ""}, D("$C")},
      {&*hub, {"linux", "aarch64", ""}, D("$C")},
      {&*hub, {"linux", "arm64", "v8"}, D("$C")},
      {&*hub, {"unknown", "unknown", ""}, ""},  // attestations are never selected
      {&*hub, {"windows", "amd64", ""}, ""},
      {&*hub, {"linux", "arm", "v7"}, ""},
      {&*list, {"linux", "arm64", "v8"}, D("$E")},
      {&*list, {"linux", "amd64", ""}, D("$F")},
      {&*list, {"linux", "arm", ""}, D("$A")},
      {&*list, {"linux", "armhf", ""}, D("$A")},
      {&*list, {"linux", "arm", "v6"}, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.want.String());
    const Descriptor* d = SelectPlatform(*c.index, c.want);
    if (c.digest.empty()) {
      CHECK(d == nullptr);
    } else {
      REQUIRE(d != nullptr);
      CHECK(d->digest.String() == c.digest);
    }
  }
}

TEST_CASE("ParseImageManifest reads OCI and Docker schema 2 manifests") {
  struct Case {
    std::string name, body, media_type, config_media_type, config_digest;
    int64_t config_size;
    size_t layer_count;
    int64_t layers_size;
  };
  const Case cases[] = {
      {"oci manifest", Fill(R"({
         "schemaVersion": 2,
         "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": "$C", "size": 7023},
         "layers": [
           {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "$D",
            "size": 32654},
           {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "$E",
            "size": 16724}
         ],
         "annotations": {"org.opencontainers.image.base.name": "docker.io/library/alpine:3.19"}
       })"),
       std::string(kOciImageManifest), std::string(kOciImageConfig), D("$C"), 7023, 2, 49378},
      {"docker schema 2", Fill(R"({
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                    "size": 11236, "digest": "$C"},
         "layers": [
           {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 75181999,
            "digest": "$A"},
           {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 3306,
            "digest": "$B"},
           {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 4000000000,
            "digest": "$F"}
         ]
       })"),
       std::string(kDockerManifestV2), std::string(kDockerImageConfig), D("$C"), 11236, 3,
       4075185305},
      {"oci manifest without mediaType", Fill(R"({"schemaVersion":2,
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$B","size":2},
         "layers":[]})"),
       "", std::string(kOciImageConfig), D("$B"), 2, 0, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<ImageManifest> m = ParseImageManifest(c.body);
    REQUIRE_MESSAGE(m.ok(), m.status().ToString());
    CHECK(m->media_type == c.media_type);
    CHECK(m->config.media_type == c.config_media_type);
    CHECK(m->config.digest.String() == c.config_digest);
    CHECK(m->config.size == c.config_size);
    CHECK(m->layers.size() == c.layer_count);
    CHECK(m->LayersSize() == c.layers_size);
  }
}

TEST_CASE("ParseImageConfig reads os, architecture, variant and created") {
  struct Case {
    std::string name, body, os, architecture, variant, created;
  };
  const Case cases[] = {
      {"docker config", Fill(R"({
         "architecture": "amd64",
         "config": {"User": "jenkins", "Env": ["PATH=/usr/bin"], "Entrypoint": ["/usr/bin/tini"]},
         "container": "0123abcd", "created": "2024-05-01T10:00:00.123456789Z",
         "docker_version": "20.10.24",
         "history": [{"created": "2024-04-01T00:00:00Z", "created_by": "ADD file"}],
         "os": "linux",
         "rootfs": {"type": "layers", "diff_ids": ["$A", "$B"]}
       })"),
       "linux", "amd64", "", "2024-05-01T10:00:00.123456789Z"},
      {"oci config with variant",
       R"({"architecture":"arm64","variant":"v8","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})",
       "linux", "arm64", "v8", ""},
      {"windows", R"({"architecture":"amd64","os":"windows","os.version":"10.0.20348.2402",
         "created":null})",
       "windows", "amd64", "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<ImageConfig> config = ParseImageConfig(c.body);
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->os == c.os);
    CHECK(config->architecture == c.architecture);
    CHECK(config->variant == c.variant);
    CHECK(config->created == c.created);
  }
}

enum class Kind { kIndex, kManifest, kConfig };

Status ParseAs(Kind kind, const std::string& body) {
  switch (kind) {
    case Kind::kIndex:
      return ParseImageIndex(body).status();
    case Kind::kManifest:
      return ParseImageManifest(body).status();
    case Kind::kConfig:
      return ParseImageConfig(body).status();
  }
  return Status::Ok();
}

const std::string kSchema1Says =
    "schema 1 manifests are not supported; push the image again with a current docker or "
    "buildkit (schema 1 has no config digest and no image ID)";

const char* kSchema1 = R"({
   "schemaVersion": 1, "name": "library/hello-world", "tag": "latest", "architecture": "amd64",
   "fsLayers": [{"blobSum": "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
   "history": [{"v1Compatibility": "{\"id\":\"abc\"}"}],
   "signatures": [{"header": {"alg": "ES256"}, "signature": "xyz", "protected": "abc"}]
})";

TEST_CASE("Malformed documents are kProtocol errors that say what is wrong") {
  struct Case {
    std::string name;
    Kind kind;
    std::string body, message;
  };
  const std::string entry = R"("mediaType":"application/vnd.oci.image.manifest.v1+json")";
  const Case cases[] = {
      {"index not json", Kind::kIndex, "{", "image index: not valid JSON"},
      {"index empty body", Kind::kIndex, "", "image index: not valid JSON"},
      {"index array", Kind::kIndex, "[]", "image index: not a JSON object"},
      {"index missing manifests", Kind::kIndex, R"({"schemaVersion":2})",
       "image index: missing \"manifests\""},
      {"index given a manifest", Kind::kIndex, Fill(R"({"config":{},"layers":[]})"),
       "image index: document is an image manifest, not an index"},
      {"index with manifest media type", Kind::kIndex,
       R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json","manifests":[]})",
       "image index: media type application/vnd.docker.distribution.manifest.v2+json is an image "
       "manifest, not an index"},
      {"manifests not array", Kind::kIndex, R"({"manifests":{}})",
       "image index: \"manifests\" is not an array"},
      {"entry not object", Kind::kIndex, R"({"manifests":[3]})",
       "image index: manifests[0]: not an object"},
      {"entry missing digest", Kind::kIndex, "{\"manifests\":[{" + entry + ",\"size\":1}]}",
       "image index: manifests[0]: missing \"digest\""},
      {"entry bad digest", Kind::kIndex,
       "{\"manifests\":[{" + entry + ",\"size\":1,\"digest\":\"sha256:abc\"}]}",
       "image index: manifests[0]: \"digest\": sha256 digest must have 64 hex characters, got 3"},
      {"entry missing mediaType", Kind::kIndex, Fill(R"({"manifests":[{"digest":"$A","size":1}]})"),
       "image index: manifests[0]: missing \"mediaType\""},
      {"entry missing size", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry + ",\"digest\":\"$A\"}]}"),
       "image index: manifests[0]: missing \"size\""},
      {"entry size string", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry + ",\"digest\":\"$A\",\"size\":\"1\"}]}"),
       "image index: manifests[0]: \"size\" is not an integer"},
      {"entry size negative", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry + ",\"digest\":\"$A\",\"size\":-1}]}"),
       "image index: manifests[0]: \"size\" is negative"},
      {"entry size huge", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry + ",\"digest\":\"$A\",\"size\":18446744073709551615}]}"),
       "image index: manifests[0]: \"size\" is too large"},
      {"platform missing architecture", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry +
            ",\"digest\":\"$A\",\"size\":1,\"platform\":{\"os\":"
            "\"linux\"}}]}"),
       "image index: manifests[0]: platform: missing \"architecture\""},
      {"platform not object", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry +
            ",\"digest\":\"$A\",\"size\":1,\"platform\":\"linux\"}]}"),
       "image index: manifests[0]: \"platform\" is not an object"},
      {"annotation value not string", Kind::kIndex,
       Fill("{\"manifests\":[{" + entry +
            ",\"digest\":\"$A\",\"size\":1,\"annotations\":{\"a\":1}}]}"),
       "image index: manifests[0]: annotation \"a\" is not a string"},
      {"layers total size overflows", Kind::kManifest,
       Fill("{\"config\":{" + entry + ",\"digest\":\"$A\",\"size\":1},\"layers\":[{" + entry +
            ",\"digest\":\"$A\",\"size\":9223372036854775807},{" + entry +
            ",\"digest\":\"$A\",\"size\":1}]}"),
       "image manifest: the layers' total size is too large"},
      {"index schema 1", Kind::kIndex, kSchema1, kSchema1Says},
      {"manifest schema 1", Kind::kManifest, kSchema1, kSchema1Says},
      {"manifest schema 1 media type", Kind::kManifest,
       R"({"mediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws"})",
       kSchema1Says},
      {"manifest not json", Kind::kManifest, "<html>", "image manifest: not valid JSON"},
      {"manifest given an index", Kind::kManifest, kHubIndex,
       "image manifest: media type application/vnd.oci.image.index.v1+json is an index, not an "
       "image manifest"},
      {"manifest given an index without media type", Kind::kManifest, R"({"manifests":[]})",
       "image manifest: document is an index, not an image manifest"},
      {"manifest missing config", Kind::kManifest, R"({"layers":[]})",
       "image manifest: missing \"config\""},
      {"manifest bad config", Kind::kManifest, R"({"config":{"size":1},"layers":[]})",
       "image manifest: config: missing \"mediaType\""},
      {"manifest missing layers", Kind::kManifest,
       Fill("{\"config\":{" + entry + ",\"digest\":\"$A\",\"size\":1}}"),
       "image manifest: missing \"layers\""},
      {"manifest bad layer", Kind::kManifest,
       Fill("{\"config\":{" + entry + ",\"digest\":\"$A\",\"size\":1},\"layers\":[{" + entry +
            ",\"digest\":\"md5:x\",\"size\":1}]}"),
       "image manifest: layers[0]: \"digest\": unsupported digest algorithm \"md5\""},
      {"manifest mediaType not string", Kind::kManifest, R"({"mediaType":2})",
       "image manifest: \"mediaType\" is not a string"},
      {"config not object", Kind::kConfig, "\"linux\"", "image config: not a JSON object"},
      {"config missing os", Kind::kConfig, R"({"architecture":"amd64"})",
       "image config: missing \"os\""},
      {"config missing architecture", Kind::kConfig, R"({"os":"linux"})",
       "image config: missing \"architecture\""},
      {"config variant not string", Kind::kConfig,
       R"({"os":"linux","architecture":"arm","variant":7})",
       "image config: \"variant\" is not a string"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Status s = ParseAs(c.kind, c.body);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kProtocol);
    CHECK(s.message() == c.message);
  }
}

}  // namespace
}  // namespace regdigest
