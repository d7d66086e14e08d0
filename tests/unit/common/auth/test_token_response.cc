#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>

#include "common/auth/token_response.h"

namespace regdigest {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// Seconds since the Unix epoch of a time point.
int64_t Epoch(system_clock::time_point t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

TEST_CASE("ParseTokenResponse reads the token spec fields") {
  struct Case {
    std::string name, body, token;
    int64_t expires_in;
    std::optional<int64_t> issued_at;  // epoch seconds
    std::string refresh_token;
  };
  const Case cases[] = {
      {"docker hub",
       R"({"token":"t1","access_token":"t1","expires_in":300,"issued_at":"2024-01-02T03:04:05.123456789Z"})",
       "t1", 300, 1704164645, ""},
      {"token only", R"({"token":"abc"})", "abc", 60, std::nullopt, ""},
      {"access_token only (oauth2)", R"({"access_token":"xyz","expires_in":3600})", "xyz", 3600,
       std::nullopt, ""},
      {"token wins over access_token", R"({"token":"a","access_token":"b"})", "a", 60, std::nullopt,
       ""},
      {"empty token falls back", R"({"token":"","access_token":"b"})", "b", 60, std::nullopt, ""},
      {"short expiry raised to 60", R"({"token":"a","expires_in":5})", "a", 60, std::nullopt, ""},
      {"zero expiry raised to 60", R"({"token":"a","expires_in":0})", "a", 60, std::nullopt, ""},
      {"negative expiry raised to 60", R"({"token":"a","expires_in":-10})", "a", 60, std::nullopt,
       ""},
      {"fractional expiry", R"({"token":"a","expires_in":90.7})", "a", 90, std::nullopt, ""},
      {"null fields ignored",
       R"({"token":"a","expires_in":null,"issued_at":null,"refresh_token":null})", "a", 60,
       std::nullopt, ""},
      {"refresh token", R"({"access_token":"a","refresh_token":"r","scope":"x"})", "a", 60,
       std::nullopt, "r"},
      {"issued_at with offset", R"({"token":"a","issued_at":"2024-01-02T05:04:05+02:00"})", "a", 60,
       1704164645, ""},
      {"issued_at negative offset", R"({"token":"a","issued_at":"2024-01-01T22:34:05-04:30"})", "a",
       60, 1704164645, ""},
      {"issued_at lowercase t and z", R"({"token":"a","issued_at":"1970-01-01t00:00:10z"})", "a",
       60, 10, ""},
      {"unknown fields ignored", R"({"token":"a","foo":{"bar":[1,2]}})", "a", 60, std::nullopt, ""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      Result<TokenResponse> got = ParseTokenResponse(c.body);
      REQUIRE_MESSAGE(got.ok(), got.status().ToString());
      CHECK(got->token == c.token);
      CHECK(got->expires_in.count() == c.expires_in);
      CHECK(got->refresh_token == c.refresh_token);
      REQUIRE(got->issued_at.has_value() == c.issued_at.has_value());
      if (c.issued_at) CHECK(Epoch(*got->issued_at) == *c.issued_at);
    }
  }
}

TEST_CASE("ParseTokenResponse keeps sub-second issued_at precision") {
  Result<TokenResponse> got =
      ParseTokenResponse(R"({"token":"a","issued_at":"2024-01-02T03:04:05.25Z"})");
  REQUIRE(got.ok());
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(got->issued_at->time_since_epoch());
  CHECK(ms.count() == 1704164645250);
}

TEST_CASE("ParseTokenResponse rejects malformed responses without echoing them") {
  struct Case {
    std::string body, message_part;
  };
  const Case cases[] = {
      {"", "not valid JSON"},
      {"secret-token-text", "not valid JSON"},
      {R"({"token":"secret-token-text")", "not valid JSON"},
      {R"(["secret-token-text"])", "not a JSON object"},
      {"{}", "no \"token\""},
      {R"({"token":"","access_token":""})", "no \"token\""},
      {R"({"token":42})", "\"token\" is not a string"},
      {R"({"token":"secret-token-text","expires_in":"300"})", "\"expires_in\" is not a number"},
      {R"({"token":"secret-token-text","issued_at":12})", "\"issued_at\" is not a string"},
      {R"({"token":"secret-token-text","issued_at":"yesterday"})", "RFC 3339"},
      {R"({"token":"secret-token-text","refresh_token":true})", "\"refresh_token\""},
      {R"({"token":"secret-token-text\r\nX-Injected: 1"})", "not allowed in an HTTP header"},
      {R"({"access_token":"secret-token-text other"})", "not allowed in an HTTP header"},
      {R"({"token":"secret-token-text\u0000"})", "not allowed in an HTTP header"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    Result<TokenResponse> got = ParseTokenResponse(c.body);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kProtocol);
    CHECK(got.status().message().find(c.message_part) != std::string::npos);
    CHECK(got.status().message().find("secret-token-text") == std::string::npos);
  }
}

}  // namespace
}  // namespace regdigest
