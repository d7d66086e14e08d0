// IdentifyManifest (common/image/manifest.h): only manifests are manifests.
// A registry answer counts when its Content-Type is a manifest type, or when
// it is generic and the body parses as an index or image manifest; schema 1
// and anything else (a web page) are refused with their own messages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/image/manifest.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

const std::string kDigest =
    "sha256:8d28a6b1c4e0f1b7d5c3a2918e7f6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c";

std::string Fill(std::string doc) {
  for (size_t pos = doc.find("$A"); pos != std::string::npos; pos = doc.find("$A", pos)) {
    doc.replace(pos, 2, kDigest);
  }
  return doc;
}

const std::string kDockerList = Fill(R"({"schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "size": 2200, "digest": "$A", "platform": {"architecture": "arm64", "os": "linux"}}]})");
const std::string kHubIndex = Fill(R"({"schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "size": 1035, "digest": "$A", "platform": {"architecture": "amd64", "os": "linux"}}]})");
const char* kSchema1 = R"({"schemaVersion": 1, "name": "app", "tag": "v1", "fsLayers": []})";
const std::string kSchema1Says =
    "schema 1 manifests are not supported; push the image again with a current docker or "
    "buildkit (schema 1 has no config digest and no image ID)";

TEST_CASE("IdentifyManifest: a known type, or a generic one whose body is a manifest") {
  const std::string docker_v2 = Fill(
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.docker.container.image.v1+json",
          "digest":"$A","size":1},"layers":[]})");
  const std::string bare_oci = Fill(
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",
          "digest":"$A","size":1},"layers":[]})");
  const std::string bare_index = Fill(R"({"schemaVersion":2,"manifests":[]})");
  struct Case {
    const char* name;
    std::string content_type;
    std::string body;
    std::string want;  // the media type, or (prefixed with "!") words of the error
  };
  const std::vector<Case> cases = {
      {"manifest type taken as it is (HEAD, no body)",
       "application/vnd.oci.image.index.v1+json; charset=utf-8", "", std::string(kOciImageIndex)},
      {"octet-stream, Docker list naming itself", "application/octet-stream", kDockerList,
       std::string(kDockerManifestList)},
      {"missing type, OCI index naming itself", "", kHubIndex, std::string(kOciImageIndex)},
      {"text/plain, index without mediaType", "text/plain", bare_index,
       std::string(kOciImageIndex)},
      {"application/json, schema 2 without mediaType (Docker config)", "application/json",
       docker_v2, std::string(kDockerManifestV2)},
      {"octet-stream, OCI manifest without mediaType", "application/octet-stream", bare_oci,
       std::string(kOciImageManifest)},
      {"schema 1 type", "application/vnd.docker.distribution.manifest.v1+prettyjws", "",
       "!" + kSchema1Says},
      {"schema 1 body under a generic type", "application/json", kSchema1, "!" + kSchema1Says},
      {"HTML", "text/html; charset=utf-8", "<html></html>",
       "!http://127.0.0.1:8000 does not look like a container registry: it answered the "
       "manifest request with Content-Type \"text/html; charset=utf-8\""},
      {"octet-stream, HTML body", "application/octet-stream", "<html></html>",
       "!with Content-Type \"application/octet-stream\" and a body that is not a manifest (not "
       "valid JSON)"},
      {"no type, JSON that is no manifest", "", R"({"hello":"world"})",
       "!with no Content-Type and a body that is not a manifest (image manifest: missing "
       "\"config\")"},
      {"generic type, body naming a config type", "application/json",
       R"({"mediaType":"application/vnd.oci.image.config.v1+json"})",
       "!its mediaType is \"application/vnd.oci.image.config.v1+json\""},
      {"generic type, index type but no manifests", "application/octet-stream",
       R"({"mediaType":"application/vnd.oci.image.index.v1+json"})",
       "!(image index: missing \"manifests\")"},
      {"a control character in the type is escaped", "text/html\x1b[2J", "",
       "!Content-Type \"text/html\\x1b[2J\""},
      {"JSON array", "application/json", "[]", "!not a JSON object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::string> got = IdentifyManifest(c.content_type, c.body, "http://127.0.0.1:8000");
    if (c.want.starts_with("!")) {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == StatusCode::kProtocol);
      CHECK_MESSAGE(got.status().message().find(c.want.substr(1)) != std::string::npos,
                    got.status().message());
    } else {
      REQUIRE_MESSAGE(got.ok(), got.status().message());
      CHECK(*got == c.want);
    }
  }
}

}  // namespace
}  // namespace regdigest
