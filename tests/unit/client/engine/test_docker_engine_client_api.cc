// DockerEngineClient over a fake engine: API version negotiation, paths,
// Info, InspectImage and ListImages answers, and engine errors that carry
// the answer's HTTP status; a 404 is "no such image" unless the parsed body
// says the route is unknown.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/engine/docker_engine_client.h"
#include "tests/unit/fakes/fake_docker_engine.h"

using namespace regdigest;
using namespace regdigest::testing;

namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const std::string kVersion20 =
    R"({"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"})";
const std::string kInfo20 =
    R"({"Driver":"vfs","DriverStatus":null,"OSType":"linux","Architecture":"x86_64","ServerVersion":"20.10.24+dfsg1"})";
const std::string kImage =
    R"({"Id":"sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d","RepoTags":["localhost:5391/team/app:v1"],"RepoDigests":["localhost:5391/team/app@sha256:2c8a913bb4f2e99ae8c6c98046c28383967806e32de70e3cff77fa9be6b9bb5b"],"Os":"linux","Architecture":"amd64"})";

}  // namespace

TEST_CASE("DockerEngineClient negotiates the API version once and prefixes every path") {
  struct Case {
    const char* name;
    std::optional<Result<HttpResponse>> ping;     // nullopt: 200 without header
    std::optional<Result<HttpResponse>> version;  // unversioned /version, if asked
    std::string prefix;
    std::vector<std::string> negotiation;  // paths asked before /images/json
  };
  const std::vector<Case> cases = {
      {"Docker 20.10", EngineAnswer(200, "OK", "1.41"), {}, "/v1.41", {"/_ping"}},
      {"newer engine is capped at 1.45", EngineAnswer(200, "OK", "1.47"), {}, "/v1.45", {"/_ping"}},
      {"Podman", EngineAnswer(200, "OK", "1.41"), {}, "/v1.41", {"/_ping"}},
      {"old engine", EngineAnswer(200, "OK", "1.24"), {}, "/v1.24", {"/_ping"}},
      {"ping 500 still carries the header",
       EngineAnswer(500, "", "1.40"),
       {},
       "/v1.40",
       {"/_ping"}},
      {"no header: /version's ApiVersion",
       std::nullopt,
       EngineAnswer(200, R"({"ApiVersion":"1.39"})"),
       "/v1.39",
       {"/_ping", "/version"}},
      {"unparsable header: /version's ApiVersion",
       EngineAnswer(200, "OK", "junk"),
       EngineAnswer(200, R"({"ApiVersion":"1.46"})"),
       "/v1.45",
       {"/_ping", "/version"}},
      {"no header, /version fails: no prefix",
       std::nullopt,
       EngineAnswer(500, R"({"message":"boom"})"),
       "",
       {"/_ping", "/version"}},
      {"no header, /version without ApiVersion: no prefix",
       std::nullopt,
       EngineAnswer(200, "{}"),
       "",
       {"/_ping", "/version"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeDockerEngine>();
    engine->routes.emplace("/_ping", c.ping ? *c.ping : EngineAnswer(200, "OK"));
    if (c.version) engine->routes.emplace("/version", *c.version);
    engine->routes.emplace(c.prefix + "/images/json", EngineAnswer(200, "[]"));
    DockerEngineClient client(engine, UnixHost(kMissingEngineSocket));
    for (int round = 0; round < 2; ++round) {
      Result<std::vector<LocalImage>> images = client.ListImages();
      REQUIRE_MESSAGE(images.ok(), images.status().ToString());
      CHECK(images->empty());
    }
    std::vector<std::string> want = c.negotiation;
    want.push_back(c.prefix + "/images/json");
    want.push_back(c.prefix + "/images/json");
    CHECK(engine->paths == want);
    Result<std::string> version = client.NegotiatedApiVersion();
    REQUIRE(version.ok());
    CHECK((version->empty() ? "" : "/v" + *version) == c.prefix);
  }
}

TEST_CASE("DockerEngineClient::Info reads platform, store and driver") {
  struct Case {
    const char* name;
    std::string version, info;
    std::string server_version, api_version, platform, driver;
    ImageStore store;
  };
  const std::vector<Case> cases = {
      {"Docker 20.10 classic", kVersion20, kInfo20, "20.10.24+dfsg1", "1.41", "linux/amd64", "vfs",
       ImageStore::kClassic},
      {"Docker 24 containerd store on arm64",
       R"({"Version":"24.0.7","ApiVersion":"1.43","Os":"linux","Arch":"arm64"})",
       R"({"Driver":"overlayfs","DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]],"OSType":"linux","Architecture":"aarch64"})",
       "24.0.7", "1.41", "linux/arm64/v8", "overlayfs", ImageStore::kContainerd},
      {"Podman", R"({"Version":"4.9.4","ApiVersion":"1.41","Os":"linux","Arch":"amd64"})",
       R"({"Driver":"overlay","DriverStatus":[["Backing Filesystem","xfs"]],"OSType":"linux","Architecture":"amd64"})",
       "4.9.4", "1.41", "linux/amd64", "overlay", ImageStore::kClassic},
      {"platform and version from /info when /version lacks them", R"({"ApiVersion":"1.41"})",
       R"({"Driver":"overlay2","OSType":"linux","Architecture":"x86_64","ServerVersion":"23.0.1"})",
       "23.0.1", "1.41", "linux/amd64", "overlay2", ImageStore::kClassic},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeDockerEngine>();
    engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
    engine->routes.emplace("/v1.41/version", EngineAnswer(200, c.version));
    engine->routes.emplace("/v1.41/info", EngineAnswer(200, c.info));
    DockerEngineClient client(engine, UnixHost(kMissingEngineSocket));
    Result<EngineInfo> info = client.Info();
    REQUIRE_MESSAGE(info.ok(), info.status().ToString());
    CHECK(info->server_version == c.server_version);
    CHECK(info->api_version == c.api_version);
    CHECK(info->platform.String() == c.platform);
    CHECK(info->storage_driver == c.driver);
    CHECK(info->store == c.store);
  }
}

TEST_CASE("DockerEngineClient::Info reports engine errors and bad bodies") {
  struct Case {
    const char* name;
    HttpResponse version, info;
    StatusCode code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"/version 500", EngineAnswer(500, R"({"message":"daemon is shutting down"})"),
       EngineAnswer(200, kInfo20), StatusCode::kTransport, "daemon is shutting down"},
      {"/info 500", EngineAnswer(200, kVersion20), EngineAnswer(500, R"({"message":"info broke"})"),
       StatusCode::kTransport, "HTTP 500 to GET /v1.41/info: info broke"},
      {"/version not JSON", EngineAnswer(200, "<html>"), EngineAnswer(200, kInfo20),
       StatusCode::kProtocol, "/version"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeDockerEngine>();
    engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
    engine->routes.emplace("/v1.41/version", c.version);
    engine->routes.emplace("/v1.41/info", c.info);
    DockerEngineClient client(engine, UnixHost(kMissingEngineSocket));
    Result<EngineInfo> info = client.Info();
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == c.code);
    CHECK_MESSAGE(Contains(info.status().message(), c.says), info.status().message());
    CHECK_MESSAGE(Contains(info.status().message(), kMissingEngineSocket), info.status().message());
  }
}

TEST_CASE("DockerEngineClient::InspectImage escapes the name and maps answers") {
  struct Case {
    const char* name;
    std::string image;
    std::string path;  // what the client must ask for
    HttpResponse answer;
    bool ok;
    bool found;
    StatusCode code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"registry with port", "localhost:5391/team/app:v1",
       "/v1.41/images/localhost:5391/team/app:v1/json", EngineAnswer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"familiar name as given", "jenkins/jenkins:centos7",
       "/v1.41/images/jenkins/jenkins:centos7/json", EngineAnswer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"canonical name", "docker.io/library/ubuntu:latest",
       "/v1.41/images/docker.io/library/ubuntu:latest/json", EngineAnswer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"digest reference keeps '@'", "app@sha256:2c8a", "/v1.41/images/app@sha256:2c8a/json",
       EngineAnswer(200, kImage), true, true, StatusCode::kOk, ""},
      {"odd characters are percent-encoded", "a b?c#d%e+f",
       "/v1.41/images/a%20b%3Fc%23d%25e%2Bf/json", EngineAnswer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"no such image", "nope", "/v1.41/images/nope/json",
       EngineAnswer(404, R"({"message":"No such image: nope:latest"})"), true, false,
       StatusCode::kOk, ""},
      {"an unknown route is not 'no such image'", "x", "/v1.41/images/x/json",
       EngineAnswer(404, R"({"message":"page not found"})"), false, false, StatusCode::kTransport,
       "page not found"},
      {"Go's plain-text 404 is an unknown route too", "x", "/v1.41/images/x/json",
       EngineAnswer(404, "404 page not found\n"), false, false, StatusCode::kTransport,
       "answered HTTP 404 to GET /v1.41/images/x/json: 404 page not found"},
      {"a message that only mentions the words is 'no such image'", "x", "/v1.41/images/x/json",
       EngineAnswer(404, R"({"message":"No such image: page not found"})"), true, false,
       StatusCode::kOk, ""},
      {"engine error", "x", "/v1.41/images/x/json",
       EngineAnswer(500, R"({"message":"layer store broken"})"), false, false,
       StatusCode::kTransport, "answered HTTP 500 to GET /v1.41/images/x/json: layer store broken"},
      {"garbage body", "x", "/v1.41/images/x/json", EngineAnswer(200, "[]"), false, false,
       StatusCode::kProtocol, "not a JSON object"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeDockerEngine>();
    engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
    engine->routes.emplace(c.path, c.answer);
    DockerEngineClient client(engine, UnixHost(kMissingEngineSocket));
    Result<std::optional<LocalImage>> got = client.InspectImage(c.image);
    CHECK(engine->paths.back() == c.path);
    REQUIRE_MESSAGE(got.ok() == c.ok, got.status().ToString());
    if (!c.ok) {
      CHECK(got.status().code() == c.code);
      CHECK_MESSAGE(Contains(got.status().message(), c.says), got.status().message());
      // An engine answer's error carries its HTTP status; a bad body has none.
      CHECK(got.status().http_status() == (c.code == StatusCode::kTransport ? c.answer.status : 0));
      continue;
    }
    REQUIRE(got->has_value() == c.found);
    if (!c.found) continue;
    const LocalImage& image = **got;
    CHECK(image.id == "sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d");
    CHECK(image.repo_tags == std::vector<std::string>{"localhost:5391/team/app:v1"});
    REQUIRE(image.repo_digests.size() == 1);
    CHECK(image.platform == Platform{"linux", "amd64", ""});
  }
  DockerEngineClient client(std::make_shared<FakeDockerEngine>(), UnixHost(kMissingEngineSocket));
  Result<std::optional<LocalImage>> empty = client.InspectImage("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("DockerEngineClient::ListImages drops placeholders and reports errors") {
  auto engine = std::make_shared<FakeDockerEngine>();
  engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
  engine->routes.emplace(
      "/v1.41/images/json",
      EngineAnswer(
          200,
          R"([{"Id":"sha256:aa","RepoTags":["<none>:<none>"],"RepoDigests":["<none>@<none>"]},{"Id":"sha256:bb","RepoTags":["app:v1","app:latest"],"RepoDigests":null}])"));
  DockerEngineClient client(engine, UnixHost(kMissingEngineSocket));
  Result<std::vector<LocalImage>> images = client.ListImages();
  REQUIRE_MESSAGE(images.ok(), images.status().ToString());
  REQUIRE(images->size() == 2);
  CHECK((*images)[0].id == "sha256:aa");
  CHECK((*images)[0].repo_tags.empty());
  CHECK((*images)[0].repo_digests.empty());
  CHECK((*images)[1].repo_tags == std::vector<std::string>{"app:v1", "app:latest"});
  CHECK((*images)[1].platform == Platform{});

  engine->routes.insert_or_assign("/v1.41/images/json",
                                  EngineAnswer(503, R"({"message":"service unavailable"})"));
  Result<std::vector<LocalImage>> failed = client.ListImages();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kTransport);
  CHECK(failed.status().http_status() == 503);
  CHECK(Contains(failed.status().message(), "service unavailable"));
}

namespace regdigest {
namespace {

using testing::EngineAnswer;
using testing::FakeDockerEngine;
using testing::UnixHost;

// Podman 4.3's answers, as recorded from `podman system service` (Debian 12).
constexpr std::string_view kPodman43Version =
    R"json({"Platform":{"Name":"linux/amd64/debian-12"},"Components":[{"Name":"Podman Engine","Version":"4.3.1","Details":{"APIVersion":"4.3.1","Arch":"amd64","MinAPIVersion":"4.0.0","Os":"linux"}}],"Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"})json";
constexpr std::string_view kPodman43Info =
    R"json({"Driver":"vfs","DriverStatus":[],"OSType":"linux","Architecture":"amd64","ServerVersion":"4.3.1"})json";
constexpr std::string_view kPodman43LibpodInspect =
    R"json({"Id":"fafe60966005bef170eb3706a52d0f1b873bf6d031358c88a2236729eb773440","Digest":"sha256:6b6023eda8fd7806a072c27891ad5f8d50b8d3aca95d54d2812ed83645bf02f6","RepoTags":["127.0.0.1:37667/multi:v1"],"RepoDigests":["127.0.0.1:37667/multi@sha256:6b6023eda8fd7806a072c27891ad5f8d50b8d3aca95d54d2812ed83645bf02f6","127.0.0.1:37667/multi@sha256:9057ba7adaf6ba05a17bea9284b5a4b29d3a4276a7476d0e76d81888790a6fa3"],"Architecture":"amd64","Os":"linux"})json";

TEST_CASE("DockerEngineClient names Podman and asks its own inspect for the image's Digest") {
  auto engine = std::make_shared<FakeDockerEngine>();
  engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
  engine->routes.emplace("/v1.41/version", EngineAnswer(200, std::string(kPodman43Version)));
  engine->routes.emplace("/v1.41/info", EngineAnswer(200, std::string(kPodman43Info)));
  engine->routes.emplace("/v1.41/libpod/images/127.0.0.1:37667/multi:v1/json",
                         EngineAnswer(200, std::string(kPodman43LibpodInspect)));
  engine->routes.emplace(
      "/v1.41/libpod/images/127.0.0.1:37667/gone:v1/json",
      EngineAnswer(
          404, R"({"cause":"image not known","message":"failed to find image","response":404})"));
  DockerEngineClient client(engine, UnixHost(testing::kMissingEngineSocket));
  Result<EngineInfo> info = client.Info();
  REQUIRE_MESSAGE(info.ok(), info.status().ToString());
  CHECK(info->kind == EngineKind::kPodman);
  CHECK(info->store == ImageStore::kContainersStorage);
  CHECK(info->Label() == "Podman 4.3.1");

  Result<std::optional<LocalImage>> image = client.InspectImage("127.0.0.1:37667/multi:v1");
  REQUIRE_MESSAGE(image.ok(), image.status().ToString());
  REQUIRE(image->has_value());
  CHECK((*image)->id == "sha256:fafe60966005bef170eb3706a52d0f1b873bf6d031358c88a2236729eb773440");
  CHECK((*image)->digest ==
        "sha256:6b6023eda8fd7806a072c27891ad5f8d50b8d3aca95d54d2812ed83645bf02f6");
  CHECK((*image)->repo_digests.size() == 2);

  Result<std::optional<LocalImage>> gone = client.InspectImage("127.0.0.1:37667/gone:v1");
  REQUIRE_MESSAGE(gone.ok(), gone.status().ToString());
  CHECK_FALSE(gone->has_value());
}

TEST_CASE("DockerEngineClient keeps Docker's inspect and labels for Docker") {
  auto engine = std::make_shared<FakeDockerEngine>();
  engine->routes.emplace("/_ping", EngineAnswer(200, "OK", "1.41"));
  engine->routes.emplace(
      "/v1.41/version",
      EngineAnswer(
          200, R"({"Version":"20.10.24+dfsg1","ApiVersion":"1.41","Os":"linux","Arch":"amd64"})"));
  engine->routes.emplace("/v1.41/info", EngineAnswer(200, R"({"Driver":"vfs"})"));
  engine->routes.emplace("/v1.41/images/app:1/json",
                         EngineAnswer(200, R"({"Id":"sha256:1","RepoDigests":[]})"));
  DockerEngineClient client(engine, UnixHost(testing::kMissingEngineSocket));
  Result<EngineInfo> info = client.Info();
  REQUIRE(info.ok());
  CHECK(info->kind == EngineKind::kDocker);
  CHECK(info->Label() == "Docker 20.10.24+dfsg1");
  Result<std::optional<LocalImage>> image = client.InspectImage("app:1");
  REQUIRE_MESSAGE(image.ok(), image.status().ToString());
  REQUIRE(image->has_value());
  CHECK((*image)->digest.empty());
}

}  // namespace
}  // namespace regdigest
