// Tests for common/retry_policy.h: retryable statuses, backoff with jitter,
// Retry-After parsing and the wait before a retry.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/registry/retry_policy.h"

namespace regdigest {
namespace {

using std::chrono::milliseconds;

TEST_CASE("IsRetryableStatus: 429 and gateway/unavailable 5xx only") {
  struct Case {
    int status;
    bool retryable;
  };
  const Case cases[] = {{429, true},  {502, true},  {503, true},  {504, true},  {200, false},
                        {301, false}, {400, false}, {401, false}, {403, false}, {404, false},
                        {405, false}, {408, false}, {500, false}, {501, false}, {505, false}};
  for (const Case& c : cases) {
    CAPTURE(c.status);
    CHECK(IsRetryableStatus(c.status) == c.retryable);
  }
}

TEST_CASE("BackoffDelay doubles from initial_backoff, capped, with equal jitter") {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds(500);
  policy.max_backoff = milliseconds(3000);
  policy.max_wait = milliseconds(60000);
  struct Case {
    int retry;
    double random;
    milliseconds want;
  };
  const Case cases[] = {
      {1, 0.0, milliseconds(250)},     {1, 0.5, milliseconds(375)},  {1, 0.999, milliseconds(499)},
      {2, 0.0, milliseconds(500)},     {2, 1.0, milliseconds(1000)}, {3, 0.0, milliseconds(1000)},
      {4, 0.0, milliseconds(1500)},    {4, 1.0, milliseconds(3000)}, {30, 1.0, milliseconds(3000)},
      {1000, 0.0, milliseconds(1500)}, {1, -5.0, milliseconds(250)}, {1, 7.0, milliseconds(500)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.retry);
    CAPTURE(c.random);
    CHECK(BackoffDelay(policy, c.retry, c.random) == c.want);
  }
  SUBCASE("max_wait caps the backoff too") {
    policy.max_wait = milliseconds(800);
    CHECK(BackoffDelay(policy, 10, 1.0) == milliseconds(800));
  }
}

TEST_CASE("ParseRetryAfter: delta-seconds and the three HTTP-date forms") {
  // 1994-11-06 08:49:30 UTC, 7 s before the example date of RFC 9110.
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(784111770));
  struct Case {
    std::string value;
    std::optional<milliseconds> want;
  };
  const std::vector<Case> cases = {
      {"0", milliseconds(0)},
      {"1", milliseconds(1000)},
      {" 120 ", milliseconds(120000)},
      {"007", milliseconds(7000)},
      {"Sun, 06 Nov 1994 08:49:37 GMT", milliseconds(7000)},
      {"Sunday, 06-Nov-94 08:49:37 GMT", milliseconds(7000)},
      {"Sun Nov  6 08:49:37 1994", milliseconds(7000)},
      {"Sun, 06 Nov 1994 09:49:30 GMT", milliseconds(3600000)},
      {"Sun, 06 Nov 1994 08:00:00 GMT", milliseconds(0)},  // in the past
      {"Thu, 01 Jan 1970 00:00:00 GMT", milliseconds(0)},
      {"", std::nullopt},
      {"   ", std::nullopt},
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"+3", std::nullopt},
      {"soon", std::nullopt},
      {"10s", std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
      {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
      {"Sun, 32 Nov 1994 08:49:37 GMT", std::nullopt},
      {"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 GMT trailing", std::nullopt},
      {"Sun, 06 Nov 1994", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    CHECK(ParseRetryAfter(c.value, now) == c.want);
  }
  SUBCASE("huge delta-seconds saturate instead of overflowing") {
    std::optional<milliseconds> got = ParseRetryAfter(std::string(40, '9'), now);
    REQUIRE(got.has_value());
    CHECK(*got > milliseconds(1000LL * 1000 * 1000 * 1000));
  }
  SUBCASE("a far-future HTTP-date (year 8050) does not overflow the clock") {
    std::optional<milliseconds> got = ParseRetryAfter("Sun Nov  6 08:49:37 8050", now);
    REQUIRE(got.has_value());
    CHECK(*got > milliseconds(1000LL * 86400 * 365 * 6000));
  }
}

TEST_CASE("RetryDelay: Retry-After wins over backoff, capped at max_wait") {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds(500);
  policy.max_wait = milliseconds(60000);
  struct Case {
    std::string name;
    int retry;
    std::optional<milliseconds> retry_after;
    milliseconds want;
  };
  const std::vector<Case> cases = {
      {"no Retry-After: backoff", 2, std::nullopt, milliseconds(500)},
      {"Retry-After honoured exactly", 1, milliseconds(1000), milliseconds(1000)},
      {"Retry-After 0", 3, milliseconds(0), milliseconds(0)},
      {"Retry-After shorter than the backoff", 5, milliseconds(100), milliseconds(100)},
      {"Retry-After over the cap", 1, milliseconds(3600000), milliseconds(60000)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(RetryDelay(policy, c.retry, c.retry_after, 0.0) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
