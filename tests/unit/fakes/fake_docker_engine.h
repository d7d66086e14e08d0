// FakeDockerEngine: an in-process Docker Engine API behind the Transport
// interface (path → answer; unknown paths get the router's 404 "page not
// found"), plus helpers for the engine client's unit tests: hosts, temporary
// socket paths and a unix socket nobody listens on. Single-threaded use.
#pragma once

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/http/http.h"
#include "common/base/status.h"
#include "common/engine/docker_host.h"

namespace regdigest::testing {

inline HttpResponse EngineAnswer(int status, std::string body,
                                 std::optional<std::string> api_header = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  if (api_header) response.headers.Add("Api-Version", *api_header);
  return response;
}

// Records every path asked for; only GET is expected.
class FakeDockerEngine : public Transport {
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
    return EngineAnswer(404, R"({"message":"page not found"})");
  }
};

inline DockerHost UnixHost(const std::string& path) {
  return DockerHost{path, "http://localhost", path};
}

inline const std::string kMissingEngineSocket = "/tmp/regdigest-no-such-dir/docker.sock";

inline std::string EngineTempPath(const std::string& name) {
  return "/tmp/regdigest-engine-test-" + std::to_string(::getpid()) + "-" + name;
}

// A unix socket file nobody listens on: connect() gets ECONNREFUSED.
inline bool MakeDeadSocket(const std::string& path) {
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

}  // namespace regdigest::testing
