// CredentialSource: where the auth layer asks for a registry's credentials.
// The real implementation reads Docker's config.json and credential helpers
// (client/auth/credential_store.h); tests can supply fixed credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/auth/docker_config.h"
#include "common/base/status.h"

namespace regdigest {

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Credentials for a registry domain as written in references ("docker.io",
  // "localhost:5000"); nullopt when there are none (anonymous access).
  virtual Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) = 0;
};

// The same credentials for one registry, none for others (login checks them
// against the registry before they are saved).
class StaticCredentials : public CredentialSource {
 public:
  StaticCredentials(std::string registry_domain, AuthEntry entry)
      : registry_(std::move(registry_domain)), entry_(std::move(entry)) {}
  Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) override {
    if (registry_domain == registry_) return std::optional<AuthEntry>(entry_);
    return std::optional<AuthEntry>();
  }

 private:
  std::string registry_;
  AuthEntry entry_;
};

}  // namespace regdigest
