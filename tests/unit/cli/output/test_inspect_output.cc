// Tests for cli/output/inspect_output.h: what `regdigest inspect` prints,
// sizes and times as a person reads them, the text tree of an index and of a
// single manifest, and the JSON document.
#include <doctest/doctest.h>

#include <string>

#include "cli/output/inspect_output.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

Digest D(char c) { return Digest::Parse("sha256:" + std::string(64, c)).value(); }
Platform P(const char* text) { return Platform::Parse(text).value(); }

TEST_CASE("HumanSize, ShortTime and MediaTypeTitle") {
  struct SizeCase {
    int64_t bytes;
    const char* want;
  };
  const SizeCase sizes[] = {{0, "0 B"},
                            {999, "999 B"},
                            {1000, "1.0 kB"},
                            {2048, "2.0 kB"},
                            {52100000, "52.1 MB"},
                            {3500000000, "3.5 GB"},
                            {7000000000000000, "7000.0 TB"}};
  for (const SizeCase& c : sizes) CHECK(HumanSize(c.bytes) == c.want);

  struct TimeCase {
    const char* created;
    const char* want;
  };
  const TimeCase times[] = {{"", "(not recorded)"},
                            {"2023-07-11T18:03:48Z", "2023-07-11T18:03:48Z"},
                            {"2023-07-11T18:03:48.792964918Z", "2023-07-11T18:03:48Z"},
                            {"2023-07-11T18:03:48.5+02:00", "2023-07-11T18:03:48+02:00"}};
  for (const TimeCase& c : times) CHECK(ShortTime(c.created) == c.want);

  struct TitleCase {
    std::string media_type;
    const char* want;
  };
  const TitleCase titles[] = {
      {std::string(kOciImageIndex), "OCI image index"},
      {std::string(kDockerManifestList), "Docker manifest list"},
      {std::string(kOciImageManifest) + "; charset=utf-8", "OCI image manifest"},
      {std::string(kDockerManifestV2), "Docker image manifest"},
      {"application/x-other", "application/x-other"},
      {"", "unknown media type"},
  };
  for (const TitleCase& c : titles) CHECK(MediaTypeTitle(c.media_type) == c.want);
}

PlatformImage Image(const char* platform, char manifest, char config) {
  return PlatformImage{.platform = P(platform),
                       .manifest_digest = D(manifest),
                       .media_type = std::string(kOciImageManifest),
                       .manifest_size = 1234,
                       .config_digest = D(config),
                       .layer_count = 3,
                       .layers_size = 52100000,
                       .created = "2024-01-02T03:04:05.678Z",
                       .config_platform = P(platform)};
}

ImageDescription Index() {
  ImageDescription d{
      .reference = Reference::Parse("ghcr.io/team/app:v1").value(),
      .digest = D('1'),
      .media_type = std::string(kOciImageIndex),
      .is_index = true,
      .platforms = {Image("linux/amd64", 'a', 'c'), Image("linux/arm64", 'b', 'e')},
      .index_entries = {Descriptor{
                            std::string(kOciImageManifest), D('a'), 1234, P("linux/amd64"), {}},
                        Descriptor{
                            std::string(kOciImageManifest), D('b'), 999, P("linux/arm64"), {}}},
      .attestation_count = 2};
  d.platforms[1].config_platform = P("linux/amd64");  // a config that disagrees
  return d;
}

TEST_CASE("DescriptionText: an index, its platforms and their configs") {
  const std::string a = D('a').String(), b = D('b').String(), c = D('c').String(),
                    e = D('e').String(), index = D('1').String();
  CHECK(DescriptionText(Index()) ==
        "ghcr.io/team/app:v1\n"
        "└─ index     " +
            index +
            "  (OCI image index, 2 platforms, 2 attestations skipped)\n"
            "   ├─ linux/amd64\n"
            "   │    manifest  " +
            a +
            "  (OCI image manifest, 1.2 kB)\n"
            "   │    config    " +
            c +
            "\n"
            "   │    image ID  cccccccccccc  (what `docker images` shows on a classic engine)\n"
            "   │    layers    3, 52.1 MB compressed\n"
            "   │    created   2024-01-02T03:04:05Z\n"
            "   └─ linux/arm64\n"
            "        manifest  " +
            b +
            "  (OCI image manifest, 999 B)\n"
            "        config    " +
            e +
            "\n"
            "        image ID  eeeeeeeeeeee  (what `docker images` shows on a classic engine)\n"
            "        layers    3, 52.1 MB compressed\n"
            "        created   2024-01-02T03:04:05Z\n"
            "        warning   the config says linux/amd64, the index says linux/arm64\n"
            "\npin by:   ghcr.io/team/app@" +
            index +
            " (all platforms), or a platform's manifest digest (that platform only)\n"
            "image ID = config digest on a classic engine; with the containerd image store the "
            "image ID is the index digest\n");
}

TEST_CASE("DescriptionText and DescriptionJson: a single manifest") {
  ImageDescription d{.reference = Reference::Parse("localhost:5000/solo:1").value(),
                     .digest = D('a'),
                     .media_type = std::string(kDockerManifestV2),
                     .is_index = false,
                     .platforms = {Image("linux/amd64", 'a', 'c')},
                     .index_entries = {},
                     .attestation_count = 0};
  d.platforms[0].created = "";
  const std::string text = DescriptionText(d);
  CHECK(text.rfind("localhost:5000/solo:1\n└─ manifest  " + D('a').String() +
                       "  (Docker image manifest, linux/amd64, single platform)\n",
                   0) == 0);
  CHECK(text.find("     created   (not recorded)\n") != std::string::npos);
  CHECK(text.find("pin by:   localhost:5000/solo@" + D('a').String() +
                  " (single-platform image)") != std::string::npos);

  const nlohmann::ordered_json json = DescriptionJson(d);
  CHECK(json["reference"] == "localhost:5000/solo:1");
  CHECK(json["configDigest"] == D('c').String());  // only for a single manifest
  CHECK(json["platforms"].size() == 1);
  CHECK(json["attestations"] == 0);
}

TEST_CASE("DescriptionJson: an index") {
  const nlohmann::ordered_json json = DescriptionJson(Index());
  CHECK(json.dump() ==
        nlohmann::ordered_json::parse(
            R"({"reference":"ghcr.io/team/app:v1","digest":")" + D('1').String() +
            R"(","mediaType":")" + std::string(kOciImageIndex) + R"(","platforms":[)" +
            R"({"platform":"linux/amd64","digest":")" + D('a').String() + R"(","mediaType":")" +
            std::string(kOciImageManifest) + R"(","configDigest":")" + D('c').String() +
            R"(","size":1234,"layers":3,"layersSize":52100000,)" +
            R"("created":"2024-01-02T03:04:05.678Z",)" + R"("configPlatform":"linux/amd64"},)" +
            R"({"platform":"linux/arm64","digest":")" + D('b').String() + R"(","mediaType":")" +
            std::string(kOciImageManifest) + R"(","configDigest":")" + D('e').String() +
            R"(","size":1234,"layers":3,"layersSize":52100000,)" +
            R"("created":"2024-01-02T03:04:05.678Z",)" +
            R"("configPlatform":"linux/amd64"}],"attestations":2})")
            .dump());
}

}  // namespace
}  // namespace regdigest
