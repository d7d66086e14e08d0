// Endpoint: where a registry domain from a reference is actually reached.
// Applies Docker's conventions (docker.io is served by registry-1.docker.io),
// the user's config (endpoint override, mirrors, insecure, CA file) and the
// plain-http rule: http only for loopback hosts or registries marked insecure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/base/url.h"
#include "common/registry/tool_config.h"

namespace regdigest {

inline constexpr std::string_view kDockerHubEndpointHost = "registry-1.docker.io";

struct Endpoint {
  std::string scheme;     // "https" or "http"
  std::string authority;  // host[:port], IPv6 bracketed
  std::string ca_file;    // extra CA bundle for this endpoint ("" = none)
  bool mirror = false;    // a mirror tried before the registry itself

  std::string BaseUrl() const { return scheme + "://" + authority; }
  bool is_https() const { return scheme == "https"; }
};

// Endpoints to try for `domain`, in order: configured mirrors, then the
// configured endpoint (or the registry's own host). kInvalidArgument when a
// configured endpoint is malformed or asks for http on a host that is neither
// loopback nor marked insecure.
Result<std::vector<Endpoint>> EndpointsFor(std::string_view domain, const ToolConfig& config);

}  // namespace regdigest
