#include <doctest/doctest.h>

#include <string>

#include "common/base/base64.h"

namespace regdigest {
namespace {

TEST_CASE("Base64Encode matches RFC 4648 test vectors") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
      {"user:pass", "dXNlcjpwYXNz"},
      {"u:p:w:d", "dTpwOnc6ZA=="},
      {std::string("\x00\xff\xfe", 3), "AP/+"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.out);
    CHECK(Base64Encode(c.in) == c.out);
    Result<std::string> back = Base64Decode(c.out);
    REQUIRE(back.ok());
    CHECK(*back == c.in);
  }
}

TEST_CASE("Base64Decode accepts missing padding and line breaks") {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"Zg", "f"},
      {"Zm8", "fo"},
      {"Zm9vYg", "foob"},
      {"Zm9vYmE", "fooba"},
      {"dXNlcjpwYXNz", "user:pass"},
      {"Zm9v\nYmFy\r\n", "foobar"},
      {"Zm9vYg==\n", "foob"},
      {"+/+/", "\xfb\xff\xbf"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    Result<std::string> got = Base64Decode(c.in);
    REQUIRE(got.ok());
    CHECK(*got == c.out);
  }
}

TEST_CASE("Base64Decode rejects garbage") {
  const char* cases[] = {
      "Z",         // impossible length
      "Zm9vY",     // 5 symbols: impossible length
      "Zm9v!",     // bad character
      "Zm 9v",     // space
      "Zm-_",      // URL-safe alphabet
      "Zg===",     // too much padding
      "Zm9v=",     // padding after a full quantum
      "====",      // only padding
      "Zg==Zg==",  // data after padding
      "Zm=8",      // padding in the middle
      "\xc3\xa9",  // non-ASCII
  };
  for (const char* in : cases) {
    CAPTURE(in);
    Result<std::string> got = Base64Decode(in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find("base64") != std::string::npos);
  }
}

TEST_CASE("Base64 round-trips every byte value") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); len += 37) {
    CAPTURE(len);
    std::string in = all.substr(0, len);
    Result<std::string> back = Base64Decode(Base64Encode(in));
    REQUIRE(back.ok());
    CHECK(*back == in);
  }
}

}  // namespace
}  // namespace regdigest
