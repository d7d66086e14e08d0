#include "client/auth/credential_store.h"

#include <spdlog/spdlog.h>

#include <future>
#include <nlohmann/json.hpp>

namespace regdigest {
namespace {

// A new config.json's mode, and the most an existing one keeps: it holds
// credentials, so group and others lose access (owner bits are kept).
constexpr mode_t kConfigFileMode = 0600;

std::string HelperProgram(const std::string& helper) { return "docker-credential-" + helper; }

// Go's strings.TrimSpace, for the ASCII whitespace a helper prints.
std::string_view TrimSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace

DockerCredentialStore::DockerCredentialStore(std::string config_path)
    : DockerCredentialStore(std::move(config_path), RealFiles(), RealProcesses()) {}

DockerCredentialStore::DockerCredentialStore(std::string config_path, FileSystem& files,
                                             ProcessRunner& processes)
    : path_(std::move(config_path)), files_(files), processes_(processes) {}

Result<std::string> DockerCredentialStore::DefaultPath() { return DefaultPath(RealEnvironment()); }

Result<std::string> DockerCredentialStore::DefaultPath(const Environment& env) {
  if (std::optional<std::string> dir = NonEmptyVariable(env, "DOCKER_CONFIG")) {
    return *dir + "/config.json";
  }
  Result<std::string> home = HomeDirectory(env);
  if (!home.ok()) return home.status();
  return *home + "/.docker/config.json";
}

Result<DockerConfig> DockerCredentialStore::Load() {
  Result<std::optional<std::string>> text = files_.ReadFileIfExists(path_);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return DockerConfig{};
  Result<DockerConfig> config = ParseDockerConfig(**text);
  if (!config.ok()) return config.status().WithContext(path_);
  return config;
}

Result<std::optional<AuthEntry>> DockerCredentialStore::LookupInHelper(
    const std::string& helper, std::string_view registry_domain) {
  const std::string server = DockerConfigKey(registry_domain);
  Result<ProcessResult> run =
      processes_.Run({HelperProgram(helper), "get"}, server, kDefaultProcessTimeout);
  if (!run.ok()) return run.status();
  if (run->exit_code != 0) {
    // The protocol's "not found" answer (see kCredentialsNotFoundMessage).
    if (TrimSpace(run->stdout_text) == kCredentialsNotFoundMessage) {
      return std::optional<AuthEntry>();
    }
    return Status(StatusCode::kIo, HelperProgram(helper) + " get failed with exit status " +
                                       std::to_string(run->exit_code));
  }
  Result<AuthEntry> entry = ParseCredentialHelperOutput(run->stdout_text);
  if (!entry.ok()) return entry.status().WithContext(HelperProgram(helper));
  return std::optional<AuthEntry>(std::move(entry).value());
}

Result<std::optional<AuthEntry>> DockerCredentialStore::Lookup(std::string_view registry_domain) {
  std::promise<LookupResult> promise;
  std::shared_future<LookupResult> answer;
  bool asked_before = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = cache_.find(registry_domain); it != cache_.end()) {
      answer = it->second;
      asked_before = true;
    } else {
      answer = promise.get_future().share();
      cache_.emplace(std::string(registry_domain), answer);
    }
  }
  if (asked_before) return answer.get();  // waits, with no lock held, for the first caller
  // This thread looks the registry up; callers for the same registry wait on
  // `answer`, callers for other registries are not held up.
  LookupResult result = LookupUncached(registry_domain);
  const bool keep = result.ok();
  promise.set_value(std::move(result));
  if (!keep) {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.erase(cache_.find(registry_domain));
  }
  return answer.get();
}

Result<std::optional<AuthEntry>> DockerCredentialStore::LookupUncached(
    std::string_view registry_domain) {
  Result<DockerConfig> config = Load();
  if (!config.ok()) return config.status();
  std::optional<AuthEntry> found;
  const std::string helper = CredentialHelperFor(*config, registry_domain);
  if (!helper.empty()) {
    Result<std::optional<AuthEntry>> from_helper = LookupInHelper(helper, registry_domain);
    if (!from_helper.ok()) return from_helper.status();
    found = std::move(from_helper).value();
  }
  if (!found) found = FindAuth(*config, registry_domain);
  spdlog::debug(
      "credentials for {}: {}", registry_domain,
      found ? (helper.empty() ? "from config.json" : "from docker-credential-" + helper) : "none");
  return found;
}

Status DockerCredentialStore::Store(std::string_view registry_domain, std::string_view username,
                                    std::string_view password) {
  Result<DockerConfig> config = Load();
  if (!config.ok()) return config.status();
  const std::string helper = CredentialHelperFor(*config, registry_domain);
  if (!helper.empty()) {
    nlohmann::json input = {{"ServerURL", DockerConfigKey(registry_domain)},
                            {"Username", username},
                            {"Secret", password}};
    Result<ProcessResult> run =
        processes_.Run({HelperProgram(helper), "store"}, input.dump(), kDefaultProcessTimeout);
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) {
      return Status(StatusCode::kIo, HelperProgram(helper) + " store failed with exit status " +
                                         std::to_string(run->exit_code));
    }
    return Status::Ok();
  }
  Result<std::optional<std::string>> text = files_.ReadFileIfExists(path_);
  if (!text.ok()) return text.status();
  Result<std::string> updated =
      ConfigWithAuth(text->value_or(""), registry_domain, username, password);
  if (!updated.ok()) return updated.status().WithContext(path_);
  return files_.WriteFileAtomic(path_, *updated, kConfigFileMode, kConfigFileMode);
}

Status DockerCredentialStore::Erase(std::string_view registry_domain) {
  Result<DockerConfig> config = Load();
  if (!config.ok()) return config.status();
  const std::string helper = CredentialHelperFor(*config, registry_domain);
  if (!helper.empty()) {
    Result<ProcessResult> run = processes_.Run(
        {HelperProgram(helper), "erase"}, DockerConfigKey(registry_domain), kDefaultProcessTimeout);
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) {
      return Status(StatusCode::kIo, HelperProgram(helper) + " erase failed with exit status " +
                                         std::to_string(run->exit_code));
    }
    return Status::Ok();
  }
  if (!FindAuth(*config, registry_domain)) {
    return Status(StatusCode::kNotFound,
                  "not logged in to " + std::string(registry_domain) + " in " + path_);
  }
  Result<std::optional<std::string>> text = files_.ReadFileIfExists(path_);
  if (!text.ok()) return text.status();
  Result<std::string> updated = ConfigWithoutAuth(text->value_or(""), registry_domain);
  if (!updated.ok()) return updated.status().WithContext(path_);
  return files_.WriteFileAtomic(path_, *updated, kConfigFileMode, kConfigFileMode);
}

}  // namespace regdigest
