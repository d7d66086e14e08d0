// DockerEngineClient when the engine cannot be reached: transport failures
// become kEngineUnavailable, and why (no socket, not a socket, permission,
// refused) is decided from the socket path and the failure's os_errno(),
// never from its message; also the real CurlTransport on missing or dead
// sockets, and where the host comes from (--host, DOCKER_HOST, default).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
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

}  // namespace

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
       UnixHost(kMissingEngineSocket),
       Status(StatusCode::kTransport,
              "cannot connect to unix socket " + kMissingEngineSocket + ": x"),
       StatusCode::kEngineUnavailable,
       {"cannot reach the Docker Engine at " + kMissingEngineSocket + ": no such socket",
        "set DOCKER_HOST or --host"}},
      {"tcp refused",
       tcp,
       Status(StatusCode::kTransport, "connection refused by http://127.0.0.1:2375")
           .WithRetryable(true)
           .WithOsErrno(ECONNREFUSED),
       StatusCode::kEngineUnavailable,
       {"cannot reach the Docker Engine at 127.0.0.1:2375", "refused the connection"}},
      {"tcp: the decision is the OS error, not the words",
       tcp,
       Status(StatusCode::kTransport, "x").WithOsErrno(ECONNREFUSED),
       StatusCode::kEngineUnavailable,
       {"127.0.0.1:2375: the engine refused the connection (is dockerd listening there?)"}},
      {"tcp: refusal words without the OS error are kept as they are",
       tcp,
       Status(StatusCode::kTransport, "connection refused by a proxy"),
       StatusCode::kEngineUnavailable,
       {"127.0.0.1:2375: connection refused by a proxy"}},
      {"tcp timeout",
       tcp,
       Status(StatusCode::kTransport,
              "connecting to http://127.0.0.1:2375 timed out after 3000 ms"),
       StatusCode::kEngineUnavailable,
       {"127.0.0.1:2375", "timed out"}},
      {"size cap stays a protocol error",
       UnixHost(kMissingEngineSocket),
       Status(StatusCode::kProtocol, "response body exceeds 10 bytes"),
       StatusCode::kProtocol,
       {"Docker Engine at " + kMissingEngineSocket, "exceeds"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto engine = std::make_shared<FakeDockerEngine>();
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
  const std::string file = EngineTempPath("regular-file");
  std::ofstream(file) << "not a socket";
  const std::string dead = EngineTempPath("dead.sock");
  REQUIRE(MakeDeadSocket(dead));
  const Status refused = Status(StatusCode::kTransport, "connection refused by unix socket " + dead)
                             .WithRetryable(true)
                             .WithOsErrno(ECONNREFUSED);
  const Status timeout =
      Status(StatusCode::kTransport, "GET http://localhost/_ping timed out after 1 ms")
          .WithRetryable(true);
  // Words that say "refused" decide nothing; only os_errno() does.
  const Status refused_words(StatusCode::kTransport, "refused, says a proxy");
  const Status bare_refusal = Status(StatusCode::kTransport, "-").WithOsErrno(ECONNREFUSED);
  struct Case {
    const char* name;
    std::string path;
    Status error;
    std::vector<std::string> says;
  };
  const std::vector<Case> cases = {
      {"missing",
       EngineTempPath("missing.sock"),
       refused,
       {"no such socket", "is dockerd running?"}},
      {"parent is a file", file + "/docker.sock", refused, {"no such socket"}},
      {"regular file", file, refused, {"not a socket"}},
      {"nobody listening", dead, refused, {"the socket refused the connection"}},
      {"other failure keeps the transport's words", dead, timeout, {"timed out after 1 ms"}},
      {"refusal words without os_errno", dead, refused_words, {": refused, says a proxy"}},
      {"os_errno without words", dead, bare_refusal, {"the socket refused the connection"}},
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
    // The transport's detail goes along with the new code.
    CHECK(got.retryable() == c.error.retryable());
    CHECK(got.os_errno() == c.error.os_errno());
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
  const std::string missing = EngineTempPath("absent/docker.sock");
  const std::string dead = EngineTempPath("dead-connect.sock");
  REQUIRE(MakeDeadSocket(dead));
  struct Case {
    const char* name;
    std::string path;
    std::string says;
    bool refused;  // CurlTransport recorded os_errno() ECONNREFUSED
  };
  const std::vector<Case> cases = {
      {"missing socket", missing,
       "cannot reach the Docker Engine at " + missing +
           ": no such socket (is dockerd running? set DOCKER_HOST or --host)",
       false},
      {"nobody listening", dead,
       "cannot reach the Docker Engine at " + dead + ": the socket refused", true},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::unique_ptr<DockerEngineClient> client = DockerEngineClient::Connect(UnixHost(c.path));
    Result<EngineInfo> info = client->Info();
    REQUIRE_FALSE(info.ok());
    CHECK(info.status().code() == StatusCode::kEngineUnavailable);
    CHECK_MESSAGE(Contains(info.status().message(), c.says), info.status().message());
    CHECK(info.status().retryable());  // a failed connect, as curl_errors says
    CHECK((info.status().os_errno() == ECONNREFUSED) == c.refused);
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
