// Docker's client configuration (~/.docker/config.json): stored registry
// credentials, credential store and per-registry credential helpers, and the
// edits `docker login` / `docker logout` make. Pure values and text
// transformations: reading and writing the file is the caller's job.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

struct AuthEntry {
  std::string username;
  std::string password;
  std::string identity_token;  // "identitytoken": OAuth2 refresh token
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

struct DockerConfig {
  std::map<std::string, AuthEntry> auths;           // keyed as written in the file
  std::string creds_store;                          // "credsStore"
  std::map<std::string, std::string> cred_helpers;  // "credHelpers": registry -> helper suffix
};

// "" (or only whitespace) and "{}" give an empty config. Unknown fields are
// ignored (docker writes many). An "auth" that is not base64 of "user:pass",
// or a known field of the wrong type, is kInvalidArgument naming the key;
// messages never include credential values.
Result<DockerConfig> ParseDockerConfig(std::string_view json_text);

// The key docker uses for a registry domain: docker.io (and its aliases
// index.docker.io, registry-1.docker.io) → "https://index.docker.io/v1/",
// anything else → the domain itself.
std::string DockerConfigKey(std::string_view registry_domain);

// Host part of a config key as docker's ConvertToHostname computes it: scheme
// and path stripped ("https://myreg:5000/v1/" → "myreg:5000").
std::string ConfigKeyHostname(std::string_view key);

// Every auths key that refers to the registry domain, best first: the exact
// DockerConfigKey, then the domain itself, then (in key order) any key whose
// hostname equals the domain case-insensitively, docker.io aliases included.
// Includes entries without credentials (useful to tell "not logged in").
std::vector<std::string> MatchingAuthKeys(const DockerConfig& config,
                                          std::string_view registry_domain);

// Credentials for a registry domain, matching keys the way docker does:
// the exact DockerConfigKey first, then the domain itself, then any key whose
// hostname (ConfigKeyHostname) equals the domain, case-insensitively. docker.io
// matches "https://index.docker.io/v1/", "index.docker.io", "docker.io" and
// "registry-1.docker.io". Entries without any credential (docker writes "{}"
// when a credential store holds the secret) are skipped.
std::optional<AuthEntry> FindAuth(const DockerConfig& config, std::string_view registry_domain);

// credHelpers[domain], else credHelpers[DockerConfigKey(domain)], else a
// credHelpers key whose hostname matches; else credsStore; else "".
std::string CredentialHelperFor(const DockerConfig& config, std::string_view registry_domain);

// For login: the new file text with auths[DockerConfigKey(domain)] holding a
// base64 "auth" (username, password and identitytoken fields of that entry
// removed, its other fields kept). Every other part of the document is kept,
// in its original order; output is indented with one tab per level like
// docker's. Input "" means a new file. The username must be non-empty and
// without ':'; the password non-empty (kInvalidArgument otherwise).
Result<std::string> ConfigWithAuth(std::string_view json_text, std::string_view registry_domain,
                                   std::string_view username, std::string_view password);

// For logout: removes every auths entry whose key matches the domain (as
// FindAuth matches keys: "myreg:5000", "https://myreg:5000", ...). Same
// formatting and preservation rules as ConfigWithAuth.
Result<std::string> ConfigWithoutAuth(std::string_view json_text, std::string_view registry_domain);

// Parses a credential helper's `get` output {"ServerURL","Username","Secret"}.
// Username "<token>" means Secret is an identity token. Output that is not a
// JSON object, or fields that are not strings, are kProtocol.
Result<AuthEntry> ParseCredentialHelperOutput(std::string_view json_text);

}  // namespace regdigest
