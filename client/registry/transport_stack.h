// Builds the Transport regdigest talks to registries through:
// Auth(Redirect(Retry(Curl))), with the TLS trust, timeouts and retry policy
// from the config. Retry sits below Redirect and Auth so that each hop and
// each token request (which Auth sends through its inner layer) is retried
// on its own, and a retried request keeps the Authorization it was given.
#pragma once

#include <memory>
#include <string>

#include "client/auth/auth_transport.h"
#include "client/auth/credential_source.h"
#include "client/http/http.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct TransportSettings {
  ToolConfig config;
  std::string extra_ca_file;  // --ca-file: trusted for every registry
};

// The outermost layer is returned as AuthTransport so bulk callers can prefetch tokens.
std::shared_ptr<AuthTransport> MakeRegistryTransport(const TransportSettings& settings,
                                                     std::shared_ptr<CredentialSource> credentials);

}  // namespace regdigest
