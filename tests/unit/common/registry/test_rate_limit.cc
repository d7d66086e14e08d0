// Tests for common/rate_limit.h: Docker Hub's rate-limit headers, parsed,
// as JSON and as text.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/registry/rate_limit.h"

namespace regdigest {
namespace {

using Header = std::optional<std::string_view>;

TEST_CASE("ParseRateLimit reads Docker Hub's headers and ignores junk") {
  struct Case {
    std::string name;
    Header limit, remaining, source;
    std::optional<RateLimit> want;
  };
  const std::vector<Case> cases = {
      {"Docker Hub anonymous", "100;w=21600", "76;w=21600", "1.2.3.4",
       RateLimit{100, 76, 21600, "1.2.3.4"}},
      {"no headers", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {"source alone is not a rate limit", std::nullopt, std::nullopt, "1.2.3.4", std::nullopt},
      {"empty headers", "", "", "", std::nullopt},
      {"malformed counts", "lots", "-1;w=60", "x", std::nullopt},
      {"limit only, no window", "200", std::nullopt, std::nullopt,
       RateLimit{200, std::nullopt, std::nullopt, ""}},
      {"remaining only, window from it", std::nullopt, "0;w=3600", "abc",
       RateLimit{std::nullopt, 0, 3600, "abc"}},
      {"spaces and other parameters", " 100 ; foo=bar ; w=21600 ", "76", "  1.2.3.4  ",
       RateLimit{100, 76, 21600, "1.2.3.4"}},
      {"several policies: the first", "100;w=21600, 20;w=60", "76;w=21600, 5;w=60", std::nullopt,
       RateLimit{100, 76, 21600, ""}},
      {"bad window dropped", "100;w=soon", "76;w=0", std::nullopt,
       RateLimit{100, 76, std::nullopt, ""}},
      {"count too large", "99999999999999999999", "5", std::nullopt,
       RateLimit{std::nullopt, 5, std::nullopt, ""}},
      {"source with control characters dropped", "10", "1", "1.2.3.4\x1b[31m",
       RateLimit{10, 1, std::nullopt, ""}},
      {"source with spaces inside dropped", "10", "1", "a b", RateLimit{10, 1, std::nullopt, ""}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::optional<RateLimit> got = ParseRateLimit(c.limit, c.remaining, c.source);
    REQUIRE(got.has_value() == c.want.has_value());
    if (got) CHECK(*got == *c.want);
  }
}

TEST_CASE("RateLimitJson and DescribeRateLimit") {
  struct Case {
    RateLimit rate_limit;
    std::string json;
    std::string text;
  };
  const std::vector<Case> cases = {
      {{100, 76, 21600, "1.2.3.4"},
       R"({"limit":100,"remaining":76,"windowSeconds":21600,"source":"1.2.3.4"})",
       "76 of 100 pulls remaining, window 21600 s (6 h), source 1.2.3.4"},
      {{std::nullopt, 3, std::nullopt, ""},
       R"({"limit":null,"remaining":3,"windowSeconds":null,"source":null})",
       "3 of ? pulls remaining"},
      {{200, std::nullopt, 90, ""},
       R"({"limit":200,"remaining":null,"windowSeconds":90,"source":null})",
       "? of 200 pulls remaining, window 90 s"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(RateLimitJson(c.rate_limit).dump() == c.json);
    CHECK(DescribeRateLimit(c.rate_limit) == c.text);
  }
}

}  // namespace
}  // namespace regdigest
