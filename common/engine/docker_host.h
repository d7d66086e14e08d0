// DockerHost: where the Docker Engine API is reached, from DOCKER_HOST
// ("unix:///var/run/docker.sock", "tcp://127.0.0.1:2375") or --host.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

inline constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";

struct DockerHost {
  std::string socket_path;  // non-empty for unix://
  std::string base_url;     // "http://localhost" for unix sockets, "http://host:port" for tcp
  std::string display;      // what to name in messages: the socket path or host:port

  // kInvalidArgument for other schemes (ssh://, npipe://) or malformed values.
  static Result<DockerHost> Parse(std::string_view value);
};

}  // namespace regdigest
