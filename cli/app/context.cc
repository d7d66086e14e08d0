#include "cli/app/context.h"

#include <cmath>
#include <iostream>

#include "client/registry/transport_stack.h"
#include "common/base/display_text.h"
#include "common/base/url.h"

namespace regdigest {

Result<std::string> DefaultToolConfigPath() { return DefaultToolConfigPath(RealEnvironment()); }

Result<std::string> DefaultToolConfigPath(const Environment& env) {
  Result<std::string> dir = XdgBaseDirectory(env, "XDG_CONFIG_HOME", ".config");
  if (!dir.ok()) return dir.status();
  return *dir + "/regdigest/config.json";
}

namespace {

Status ApplyCommandLine(const GlobalOptions& options, ToolConfig& config) {
  if (options.retries >= 0) {
    config.retries = options.retries;
    for (auto& [domain, registry] : config.registries) registry.retries = -1;
  }
  if (options.timeout_seconds > 0) {
    config.timeout =
        std::chrono::milliseconds(static_cast<int64_t>(std::ceil(options.timeout_seconds * 1000)));
  }
  for (const std::string& domain : options.insecure_registries) {
    if (Status marked = config.MarkInsecure(domain); !marked.ok()) {
      return Status(StatusCode::kUsage, marked.message());
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ToolConfig> LoadToolConfig(const GlobalOptions& options) {
  return LoadToolConfig(options, RealEnvironment(), RealFiles());
}

Result<ToolConfig> LoadToolConfig(const GlobalOptions& options, const Environment& env,
                                  FileSystem& files) {
  std::string path = options.config_path;
  if (path.empty()) path = NonEmptyVariable(env, "REGDIGEST_CONFIG").value_or("");
  const bool explicit_path = !path.empty();
  if (!explicit_path) {
    Result<std::string> default_path = DefaultToolConfigPath(env);
    if (!default_path.ok()) return default_path.status();
    path = *default_path;
  }
  Result<std::optional<std::string>> text = files.ReadFileIfExists(path);
  if (!text.ok()) return text.status();
  ToolConfig config;
  if (text->has_value()) {
    Result<ToolConfig> parsed = ParseToolConfig(**text);
    if (!parsed.ok()) return Status(StatusCode::kUsage, path + ": " + parsed.status().message());
    config = std::move(parsed).value();
  } else if (explicit_path) {
    return Status(StatusCode::kUsage, "config file " + path + " does not exist");
  }
  if (Status applied = ApplyCommandLine(options, config); !applied.ok()) return applied;
  return config;
}

Result<RegistryContext> MakeRegistryContext(const GlobalOptions& options) {
  Result<ToolConfig> config = LoadToolConfig(options);
  if (!config.ok()) return config.status();
  RegistryContext context;
  context.config = std::move(config).value();
  Result<std::string> docker_config = DockerCredentialStore::DefaultPath();
  if (!docker_config.ok()) return docker_config.status();
  context.credentials = std::make_shared<DockerCredentialStore>(*docker_config);
  auto [transport, tokens] = MakeRegistryTransport(
      TransportSettings{context.config, options.ca_file}, context.credentials);
  context.transport = std::move(transport);
  context.auth = std::move(tokens);
  return context;
}

void PrintError(const std::string& message) {
  std::cerr << "regdigest: " << DisplayText(RedactUrlsInText(message), kMaxMessage) << "\n";
}

}  // namespace regdigest
