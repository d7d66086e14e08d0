#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/base/timestamp.h"

namespace regdigest {
namespace {

using std::chrono::seconds;

WallTime AtUnix(long long unix_seconds) { return WallTime(seconds(unix_seconds)); }

TEST_CASE("FormatRfc3339 writes whole seconds in UTC") {
  struct Case {
    long long unix_seconds;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {0, "1970-01-01T00:00:00Z"},
      {1798491971, "2026-12-28T21:06:11Z"},
      {951782400, "2000-02-29T00:00:00Z"},
      {4102444799, "2099-12-31T23:59:59Z"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.expected) { CHECK(FormatRfc3339(AtUnix(c.unix_seconds)) == c.expected); }
  }
  SUBCASE("sub-second parts are dropped") {
    CHECK(FormatRfc3339(AtUnix(5) + std::chrono::milliseconds(999)) == "1970-01-01T00:00:05Z");
  }
}

TEST_CASE("ParseRfc3339 accepts RFC 3339 date-times") {
  struct Case {
    const char* text;
    long long unix_seconds;
    long long micros;
  };
  const std::vector<Case> cases = {
      {"1970-01-01T00:00:00Z", 0, 0},
      {"2026-12-28T21:06:11Z", 1798491971, 0},
      {"2026-12-28t21:06:11z", 1798491971, 0},
      {"2026-12-28 21:06:11Z", 1798491971, 0},
      {"2026-12-28T22:06:11+01:00", 1798491971, 0},
      {"2026-12-28T16:36:11-04:30", 1798491971, 0},
      {"1970-01-01T00:00:01.5Z", 1, 500000},
      {"1970-01-01T00:00:01.123456789Z", 1, 123456},
      {"2000-02-29T12:00:00Z", 951825600, 0},
      {"2024-12-31T23:59:59.999Z", 1735689599, 999000},
      {"2016-12-31T23:59:60Z", 1483228800, 0},  // a leap second counts into the next minute
  };
  for (const Case& c : cases) {
    SUBCASE(c.text) {
      Result<WallTime> parsed = ParseRfc3339(c.text);
      REQUIRE(parsed.ok());
      CHECK(*parsed == AtUnix(c.unix_seconds) + std::chrono::microseconds(c.micros));
    }
  }
  SUBCASE("round trip") {
    const WallTime time = AtUnix(1798491971);
    CHECK(*ParseRfc3339(FormatRfc3339(time)) == time);
  }
}

TEST_CASE("ParseRfc3339 refuses what is not RFC 3339") {
  const std::vector<std::string> bad = {
      "",
      "2026-12-28",
      "2026-12-28T21:06:11",   // no zone
      "2026-12-28T21:06Z",     // no seconds
      "2026-13-01T00:00:00Z",  // month 13
      "2026-02-30T00:00:00Z",  // no such day
      "2001-02-29T00:00:00Z",  // not a leap year
      "2024-01-01T00:60:00Z",  // minute 60
      "2024-1-01T00:00:00Z",   // one-digit month
      "1013-01-01T00:00:00Z",  // before 1900: outside WallTime's nanosecond range
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",      // after 2200
      "2026-12-28T24:00:00Z",      // hour 24
      "2026-12-28X21:06:11Z",      // bad separator
      "2026-12-28T21:06:11.Z",     // no fraction digits
      "2026-12-28T21:06:11+0100",  // offset without colon
      "2026-12-28T21:06:11Z extra",
      "yesterday",
  };
  for (const std::string& text : bad) {
    SUBCASE(text.c_str()) {
      Result<WallTime> parsed = ParseRfc3339(text);
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
      CHECK(parsed.status().message().find("invalid RFC 3339 time") != std::string::npos);
    }
  }
}

TEST_CASE("ParseDurationSpec") {
  struct Case {
    const char* text;
    long long seconds;  // -1: invalid
  };
  const std::vector<Case> cases = {
      {"90s", 90},     {"30m", 1800},
      {"12h", 43200},  {"7d", 604800},
      {"2w", 1209600}, {"0d", -1},
      {"-1d", -1},     {"d", -1},
      {"7", -1},       {"7y", -1},
      {"", -1},        {"1.5h", -1},
      {" 7d", -1},     {"99999999999999999w", -1},
  };
  for (const Case& c : cases) {
    SUBCASE(c.text) {
      Result<seconds> parsed = ParseDurationSpec(c.text);
      if (c.seconds < 0) {
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
      } else {
        REQUIRE(parsed.ok());
        CHECK(parsed->count() == c.seconds);
      }
    }
  }
}

}  // namespace
}  // namespace regdigest
