// DockerCredentialStore: credentials shared with the docker CLI.
// Reads $DOCKER_CONFIG/config.json (default ~/.docker/config.json): "auths"
// entries, identity tokens, and "credsStore"/"credHelpers" by running
// docker-credential-<name>. login/logout write the same file (through a
// symbolic link; a new file is 0600, an existing one loses group and other
// permissions).
// Files and helper processes go through FileSystem and ProcessRunner
// (client/sys), so tests can run it against in-memory fakes.
// Thread safety: Lookup may be called from several threads. Each registry is
// looked up once (later and concurrent callers share the answer; a failure is
// not kept, so a later call tries again), and no lock is held while a file is
// read or a helper runs, so a slow helper for one registry never delays
// another registry's lookup. Store and Erase are for one thread (login, logout).
#pragma once

#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "client/auth/credential_source.h"
#include "client/sys/environment.h"
#include "client/sys/file_io.h"
#include "client/sys/process.h"
#include "common/auth/docker_config.h"
#include "common/base/status.h"

namespace regdigest {

// What a credential helper prints on stdout (exit status non-zero) when it
// has no credentials for the server: errCredentialsNotFoundMessage in
// github.com/docker/docker-credential-helpers/credentials/error.go. Docker's
// client (client.Get) compares the whitespace-trimmed stdout with it exactly;
// so does Lookup, and any other failure is an error.
inline constexpr std::string_view kCredentialsNotFoundMessage =
    "credentials not found in native keychain";

class DockerCredentialStore : public CredentialSource {
 public:
  // With the real file system and processes.
  explicit DockerCredentialStore(std::string config_path);
  // `files` and `processes` must outlive the store.
  DockerCredentialStore(std::string config_path, FileSystem& files, ProcessRunner& processes);

  // $DOCKER_CONFIG/config.json when DOCKER_CONFIG is set and non-empty, else
  // <home>/.docker/config.json (HomeDirectory: $HOME, else the passwd entry;
  // kUsage for an empty or relative HOME).
  static Result<std::string> DefaultPath();  // DefaultPath(RealEnvironment())
  static Result<std::string> DefaultPath(const Environment& env);

  const std::string& path() const { return path_; }

  Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) override;

  // login: saves user/password for the registry (in its credential helper if
  // one is configured, else base64 in config.json), keeping the rest of the file.
  Status Store(std::string_view registry_domain, std::string_view username,
               std::string_view password);
  // logout: removes the registry's credentials. kNotFound when there were none.
  Status Erase(std::string_view registry_domain);

 private:
  using LookupResult = Result<std::optional<AuthEntry>>;
  LookupResult LookupUncached(std::string_view registry_domain);
  Result<DockerConfig> Load();
  Result<std::optional<AuthEntry>> LookupInHelper(const std::string& helper,
                                                  std::string_view registry_domain);

  std::string path_;
  FileSystem& files_;
  ProcessRunner& processes_;
  std::mutex mutex_;  // guards cache_ only; never held during I/O
  std::map<std::string, std::shared_future<LookupResult>, std::less<>> cache_;
};

}  // namespace regdigest
