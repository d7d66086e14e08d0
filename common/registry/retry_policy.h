// RetryPolicy: when regdigest tries a registry request again and how long it
// waits first. Pure values and functions (no clock, no sleeping): which HTTP
// statuses are worth another attempt, exponential backoff with jitter, and
// the Retry-After header (delta-seconds or HTTP-date), capped.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace regdigest {

inline constexpr int kDefaultRetries = 3;  // after the first attempt: 4 attempts in all
inline constexpr int kMaxRetries = 10;

struct RetryPolicy {
  int max_attempts = kDefaultRetries + 1;  // 1: no retries
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  // Cap on one wait, including what a Retry-After asks for.
  std::chrono::milliseconds max_wait{60000};
  // Bound on the whole exchange (attempts and waits): no wait starts that
  // would end after it.
  std::chrono::milliseconds max_total{300000};
};

// 429 Too Many Requests, 502 Bad Gateway, 503 Service Unavailable and
// 504 Gateway Timeout. Every other status (other 4xx in particular) is final.
bool IsRetryableStatus(int http_status);

// The backoff before retry number `retry` (1 for the first retry):
// initial_backoff * 2^(retry-1), at most max_backoff and max_wait, with "equal
// jitter": half of it fixed and half scaled by `unit_random` in [0, 1).
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random);

// A Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 or asctime form) taken relative
// to `now`; a date in the past is 0. nullopt for anything else (empty,
// negative, fractional, garbage). Huge values saturate instead of overflowing.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// The wait before retry number `retry`: the server's Retry-After when it
// gave one, else the backoff; never more than max_wait.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int retry,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     double unit_random);

}  // namespace regdigest
