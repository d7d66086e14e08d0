// Builds the Transport regdigest talks to registries through:
// Auth(Redirect(Curl)), with the TLS trust and timeouts from the config.
#pragma once

#include <memory>
#include <string>

#include "client/auth_transport.h"
#include "client/credential_source.h"
#include "client/http.h"
#include "common/tool_config.h"

namespace regdigest {

struct TransportSettings {
  ToolConfig config;
  std::string extra_ca_file;  // --ca-file: trusted for every registry
};

// The outermost layer is returned as AuthTransport so bulk callers can prefetch tokens.
std::shared_ptr<AuthTransport> MakeRegistryTransport(const TransportSettings& settings,
                                                     std::shared_ptr<CredentialSource> credentials);

}  // namespace regdigest
