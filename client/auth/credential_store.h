// DockerCredentialStore: credentials shared with the docker CLI.
// Reads $DOCKER_CONFIG/config.json (default ~/.docker/config.json): "auths"
// entries, identity tokens, and "credsStore"/"credHelpers" by running
// docker-credential-<name>. login/logout write the same file (mode 0600).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "client/auth/credential_source.h"
#include "common/auth/docker_config.h"
#include "common/base/status.h"

namespace regdigest {

class DockerCredentialStore : public CredentialSource {
 public:
  explicit DockerCredentialStore(std::string config_path);

  // $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
  static std::string DefaultPath();

  const std::string& path() const { return path_; }

  Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) override;

  // login: saves user/password for the registry (in its credential helper if
  // one is configured, else base64 in config.json), keeping the rest of the file.
  Status Store(std::string_view registry_domain, std::string_view username,
               std::string_view password);
  // logout: removes the registry's credentials. kNotFound when there were none.
  Status Erase(std::string_view registry_domain);

 private:
  Result<DockerConfig> Load();
  Result<std::optional<AuthEntry>> LookupInHelper(const std::string& helper,
                                                  std::string_view registry_domain);

  std::string path_;
  std::mutex mutex_;
  std::map<std::string, std::optional<AuthEntry>, std::less<>> cache_;
};

}  // namespace regdigest
