#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/base/ascii.h"

namespace regdigest {
namespace {

TEST_CASE("AsciiLower folds A-Z only") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"abc", "abc"},
      {"Bearer", "bearer"},
      {"WWW-Authenticate", "www-authenticate"},
      {"Registry-1.Docker.IO:5000", "registry-1.docker.io:5000"},
      {"LINUX/AMD64/V8", "linux/amd64/v8"},
      {"@[`{", "@[`{"},  // the bytes either side of 'A'-'Z' and 'a'-'z'
      {"0123456789 _-.:/", "0123456789 _-.:/"},
      {"\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89"},  // "ÉTÉ": UTF-8 bytes are kept
      {"\xc0\xdf\xff", "\xc0\xdf\xff"},            // Latin-1 capitals and negative chars stay
      {std::string("A\0B", 3), std::string("a\0b", 3)},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(AsciiLower(c.in) == c.out);
  }
}

TEST_CASE("AsciiToLower maps every byte value") {
  for (int i = 0; i < 256; ++i) {
    CAPTURE(i);
    const char c = static_cast<char>(i);
    const char expected = (i >= 'A' && i <= 'Z') ? static_cast<char>(i + 32) : c;
    CHECK(AsciiToLower(c) == expected);
  }
  static_assert(AsciiToLower('Q') == 'q' && AsciiToLower('q') == 'q' && AsciiToLower('[') == '[');
}

TEST_CASE("AsciiEqualsIgnoreCase") {
  struct Case {
    std::string a, b;
    bool equal;
  };
  const std::vector<Case> cases = {
      {"", "", true},
      {"Content-Type", "content-type", true},
      {"LOCATION", "Location", true},
      {"abc", "abd", false},
      {"abc", "abcd", false},  // a prefix is not equal
      {"abcd", "abc", false},
      {"", "a", false},
      {"@", "`", false},  // 0x40 and 0x60 differ by 32 but are not letters
      {"[", "{", false},
      {"\xc3\x89", "\xc3\xa9", false},  // "É" and "é": no Unicode folding
  };
  for (const Case& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(AsciiEqualsIgnoreCase(c.a, c.b) == c.equal);
    CHECK(AsciiEqualsIgnoreCase(c.b, c.a) == c.equal);
  }
}

}  // namespace
}  // namespace regdigest
