// Fuzz target: what a registry sends besides manifests, tokens and
// challenges, all hostile input: a Location header resolved against the
// request URL (common/url.h), Docker Hub's rate-limit headers
// (common/rate_limit.h), Retry-After (common/retry_policy.h) and error
// bodies (common/registry_error.h). The input's lines are, in order: a
// Location, the three rate-limit headers, a Retry-After, then the error body;
// the first byte also picks the HTTP status.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/base/url.h"
#include "common/registry/rate_limit.h"
#include "common/registry/registry_error.h"
#include "common/registry/retry_policy.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

constexpr int kStatuses[] = {400, 401, 403, 404, 405, 429, 500, 502, 503, 504, 200, 301};

void CheckUrl(const Url& url) {
  FUZZ_CHECK(url.scheme == "http" || url.scheme == "https");
  FUZZ_CHECK(!url.host.empty());
  FUZZ_CHECK(url.path_and_query.starts_with("/"));
  FUZZ_CHECK(url.EffectivePort() > 0 && url.EffectivePort() <= 65535);
  Result<Url> again = Url::Parse(url.String());
  if (!again.ok()) {
    std::fprintf(stderr, "printed URL \"%s\" does not parse: %s\n", url.String().c_str(),
                 again.status().message().c_str());
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == url);
}

void CheckLocation(std::string_view location) {
  static const Url kBase =
      *Url::Parse("https://registry.example.com:5000/v2/team/app/manifests/v1");
  if (Result<Url> url = Url::Parse(location); url.ok()) CheckUrl(*url);
  if (Result<Url> resolved = ResolveLocation(kBase, location); resolved.ok()) {
    CheckUrl(*resolved);
  }
}

void CheckRateLimit(const std::vector<std::optional<std::string_view>>& headers) {
  std::optional<RateLimit> limit = ParseRateLimit(headers[0], headers[1], headers[2]);
  if (!limit) return;
  FUZZ_CHECK(limit->limit.has_value() || limit->remaining.has_value());
  FUZZ_CHECK(limit->limit.value_or(0) >= 0 && limit->remaining.value_or(0) >= 0);
  FUZZ_CHECK(limit->window_seconds.value_or(1) > 0);
  (void)RateLimitJson(*limit).dump();  // throws on invalid UTF-8
  (void)DescribeRateLimit(*limit);
}

void CheckRetryAfter(std::string_view value) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  std::optional<std::chrono::milliseconds> wait = ParseRetryAfter(value, now);
  if (!wait) return;
  FUZZ_CHECK(*wait >= std::chrono::milliseconds(0));
  const RetryPolicy policy;
  const std::chrono::milliseconds delay = RetryDelay(policy, 1, wait, 0.5);
  FUZZ_CHECK(delay >= std::chrono::milliseconds(0) && delay <= policy.max_wait);
}

void CheckErrorBody(int status, std::string_view body) {
  const Status error = RegistryErrorStatus(status, body, "r.example/app:v1");
  FUZZ_CHECK(!error.ok());
  FUZZ_CHECK(error.message().starts_with("r.example/app:v1"));
  for (char c : error.message()) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  if (size == 0) return 0;
  const int status = fuzz::kStatuses[data[0] % std::size(fuzz::kStatuses)];
  std::string_view rest = fuzz::AsText(data + 1, size - 1);
  std::vector<std::optional<std::string_view>> lines;  // absent headers are nullopt
  std::string_view body;
  while (true) {
    const size_t newline = rest.find('\n');
    if (lines.size() == 5) {
      body = rest;
      break;
    }
    lines.push_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  lines.resize(5);
  if (lines[0]) fuzz::CheckLocation(*lines[0]);
  fuzz::CheckRateLimit({lines[1], lines[2], lines[3]});
  if (lines[4]) fuzz::CheckRetryAfter(*lines[4]);
  fuzz::CheckErrorBody(status, body);
  return 0;
}
