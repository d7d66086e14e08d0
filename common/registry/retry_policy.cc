#include "common/registry/retry_policy.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

namespace regdigest {
namespace {

using std::chrono::milliseconds;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int MonthNumber(const char* name) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (std::strcmp(name, kMonths[i]) == 0) return i + 1;
  }
  return 0;
}

struct DateFields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// The three HTTP-date forms of RFC 9110 section 5.6.7, exactly.
std::optional<DateFields> ParseHttpDate(const std::string& text) {
  DateFields f;
  char weekday[16] = {}, month[4] = {};
  int consumed = -1;
  const int length = static_cast<int>(text.size());
  auto full = [&](int fields, int expected) { return fields == expected && consumed == length; };
  bool ok = false;
  if (full(std::sscanf(text.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", weekday,
                       &f.day, month, &f.year, &f.hour, &f.minute, &f.second, &consumed),
           7)) {
    ok = true;  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
  } else if (consumed = -1;
             full(std::sscanf(text.c_str(), "%9[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n",
                              weekday, &f.day, month, &f.year, &f.hour, &f.minute, &f.second,
                              &consumed),
                  7)) {
    f.year += f.year < 70 ? 2000 : 1900;  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    ok = true;
  } else if (consumed = -1;
             full(std::sscanf(text.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", weekday,
                              month, &f.day, &f.hour, &f.minute, &f.second, &f.year, &consumed),
                  7)) {
    ok = true;  // asctime: Sun Nov  6 08:49:37 1994
  }
  if (!ok) return std::nullopt;
  f.month = MonthNumber(month);
  if (f.month == 0 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 60 ||
      f.year < 1970 || f.hour < 0 || f.minute < 0 || f.second < 0) {
    return std::nullopt;
  }
  return f;
}

}  // namespace

bool IsRetryableStatus(int http_status) {
  return http_status == 429 || http_status == 502 || http_status == 503 || http_status == 504;
}

milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random) {
  const int64_t cap = std::min(policy.max_backoff, policy.max_wait).count();
  int64_t base = std::max<int64_t>(policy.initial_backoff.count(), 0);
  for (int i = 1; i < retry && base > 0 && base < cap; ++i) base *= 2;
  base = std::min(base, cap);
  const double jitter = std::clamp(unit_random, 0.0, 1.0);
  const auto half = base / 2;
  return milliseconds(half + static_cast<int64_t>(static_cast<double>(base - half) * jitter));
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds > (kMaxSeconds - 9) / 10 ? kMaxSeconds : seconds * 10 + (c - '0');
    }
    return milliseconds(seconds * 1000);
  }
  std::optional<DateFields> date = ParseHttpDate(std::string(value));
  if (!date) return std::nullopt;
  const int64_t epoch_seconds = DaysFromCivil(date->year, date->month, date->day) * 86400 +
                                date->hour * 3600 + date->minute * 60 + date->second;
  // In milliseconds, saturated: a far-future year would overflow the clock's
  // nanoseconds (system_clock::time_point ends in 2262).
  const int64_t at_ms = std::min(epoch_seconds, kMaxSeconds) * 1000;
  const int64_t now_ms = std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count();
  if (at_ms <= now_ms) return milliseconds(0);
  return milliseconds(at_ms - now_ms);
}

milliseconds RetryDelay(const RetryPolicy& policy, int retry,
                        std::optional<milliseconds> retry_after, double unit_random) {
  if (retry_after) return std::min(*retry_after, policy.max_wait);
  return BackoffDelay(policy, retry, unit_random);
}

}  // namespace regdigest
