// Tests for TokenCache (client/token_cache.h) with an injected clock.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/auth/token_cache.h"

namespace regdigest {
namespace {

using std::chrono::seconds;
using Clock = TokenCache::Clock;

TEST_CASE("TokenCache keeps a token until shortly before it expires") {
  const Clock::time_point start = Clock::now();
  struct Case {
    const char* name;
    seconds expires_in;
    std::optional<seconds> issued_at_offset;  // issued_at relative to the fetch time
    seconds still_valid_at;                   // after the fetch
    seconds expired_at;
  };
  const std::vector<Case> cases = {
      {"counted from the fetch time, minus the margin", seconds(300), std::nullopt, seconds(289),
       seconds(290)},
      {"counted from issued_at", seconds(300), seconds(-100), seconds(189), seconds(190)},
      {"issued_at in the future is ignored", seconds(300), seconds(3600), seconds(289),
       seconds(290)},
      {"issued_at already expired is ignored", seconds(60), seconds(-600), seconds(49),
       seconds(50)},
      {"short lifetime: margin is half of it", seconds(4), std::nullopt, seconds(1), seconds(2)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Clock::time_point now = start;
    TokenCache cache([&] { return now; });
    TokenResponse response;
    response.token = "tok";
    response.expires_in = c.expires_in;
    if (c.issued_at_offset) response.issued_at = start + *c.issued_at_offset;
    cache.StoreToken("https://r:443/", "repository:a:pull", response);
    CHECK(cache.ValidToken("https://r:443/", "repository:a:pull") == "tok");
    now = start + c.still_valid_at;
    CHECK(cache.ValidToken("https://r:443/", "repository:a:pull") == "tok");
    now = start + c.expired_at;
    CHECK_FALSE(cache.ValidToken("https://r:443/", "repository:a:pull").has_value());
  }
}

TEST_CASE("TokenCache keys tokens by registry and scope, and remembers challenges") {
  TokenCache cache;
  TokenResponse a{"tok-a", seconds(300), std::nullopt, ""};
  TokenResponse b{"tok-b", seconds(300), std::nullopt, ""};
  cache.StoreToken("https://r:443/", "repository:a:pull", a);
  cache.StoreToken("https://r:443/", "repository:b:pull", b);
  struct Case {
    const char* registry;
    const char* scope;
    std::optional<std::string> token;
  };
  const std::vector<Case> cases = {
      {"https://r:443/", "repository:a:pull", "tok-a"},
      {"https://r:443/", "repository:b:pull", "tok-b"},
      {"https://r:443/", "repository:c:pull", std::nullopt},
      {"https://other:443/", "repository:a:pull", std::nullopt},
      {"http://r:80/", "repository:a:pull", std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.registry);
    CAPTURE(c.scope);
    CHECK(cache.ValidToken(c.registry, c.scope) == c.token);
  }

  CHECK_FALSE(cache.KnownChallenge("https://r:443/").has_value());
  Challenge basic{"basic", {{"realm", "r"}}, ""};
  Challenge bearer{"bearer", {{"realm", "https://auth/token"}}, ""};
  cache.RememberChallenge("https://basic:443/", basic);
  cache.RememberChallenge("https://r:443/", bearer);
  CHECK(cache.UsesBasic("https://basic:443/"));
  CHECK_FALSE(cache.UsesBasic("https://r:443/"));
  CHECK_FALSE(cache.UsesBasic("https://unknown:443/"));
  REQUIRE(cache.KnownChallenge("https://r:443/").has_value());
  CHECK(cache.KnownChallenge("https://r:443/")->Param("realm") == "https://auth/token");

  cache.Clear();
  CHECK_FALSE(cache.KnownChallenge("https://r:443/").has_value());
  CHECK_FALSE(cache.ValidToken("https://r:443/", "repository:a:pull").has_value());
}

}  // namespace
}  // namespace regdigest
