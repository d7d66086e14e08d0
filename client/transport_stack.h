// Builds the Transport regdigest talks to registries through:
// Auth(Redirect(Curl)), with the TLS trust and timeouts from the config.
#pragma once

#include <memory>
#include <string>

#include "client/credential_source.h"
#include "client/http.h"
#include "common/tool_config.h"

namespace regdigest {

struct TransportSettings {
  ToolConfig config;
  std::string extra_ca_file;  // --ca-file: trusted for every registry
};

std::shared_ptr<Transport> MakeRegistryTransport(const TransportSettings& settings,
                                                 std::shared_ptr<CredentialSource> credentials);

}  // namespace regdigest
