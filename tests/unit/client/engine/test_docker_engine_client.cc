// DockerEngineClient over a fake engine (version negotiation, paths, 404s,
// error mapping) and over a real CurlTransport on missing or dead sockets.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/engine/docker_engine_client.h"

using namespace regdigest;

namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

HttpResponse Answer(int status, std::string body, std::optional<std::string> api_header = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  if (api_header) response.headers.Add("Api-Version", *api_header);
  return response;
}

// An in-process engine: path → response; unknown paths answer Docker's
// 404 "page not found". Records every path asked for.
class FakeEngine : public Transport {
 public:
  std::map<std::string, Result<HttpResponse>> routes;
  std::vector<std::string> paths;

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    CHECK(request.method == "GET");
    const size_t authority = request.url.find("://");
    REQUIRE(authority != std::string::npos);
    const std::string path = request.url.substr(request.url.find('/', authority + 3));
    paths.push_back(path);
    auto it = routes.find(path);
    if (it != routes.end()) return it->second;
    return Answer(404, R"({"message":"page not found"})");
  }
};

DockerHost UnixHost(const std::string& path) { return DockerHost{path, "http://localhost", path}; }

const std::string kSocket = "/tmp/regdigest-no-such-dir/docker.sock";

std::string TempPath(const std::string& name) {
  return "/tmp/regdigest-engine-test-" + std::to_string(::getpid()) + "-" + name;
}

// A unix socket file nobody listens on: connect() gets ECONNREFUSED.
bool MakeDeadSocket(const std::string& path) {
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
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
      {"Docker 20.10", Answer(200, "OK", "1.41"), {}, "/v1.41", {"/_ping"}},
      {"newer engine is capped at 1.45", Answer(200, "OK", "1.47"), {}, "/v1.45", {"/_ping"}},
      {"Podman", Answer(200, "OK", "1.41"), {}, "/v1.41", {"/_ping"}},
      {"old engine", Answer(200, "OK", "1.24"), {}, "/v1.24", {"/_ping"}},
      {"ping 500 still carries the header", Answer(500, "", "1.40"), {}, "/v1.40", {"/_ping"}},
      {"no header: /version's ApiVersion",
       std::nullopt,
       Answer(200, R"({"ApiVersion":"1.39"})"),
       "/v1.39",
       {"/_ping", "/version"}},
      {"unparsable header: /version's ApiVersion",
       Answer(200, "OK", "junk"),
       Answer(200, R"({"ApiVersion":"1.46"})"),
       "/v1.45",
       {"/_ping", "/version"}},
      {"no header, /version fails: no prefix",
       std::nullopt,
       Answer(500, R"({"message":"boom"})"),
       "",
       {"/_ping", "/version"}},
      {"no header, /version without ApiVersion: no prefix",
       std::nullopt,
       Answer(200, "{}"),
       "",
       {"/_ping", "/version"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeEngine>();
    engine->routes.emplace("/_ping", c.ping ? *c.ping : Answer(200, "OK"));
    if (c.version) engine->routes.emplace("/version", *c.version);
    engine->routes.emplace(c.prefix + "/images/json", Answer(200, "[]"));
    DockerEngineClient client(engine, UnixHost(kSocket));
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
    auto engine = std::make_shared<FakeEngine>();
    engine->routes.emplace("/_ping", Answer(200, "OK", "1.41"));
    engine->routes.emplace("/v1.41/version", Answer(200, c.version));
    engine->routes.emplace("/v1.41/info", Answer(200, c.info));
    DockerEngineClient client(engine, UnixHost(kSocket));
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
      {"/version 500", Answer(500, R"({"message":"daemon is shutting down"})"),
       Answer(200, kInfo20), StatusCode::kTransport, "daemon is shutting down"},
      {"/info 500", Answer(200, kVersion20), Answer(500, R"({"message":"info broke"})"),
       StatusCode::kTransport, "HTTP 500 to GET /v1.41/info: info broke"},
      {"/version not JSON", Answer(200, "<html>"), Answer(200, kInfo20), StatusCode::kProtocol,
       "/version"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeEngine>();
    engine->routes.emplace("/_ping", Answer(200, "OK", "1.41"));
    engine->routes.emplace("/v1.41/version", c.version);
    engine->routes.emplace("/v1.41/info", c.info);
    DockerEngineClient client(engine, UnixHost(kSocket));
    Result<EngineInfo> info = client.Info();
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == c.code);
    CHECK_MESSAGE(Contains(info.status().message(), c.says), info.status().message());
    CHECK_MESSAGE(Contains(info.status().message(), kSocket), info.status().message());
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
       "/v1.41/images/localhost:5391/team/app:v1/json", Answer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"familiar name as given", "jenkins/jenkins:centos7",
       "/v1.41/images/jenkins/jenkins:centos7/json", Answer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"canonical name", "docker.io/library/ubuntu:latest",
       "/v1.41/images/docker.io/library/ubuntu:latest/json", Answer(200, kImage), true, true,
       StatusCode::kOk, ""},
      {"digest reference keeps '@'", "app@sha256:2c8a", "/v1.41/images/app@sha256:2c8a/json",
       Answer(200, kImage), true, true, StatusCode::kOk, ""},
      {"odd characters are percent-encoded", "a b?c#d%e+f",
       "/v1.41/images/a%20b%3Fc%23d%25e%2Bf/json", Answer(200, kImage), true, true, StatusCode::kOk,
       ""},
      {"no such image", "nope", "/v1.41/images/nope/json",
       Answer(404, R"({"message":"No such image: nope:latest"})"), true, false, StatusCode::kOk,
       ""},
      {"an unknown route is not 'no such image'", "x", "/v1.41/images/x/json",
       Answer(404, R"({"message":"page not found"})"), false, false, StatusCode::kTransport,
       "page not found"},
      {"engine error", "x", "/v1.41/images/x/json",
       Answer(500, R"({"message":"layer store broken"})"), false, false, StatusCode::kTransport,
       "answered HTTP 500 to GET /v1.41/images/x/json: layer store broken"},
      {"garbage body", "x", "/v1.41/images/x/json", Answer(200, "[]"), false, false,
       StatusCode::kProtocol, "not a JSON object"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeEngine>();
    engine->routes.emplace("/_ping", Answer(200, "OK", "1.41"));
    engine->routes.emplace(c.path, c.answer);
    DockerEngineClient client(engine, UnixHost(kSocket));
    Result<std::optional<LocalImage>> got = client.InspectImage(c.image);
    CHECK(engine->paths.back() == c.path);
    REQUIRE_MESSAGE(got.ok() == c.ok, got.status().ToString());
    if (!c.ok) {
      CHECK(got.status().code() == c.code);
      CHECK_MESSAGE(Contains(got.status().message(), c.says), got.status().message());
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
  DockerEngineClient client(std::make_shared<FakeEngine>(), UnixHost(kSocket));
  Result<std::optional<LocalImage>> empty = client.InspectImage("");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("DockerEngineClient::ListImages drops placeholders and reports errors") {
  auto engine = std::make_shared<FakeEngine>();
  engine->routes.emplace("/_ping", Answer(200, "OK", "1.41"));
  engine->routes.emplace(
      "/v1.41/images/json",
      Answer(
          200,
          R"([{"Id":"sha256:aa","RepoTags":["<none>:<none>"],"RepoDigests":["<none>@<none>"]},{"Id":"sha256:bb","RepoTags":["app:v1","app:latest"],"RepoDigests":null}])"));
  DockerEngineClient client(engine, UnixHost(kSocket));
  Result<std::vector<LocalImage>> images = client.ListImages();
  REQUIRE_MESSAGE(images.ok(), images.status().ToString());
  REQUIRE(images->size() == 2);
  CHECK((*images)[0].id == "sha256:aa");
  CHECK((*images)[0].repo_tags.empty());
  CHECK((*images)[0].repo_digests.empty());
  CHECK((*images)[1].repo_tags == std::vector<std::string>{"app:v1", "app:latest"});
  CHECK((*images)[1].platform == Platform{});

  engine->routes.insert_or_assign("/v1.41/images/json",
                                  Answer(503, R"({"message":"service unavailable"})"));
  Result<std::vector<LocalImage>> failed = client.ListImages();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kTransport);
  CHECK(Contains(failed.status().message(), "service unavailable"));
}

TEST_CASE("DockerEngineClient maps transport failures to kEngineUnavailable") {
  struct Case {
    const char* name;
    DockerHost host;
    Status transport_error;
    StatusCode code;
    std::vector<std::string> says;
  };
  const DockerHost tcp{"", "http://127.0.0.1:2375", "127.0.0.1:2375"};
  const std::vector<Case> cases = {
      {"missing socket",
       UnixHost(kSocket),
       Status(StatusCode::kTransport, "cannot connect to unix socket " + kSocket + ": x"),
       StatusCode::kEngineUnavailable,
       {"cannot reach the Docker Engine at " + kSocket + ": no such socket",
        "set DOCKER_HOST or --host"}},
      {"tcp refused",
       tcp,
       Status(StatusCode::kTransport, "connection refused by http://127.0.0.1:2375"),
       StatusCode::kEngineUnavailable,
       {"cannot reach the Docker Engine at 127.0.0.1:2375", "refused the connection"}},
      {"tcp timeout",
       tcp,
       Status(StatusCode::kTransport,
              "connecting to http://127.0.0.1:2375 timed out after 3000 ms"),
       StatusCode::kEngineUnavailable,
       {"127.0.0.1:2375", "timed out"}},
      {"size cap stays a protocol error",
       UnixHost(kSocket),
       Status(StatusCode::kProtocol, "response body exceeds 10 bytes"),
       StatusCode::kProtocol,
       {"Docker Engine at " + kSocket, "exceeds"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeEngine>();
    engine->routes.emplace("/_ping", c.transport_error);
    DockerEngineClient client(engine, c.host);
    Result<EngineInfo> info = client.Info();
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == c.code);
    for (const std::string& part : c.says) {
      CHECK_MESSAGE(Contains(info.status().message(), part), info.status().message());
    }
    CHECK(engine->paths == std::vector<std::string>{"/_ping"});
  }
}

TEST_CASE("EngineUnavailableStatus looks at the socket path to say why") {
  const std::string file = TempPath("regular-file");
  std::ofstream(file) << "not a socket";
  const std::string dead = TempPath("dead.sock");
  REQUIRE(MakeDeadSocket(dead));
  const Status refused(StatusCode::kTransport, "connection refused by unix socket " + dead);
  const Status timeout(StatusCode::kTransport, "GET http://localhost/_ping timed out after 1 ms");
  struct Case {
    const char* name;
    std::string path;
    Status error;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {"missing", TempPath("missing.sock"), refused, {"no such socket", "is dockerd running?"}},
      {"parent is a file", file + "/docker.sock", refused, {"no such socket"}},
      {"regular file", file, refused, {"not a socket"}},
      {"nobody listening", dead, refused, {"the socket refused the connection"}},
      {"other failure keeps the transport's words", dead, timeout, {"timed out after 1 ms"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Status got = EngineUnavailableStatus(UnixHost(c.path), c.error);
    CHECK(got.code() == StatusCode::kEngineUnavailable);
    CHECK_MESSAGE(Contains(got.message(), "cannot reach the Docker Engine at " + c.path + ": "),
                  got.message());
    for (const std::string& part : c.says) {
      CHECK_MESSAGE(Contains(got.message(), part), got.message());
    }
  }
  if (::geteuid() != 0) {
    // root may open any socket, so this case only runs as a normal user.
    REQUIRE(::chmod(dead.c_str(), 0) == 0);
    Status got = EngineUnavailableStatus(UnixHost(dead), refused);
    CHECK(got.code() == StatusCode::kEngineUnavailable);
    CHECK(got.message() == "permission denied on " + dead + " (are you in the docker group?)");
  }
  ::unlink(file.c_str());
  ::unlink(dead.c_str());
}

TEST_CASE("DockerEngineClient::Connect names a missing or dead socket (real CurlTransport)") {
  const std::string missing = TempPath("absent/docker.sock");
  const std::string dead = TempPath("dead-connect.sock");
  REQUIRE(MakeDeadSocket(dead));
  struct Case {
    const char* name;
    std::string path;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"missing socket", missing,
       "cannot reach the Docker Engine at " + missing +
           ": no such socket (is dockerd running? set DOCKER_HOST or --host)"},
      {"nobody listening", dead,
       "cannot reach the Docker Engine at " + dead + ": the socket refused"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::unique_ptr<DockerEngineClient> client = DockerEngineClient::Connect(UnixHost(c.path));
    Result<EngineInfo> info = client->Info();
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == StatusCode::kEngineUnavailable);
    CHECK_MESSAGE(Contains(info.status().message(), c.says), info.status().message());
    Result<std::optional<LocalImage>> image = client->InspectImage("ubuntu");
    REQUIRE_FALSE(image.ok());
    CHECK(image.status().code() == StatusCode::kEngineUnavailable);
  }
  ::unlink(dead.c_str());
}

TEST_CASE("DockerEngineClient::HostFromEnvironment: --host, then DOCKER_HOST, then the default") {
  const char* saved = std::getenv("DOCKER_HOST");
  const std::optional<std::string> previous =
      saved ? std::optional<std::string>(saved) : std::nullopt;
  struct Case {
    const char* name;
    std::string flag;
    std::optional<std::string> env;
    bool ok;
    std::string socket_path, base_url;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"default", "", std::nullopt, true, "/var/run/docker.sock", "http://localhost", ""},
      {"empty DOCKER_HOST is unset", "", "", true, "/var/run/docker.sock", "http://localhost", ""},
      {"DOCKER_HOST unix", "", "unix:///tmp/d.sock", true, "/tmp/d.sock", "http://localhost", ""},
      {"DOCKER_HOST tcp", "", "tcp://127.0.0.1:2375", true, "", "http://127.0.0.1:2375", ""},
      {"--host wins", "unix:///run/x.sock", "tcp://127.0.0.1:2375", true, "/run/x.sock",
       "http://localhost", ""},
      {"bad --host", "ssh://me@box", std::nullopt, false, "", "", "--host: "},
      {"bad DOCKER_HOST", "", "npipe:////./pipe/docker_engine", false, "", "", "DOCKER_HOST"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    if (c.env) {
      ::setenv("DOCKER_HOST", c.env->c_str(), 1);
    } else {
      ::unsetenv("DOCKER_HOST");
    }
    Result<DockerHost> host = DockerEngineClient::HostFromEnvironment(c.flag);
    REQUIRE_MESSAGE(host.ok() == c.ok, host.status().ToString());
    if (!c.ok) {
      CHECK(host.status().code() == StatusCode::kInvalidArgument);
      CHECK_MESSAGE(Contains(host.status().message(), c.says), host.status().message());
      continue;
    }
    CHECK(host->socket_path == c.socket_path);
    CHECK(host->base_url == c.base_url);
  }
  if (previous) {
    ::setenv("DOCKER_HOST", previous->c_str(), 1);
  } else {
    ::unsetenv("DOCKER_HOST");
  }
}
