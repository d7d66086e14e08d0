// Fuzz target: Docker's config.json (common/docker_config.h). Parses the
// input as a config file and as credential helper output; for a config that
// parses, every lookup must be consistent, and the login/logout edits must
// produce a file that parses again with the credential added / removed.
#include <string>

#include "common/auth/docker_config.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

constexpr std::string_view kUser = "fuzz-user";
constexpr std::string_view kPassword = "fuzz:pass word";

void CheckLookups(const DockerConfig& config, const std::string& domain) {
  for (const std::string& key : MatchingAuthKeys(config, domain)) {
    FUZZ_CHECK(config.auths.count(key) == 1);
  }
  if (std::optional<AuthEntry> auth = FindAuth(config, domain)) FUZZ_CHECK(!auth->empty());
  (void)CredentialHelperFor(config, domain);
}

void CheckLogin(std::string_view text, const std::string& domain) {
  Result<std::string> edited = ConfigWithAuth(text, domain, kUser, kPassword);
  if (!edited.ok()) return;
  Result<DockerConfig> reparsed = ParseDockerConfig(*edited);
  FUZZ_CHECK(reparsed.ok());
  std::optional<AuthEntry> auth = FindAuth(*reparsed, domain);
  FUZZ_CHECK(auth.has_value());
  FUZZ_CHECK(auth->username == kUser && auth->password == kPassword);
}

void CheckLogout(std::string_view text, const std::string& domain) {
  Result<std::string> edited = ConfigWithoutAuth(text, domain);
  if (!edited.ok()) return;
  Result<DockerConfig> reparsed = ParseDockerConfig(*edited);
  FUZZ_CHECK(reparsed.ok());
  FUZZ_CHECK(MatchingAuthKeys(*reparsed, domain).empty());
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  (void)ParseCredentialHelperOutput(text);
  Result<DockerConfig> config = ParseDockerConfig(text);
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == StatusCode::kInvalidArgument);
    return 0;
  }
  std::vector<std::string> domains = {"docker.io", "registry.example.com:5000"};
  for (const auto& [key, entry] : config->auths) {
    const std::string host = ConfigKeyHostname(key);
    if (!host.empty()) domains.push_back(host);
    if (domains.size() >= 4) break;
  }
  for (const std::string& domain : domains) {
    fuzz::CheckLookups(*config, domain);
    fuzz::CheckLogin(text, domain);
    fuzz::CheckLogout(text, domain);
  }
  return 0;
}
