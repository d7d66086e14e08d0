// Tests for common/media_types.h: classification, short names, Accept header.
#include <doctest/doctest.h>

#include <string>

#include "common/image/media_types.h"

namespace regdigest {
namespace {

TEST_CASE("BaseMediaType strips parameters, whitespace and case") {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"application/json", "application/json"},
      {"application/json; charset=utf-8", "application/json"},
      {"application/json;charset=utf-8", "application/json"},
      {"  application/json  ; q=1", "application/json"},
      {"Application/JSON", "application/json"},
      {"application/vnd.oci.image.index.v1+json\r\n", "application/vnd.oci.image.index.v1+json"},
      {"", ""},
      {"   ", ""},
      {"; charset=utf-8", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(BaseMediaType(c.input) == c.expected);
  }
}

TEST_CASE("media types are classified and named") {
  struct Case {
    std::string media_type;
    bool index;
    bool image;
    bool schema1;
    std::string short_name;
  };
  const Case cases[] = {
      {std::string(kOciImageIndex), true, false, false, "oci-index"},
      {std::string(kDockerManifestList), true, false, false, "docker-list"},
      {std::string(kOciImageManifest), false, true, false, "oci-manifest"},
      {std::string(kDockerManifestV2), false, true, false, "docker-v2"},
      {std::string(kDockerManifestV1), false, false, true, "docker-v1"},
      {std::string(kDockerManifestV1Signed), false, false, true, "docker-v1"},
      {"application/vnd.oci.image.index.v1+json; charset=utf-8", true, false, false, "oci-index"},
      {"APPLICATION/VND.DOCKER.DISTRIBUTION.MANIFEST.V2+JSON", false, true, false, "docker-v2"},
      {std::string(kOciImageConfig), false, false, false, "unknown"},
      {std::string(kDockerImageConfig), false, false, false, "unknown"},
      {"application/json", false, false, false, "unknown"},
      {"application/vnd.oci.image.index.v1", false, false, false, "unknown"},
      {"", false, false, false, "unknown"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.media_type);
    CHECK(IsIndexMediaType(c.media_type) == c.index);
    CHECK(IsImageManifestMediaType(c.media_type) == c.image);
    CHECK(IsSchema1MediaType(c.media_type) == c.schema1);
    CHECK(MediaTypeShortName(c.media_type) == c.short_name);
  }
}

TEST_CASE("constants have the registered values") {
  struct Case {
    std::string_view constant;
    std::string_view expected;
  };
  const Case cases[] = {
      {kOciImageIndex, "application/vnd.oci.image.index.v1+json"},
      {kOciImageManifest, "application/vnd.oci.image.manifest.v1+json"},
      {kDockerManifestList, "application/vnd.docker.distribution.manifest.list.v2+json"},
      {kDockerManifestV2, "application/vnd.docker.distribution.manifest.v2+json"},
      {kDockerManifestV1, "application/vnd.docker.distribution.manifest.v1+json"},
      {kDockerManifestV1Signed, "application/vnd.docker.distribution.manifest.v1+prettyjws"},
      {kOciImageConfig, "application/vnd.oci.image.config.v1+json"},
      {kDockerImageConfig, "application/vnd.docker.container.image.v1+json"},
  };
  for (const Case& c : cases) {
    CHECK(c.constant == c.expected);
  }
}

TEST_CASE("ManifestAcceptHeader lists the four modern types and no schema 1") {
  const std::string accept = ManifestAcceptHeader();
  CHECK(accept ==
        "application/vnd.oci.image.index.v1+json, "
        "application/vnd.oci.image.manifest.v1+json, "
        "application/vnd.docker.distribution.manifest.list.v2+json, "
        "application/vnd.docker.distribution.manifest.v2+json");
  struct Case {
    std::string_view type;
    bool present;
  };
  const Case cases[] = {
      {kOciImageIndex, true},    {kOciImageManifest, true},  {kDockerManifestList, true},
      {kDockerManifestV2, true}, {kDockerManifestV1, false}, {"prettyjws", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.type);
    CHECK((accept.find(c.type) != std::string::npos) == c.present);
  }
}

TEST_CASE("IsManifestMediaType and IsGenericMediaType: what a manifest answer may say") {
  struct Case {
    std::string content_type;
    bool manifest;
    bool generic;
  };
  const Case cases[] = {
      {"application/vnd.oci.image.index.v1+json", true, false},
      {"application/vnd.oci.image.manifest.v1+json; charset=utf-8", true, false},
      {"Application/Vnd.Docker.Distribution.Manifest.List.V2+Json", true, false},
      {"application/vnd.docker.distribution.manifest.v2+json", true, false},
      {"application/vnd.docker.distribution.manifest.v1+prettyjws", false, false},
      {"application/vnd.docker.distribution.manifest.v1+json", false, false},
      {"application/vnd.oci.image.config.v1+json", false, false},
      {"", false, true},
      {"application/octet-stream", false, true},
      {"binary/octet-stream", false, true},
      {"text/plain; charset=utf-8", false, true},
      {"application/json", false, true},
      {"text/html", false, false},
      {"text/html; charset=utf-8", false, false},
      {"image/png", false, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.content_type);
    CHECK(IsManifestMediaType(c.content_type) == c.manifest);
    CHECK(IsGenericMediaType(c.content_type) == c.generic);
  }
}

}  // namespace
}  // namespace regdigest
