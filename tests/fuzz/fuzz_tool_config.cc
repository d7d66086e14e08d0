// Fuzz target: regdigest's own config file (common/tool_config.h), JSON with
// comments. A config that parses must hold values within the documented
// limits, and its per-registry lookups must find every registry it lists.
#include <chrono>
#include <string>

#include "common/registry/tool_config.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

bool ValidTimeout(std::chrono::milliseconds timeout) {
  return timeout > std::chrono::milliseconds(0) && timeout <= std::chrono::hours(24);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  Result<ToolConfig> config = ParseToolConfig(fuzz::AsText(data, size));
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!config.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(fuzz::ValidTimeout(config->connect_timeout) && fuzz::ValidTimeout(config->timeout));
  FUZZ_CHECK(fuzz::ValidTimeout(config->retry_max_wait));
  FUZZ_CHECK(fuzz::ValidTimeout(config->retry_total_time));
  FUZZ_CHECK(config->concurrency >= 1 && config->concurrency <= kMaxConcurrency);
  FUZZ_CHECK(config->retries >= 0 && config->retries <= kMaxRetries);
  FUZZ_CHECK(config->DefaultRetryPolicy().max_attempts == config->retries + 1);
  for (const auto& [domain, settings] : config->registries) {
    FUZZ_CHECK(config->Find(domain) != nullptr);
    const int concurrency = config->ConcurrencyFor(domain);
    FUZZ_CHECK(concurrency >= 1 && concurrency <= kMaxConcurrency);
    const int retries = config->RetriesFor(domain);
    FUZZ_CHECK(retries >= 0 && retries <= kMaxRetries);
  }
  return 0;
}
