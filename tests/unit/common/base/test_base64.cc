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
      {"", ""},
      {"\r\n", ""},       // only line breaks
      {"Zg=\n=", "f"},    // a line break inside the padding
      {"\nZm9v", "foo"},  // a leading line break
      {"Zm8=\r\n", "fo"},
      {"Zh==", "f"},  // unused low bits are ignored
      {"Zm9=", "fo"},
      {"AAAA", std::string(3, '\0')},  // real zero bytes are not trimmed
      {"AA==", std::string(1, '\0')},
      {"AAA", std::string(2, '\0')},
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
      // Inputs that OpenSSL's EVP_DecodeBlock alone would accept:
      "=",  // padding only
      "==",
      "Zg=A",      // '=' decoded as zero bits
      "Zm9v====",  // padding after a full quantum
      "Zm8==",     // three symbols and two '='
      "Zg=",       // two symbols and one '='
      " Zg==",     // leading blank
      "Zg== ",     // trailing blank
      "\tZg==",    // leading tab
      "Zm9v-",     // trailing '-' (PEM's end marker)
      "\xff\xff\xff\xff",
  };
  for (const char* in : cases) {
    CAPTURE(in);
    Result<std::string> got = Base64Decode(in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find("base64") != std::string::npos);
  }
  // A NUL byte, which a C string would have hidden.
  CHECK_FALSE(Base64Decode(std::string("Zm9v\0AAA", 8)).ok());
  CHECK_FALSE(Base64Decode(std::string("Zg==\0", 5)).ok());
}

TEST_CASE("Base64 error messages name the offset, never the input") {
  struct Case {
    std::string in, message;
  };
  const Case cases[] = {
      {"c2VjcmV0!", "invalid base64: unexpected character at offset 8"},
      {"c2Vj\r\ncmV0 ", "invalid base64: unexpected character at offset 10"},
      {"c2VjcmV0=x", "invalid base64: data after '=' padding at offset 9"},
      {"c2VjcmV0c", "invalid base64: truncated input (length is not possible)"},
      {"c2VjcmV0=", "invalid base64: wrong amount of '=' padding"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    Result<std::string> got = Base64Decode(c.in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().message() == c.message);
  }
}

TEST_CASE("Base64 round-trips inputs longer than one OpenSSL call") {
  // 100000 bytes: two encode chunks (49152 bytes each) and three decode
  // chunks (65536 symbols each), with line breaks inserted as PEM does.
  std::string in;
  for (int i = 0; i < 100000; ++i) in += static_cast<char>((i * 7919) & 0xff);
  const std::string encoded = Base64Encode(in);
  REQUIRE(encoded.size() == 133336);
  CHECK(encoded.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
        std::string::npos);
  CHECK(encoded.ends_with("=="));  // 100000 % 3 == 1
  Result<std::string> back = Base64Decode(encoded);
  REQUIRE(back.ok());
  CHECK(*back == in);

  std::string wrapped;
  for (size_t at = 0; at < encoded.size(); at += 64) wrapped += encoded.substr(at, 64) + "\n";
  Result<std::string> unwrapped = Base64Decode(wrapped);
  REQUIRE(unwrapped.ok());
  CHECK(*unwrapped == in);

  std::string unpadded = encoded.substr(0, encoded.size() - 2);
  Result<std::string> without_padding = Base64Decode(unpadded);
  REQUIRE(without_padding.ok());
  CHECK(*without_padding == in);
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
