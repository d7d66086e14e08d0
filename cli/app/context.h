// Options every command shares (-v, --config, --ca-file, --host, --retries,
// --timeout, --insecure-registry) and what they load:
// the regdigest config file and the registry transport built from it.
// The config lookup reads the environment and files through Environment and
// FileSystem (client/sys), so it is unit-tested with in-memory fakes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/auth/credential_store.h"
#include "client/auth/token_broker.h"
#include "client/http/http.h"
#include "client/sys/environment.h"
#include "client/sys/file_io.h"
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
  // --insecure-registry HOST (repeatable): as "insecure": true in the config.
  std::vector<std::string> insecure_registries;
};

// $XDG_CONFIG_HOME/regdigest/config.json when XDG_CONFIG_HOME is an absolute
// path, else <home>/.config/regdigest/config.json (XdgBaseDirectory in
// client/sys/environment.h; kUsage for an empty or relative HOME).
Result<std::string> DefaultToolConfigPath();  // with RealEnvironment()
Result<std::string> DefaultToolConfigPath(const Environment& env);

// Loads the config file, looked up in this order: --config, then
// $REGDIGEST_CONFIG (when non-empty), then DefaultToolConfigPath. An explicit
// path (the first two) must exist (kUsage otherwise); the default path may be
// absent (built-in defaults then). A file that does not parse is kUsage naming
// it. --retries and --timeout override what it says; --insecure-registry
// marks registries insecure (kUsage for a value that is not host[:port]).
Result<ToolConfig> LoadToolConfig(const GlobalOptions& options);  // real environment and files
Result<ToolConfig> LoadToolConfig(const GlobalOptions& options, const Environment& env,
                                  FileSystem& files);

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
