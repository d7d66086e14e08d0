// Tests for common/docker_host.h: DOCKER_HOST / --host values.
#include <doctest/doctest.h>

#include <string>

#include "common/engine/docker_host.h"

namespace regdigest {
namespace {

TEST_CASE("DockerHost::Parse accepts unix sockets and tcp addresses") {
  struct Case {
    std::string input, socket_path, base_url, display;
  };
  const Case cases[] = {
      {std::string(kDefaultDockerHost), "/var/run/docker.sock", "http://localhost",
       "/var/run/docker.sock"},
      {"unix:///run/user/1000/podman/podman.sock", "/run/user/1000/podman/podman.sock",
       "http://localhost", "/run/user/1000/podman/podman.sock"},
      {"/tmp/regdigest-test/docker.sock", "/tmp/regdigest-test/docker.sock", "http://localhost",
       "/tmp/regdigest-test/docker.sock"},
      {"tcp://127.0.0.1:2375", "", "http://127.0.0.1:2375", "127.0.0.1:2375"},
      {"tcp://docker.example.com:12375", "", "http://docker.example.com:12375",
       "docker.example.com:12375"},
      {"tcp://127.0.0.1", "", "http://127.0.0.1:2375", "127.0.0.1:2375"},
      {"tcp://dind", "", "http://dind:2375", "dind:2375"},
      {"tcp://127.0.0.1:2375/", "", "http://127.0.0.1:2375", "127.0.0.1:2375"},
      {"tcp://:2376", "", "http://localhost:2376", "localhost:2376"},
      {"tcp://[::1]:2375", "", "http://[::1]:2375", "[::1]:2375"},
      {"tcp://[::1]", "", "http://[::1]:2375", "[::1]:2375"},
      {"http://localhost:8080", "", "http://localhost:8080", "localhost:8080"},
      {"http://10.0.0.5", "", "http://10.0.0.5:2375", "10.0.0.5:2375"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<DockerHost> host = DockerHost::Parse(c.input);
    REQUIRE_MESSAGE(host.ok(), host.status().ToString());
    CHECK(host->socket_path == c.socket_path);
    CHECK(host->base_url == c.base_url);
    CHECK(host->display == c.display);
  }
}

TEST_CASE("DockerHost::Parse rejects other schemes and malformed values") {
  struct Case {
    std::string input, message;
  };
  const Case cases[] = {
      {"", "DOCKER_HOST is empty (use unix:///path or tcp://host:port)"},
      {"ssh://user@build-host", "DOCKER_HOST scheme ssh is not supported (use unix:// or tcp://)"},
      {"npipe:////./pipe/docker_engine",
       "DOCKER_HOST scheme npipe is not supported (use unix:// or tcp://)"},
      {"https://docker.example.com:2376",
       "DOCKER_HOST scheme https is not supported (use unix:// or tcp://)"},
      {"fd://", "DOCKER_HOST scheme fd is not supported (use unix:// or tcp://)"},
      {"unix://", "DOCKER_HOST \"unix://\" has no socket path"},
      {"docker.sock", "DOCKER_HOST \"docker.sock\" must be unix:///path or tcp://host[:port]"},
      {"localhost:2375",
       "DOCKER_HOST \"localhost:2375\" must be unix:///path or tcp://host[:port]"},
      {"://x", "DOCKER_HOST \"://x\" must be unix:///path or tcp://host[:port]"},
      {"tcp://", "DOCKER_HOST \"tcp://\" has no host (use tcp://host:port)"},
      {"tcp://host:", "DOCKER_HOST \"tcp://host:\" has an empty port"},
      {"tcp://host:abc", "DOCKER_HOST \"tcp://host:abc\" has an invalid port \"abc\""},
      {"tcp://host:0", "DOCKER_HOST \"tcp://host:0\" has an invalid port \"0\""},
      {"tcp://host:65536", "DOCKER_HOST \"tcp://host:65536\" has an invalid port \"65536\""},
      {"tcp://host:2375/v1.41",
       "DOCKER_HOST \"tcp://host:2375/v1.41\" must not have a path (use tcp://host:port)"},
      {"tcp://user@host:2375", "DOCKER_HOST \"tcp://user@host:2375\" must be tcp://host[:port]"},
      {"tcp://[::1", "DOCKER_HOST \"tcp://[::1\" has an unterminated IPv6 address"},
      {"tcp://[::1]2375", "DOCKER_HOST \"tcp://[::1]2375\" must be tcp://host[:port]"},
      {"tcp://[]:2375", "DOCKER_HOST \"tcp://[]:2375\" has an empty IPv6 address"},
      {"tcp://ho$t:2375", "DOCKER_HOST \"tcp://ho$t:2375\" has an invalid host \"ho$t\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<DockerHost> host = DockerHost::Parse(c.input);
    REQUIRE_FALSE(host.ok());
    CHECK(host.status().code() == StatusCode::kInvalidArgument);
    CHECK(host.status().message() == c.message);
  }
}

}  // namespace
}  // namespace regdigest
