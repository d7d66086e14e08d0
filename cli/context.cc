#include "cli/context.h"

#include <cstdlib>
#include <iostream>

#include "client/file_io.h"
#include "client/transport_stack.h"

namespace regdigest {

std::string DefaultToolConfigPath() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/regdigest/config.json";
  }
  return HomeDirectory() + "/.config/regdigest/config.json";
}

Result<ToolConfig> LoadToolConfig(const GlobalOptions& options) {
  std::string path = options.config_path;
  if (path.empty()) {
    if (const char* env = std::getenv("REGDIGEST_CONFIG"); env != nullptr && *env != '\0') {
      path = env;
    }
  }
  const bool explicit_path = !path.empty();
  if (!explicit_path) path = DefaultToolConfigPath();
  Result<std::optional<std::string>> text = ReadFileIfExists(path);
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    if (explicit_path) return Status(StatusCode::kUsage, "config file " + path + " does not exist");
    return ToolConfig{};
  }
  Result<ToolConfig> config = ParseToolConfig(**text);
  if (!config.ok()) return Status(StatusCode::kUsage, path + ": " + config.status().message());
  return config;
}

Result<RegistryContext> MakeRegistryContext(const GlobalOptions& options) {
  Result<ToolConfig> config = LoadToolConfig(options);
  if (!config.ok()) return config.status();
  RegistryContext context;
  context.config = std::move(config).value();
  context.credentials =
      std::make_shared<DockerCredentialStore>(DockerCredentialStore::DefaultPath());
  context.auth = MakeRegistryTransport(TransportSettings{context.config, options.ca_file},
                                       context.credentials);
  context.transport = context.auth;
  return context;
}

void PrintError(const std::string& message) { std::cerr << "regdigest: " << message << "\n"; }

}  // namespace regdigest
