// CountingCredentials: a CredentialSource for unit tests that gives one fixed
// answer and records every registry it was asked about.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/auth/credential_source.h"

namespace regdigest::testing {

class CountingCredentials : public CredentialSource {
 public:
  explicit CountingCredentials(Result<std::optional<AuthEntry>> answer)
      : answer_(std::move(answer)) {}

  Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) override {
    lookups.emplace_back(registry_domain);
    return answer_;
  }

  std::vector<std::string> lookups;

 private:
  Result<std::optional<AuthEntry>> answer_;
};

}  // namespace regdigest::testing
