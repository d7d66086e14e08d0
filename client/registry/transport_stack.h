// Builds the Transport regdigest talks to registries through:
// Auth(Redirect(Retry(Curl))), with the TLS trust, timeouts and retry policy
// from the config. Retry sits below Redirect and Auth so that each hop and
// each token request (which the token broker sends through Redirect) is
// retried on its own, and a retried request keeps the Authorization it was
// given. The stack's TokenBroker is handed out beside it, so bulk callers can
// prefetch tokens without knowing the stack's concrete types.
#pragma once

#include <memory>
#include <string>

#include "client/auth/credential_source.h"
#include "client/auth/token_broker.h"
#include "client/http/http.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct TransportSettings {
  ToolConfig config;
  std::string extra_ca_file;  // --ca-file: trusted for every registry
};

// Both thread-safe: one stack serves every request of a run.
struct RegistryTransport {
  std::shared_ptr<Transport> transport;  // the outermost layer
  std::shared_ptr<TokenBroker> tokens;   // the broker the auth layer asks
};

RegistryTransport MakeRegistryTransport(const TransportSettings& settings,
                                        std::shared_ptr<CredentialSource> credentials);

}  // namespace regdigest
