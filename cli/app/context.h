// Options every command shares (-v, --config, --ca-file, --host, --retries,
// --timeout) and what they load:
// the regdigest config file and the registry transport built from it.
#pragma once

#include <memory>
#include <string>

#include "client/auth/credential_store.h"
#include "client/auth/token_broker.h"
#include "client/http/http.h"
#include "common/base/status.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct GlobalOptions {
  int verbosity = 0;
  std::string config_path;     // --config; else $REGDIGEST_CONFIG; else the default path
  std::string ca_file;         // --ca-file
  std::string engine_host;     // --host: Docker Engine API address; else $DOCKER_HOST
  int retries = -1;            // --retries: overrides the config (top level and per registry)
  double timeout_seconds = 0;  // --timeout: per-request total timeout; 0: the config's
};

// ~/.config/regdigest/config.json (honouring $XDG_CONFIG_HOME).
std::string DefaultToolConfigPath();

// Loads the config file: an explicit path (--config or $REGDIGEST_CONFIG) must
// exist; the default path may be absent (built-in defaults then). --retries
// and --timeout override what it says.
Result<ToolConfig> LoadToolConfig(const GlobalOptions& options);

// Everything a registry command needs, built once per run.
struct RegistryContext {
  ToolConfig config;
  std::shared_ptr<DockerCredentialStore> credentials;
  std::shared_ptr<TokenBroker> auth;  // the broker the auth layer of `transport` asks
  std::shared_ptr<Transport> transport;
};
Result<RegistryContext> MakeRegistryContext(const GlobalOptions& options);

// "regdigest: <message>" on stderr.
void PrintError(const std::string& message);

}  // namespace regdigest
