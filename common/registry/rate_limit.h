// RateLimit: Docker Hub's pull rate-limit headers, parsed. Docker Hub answers
// manifest requests with
//   ratelimit-limit: 100;w=21600        (pulls allowed per window of w seconds)
//   ratelimit-remaining: 76;w=21600     (pulls left in the current window)
//   docker-ratelimit-source: 1.2.3.4    (what the limit is counted against)
// Other registries send none of them. Pure: absent, empty or malformed
// headers give "no rate limit", never an error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace regdigest {

struct RateLimit {
  std::optional<int64_t> limit;           // pulls per window
  std::optional<int64_t> remaining;       // pulls left
  std::optional<int64_t> window_seconds;  // from ";w=" of either header
  std::string source;                     // docker-ratelimit-source; may be empty

  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

// From the three header values (nullopt: header absent). The result is
// nullopt unless ratelimit-limit or ratelimit-remaining has a usable count
// (a non-negative integer, optionally followed by ";w=SECONDS" and other
// parameters); a bad window or source alone is dropped.
std::optional<RateLimit> ParseRateLimit(std::optional<std::string_view> limit_header,
                                        std::optional<std::string_view> remaining_header,
                                        std::optional<std::string_view> source_header);

// {"limit": 100, "remaining": 76, "windowSeconds": 21600, "source": "1.2.3.4"}
// (fields that are unknown are null).
nlohmann::ordered_json RateLimitJson(const RateLimit& rate_limit);

// "76 of 100 pulls remaining, window 21600 s (6 h), source 1.2.3.4"; unknown
// parts are left out or shown as "?".
std::string DescribeRateLimit(const RateLimit& rate_limit);

}  // namespace regdigest
