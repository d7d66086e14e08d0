// CredentialSource: where the auth layer asks for a registry's credentials.
// The real implementation reads Docker's config.json and credential helpers
// (client/credential_store.h); tests can supply fixed credentials.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/docker_config.h"
#include "common/status.h"

namespace regdigest {

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Credentials for a registry domain as written in references ("docker.io",
  // "localhost:5000"); nullopt when there are none (anonymous access).
  virtual Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) = 0;
};

}  // namespace regdigest
