#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

TEST_CASE("EscapeForTerminal escapes controls, bidi overrides and invalid UTF-8") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"registry.example/app:v1", "registry.example/app:v1"},
      {"a\x1b[1A\x1b[2Kb", "a\\x1b[1A\\x1b[2Kb"},  // cursor up, erase line
      {"tab\there\nnew\rline", "tab\\x09here\\x0anew\\x0dline"},
      {std::string("nul\0x", 5), "nul\\x00x"},
      {"del\x7f", "del\\x7f"},
      {"c1\xc2\x9b"
       "31m",
       "c1\\xc2\\x9b31m"},                 // C1 CSI
      {"\xc2\x85next", "\\xc2\\x85next"},  // C1 NEL
      {"\xc2\xa0nbsp", "\xc2\xa0nbsp"},    // U+00A0 is printable
      {"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
       "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"},
      {"rlo\xe2\x80\xaegpj.exe", "rlo\\xe2\\x80\\xaegpj.exe"},  // U+202E
      {"iso\xe2\x81\xa6x", "iso\\xe2\\x81\\xa6x"},              // U+2066
      {"\xe2\x80\xa6", "\xe2\x80\xa6"},                         // U+2026 stays
      {"bad\xff\xfe", "bad\\xff\\xfe"},
      {"lone\x80", "lone\\x80"},
      {"cut\xe2\x82", "cut\\xe2\\x82"},  // truncated sequence
      {"overlong\xc0\xaf", "overlong\\xc0\\xaf"},
      {"surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80"},
      {"toohigh\xf4\x90\x80\x80", "toohigh\\xf4\\x90\\x80\\x80"},
      {"back\\slash", "back\\slash"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(EscapeForTerminal(c.in) == c.out);
  }
}

TEST_CASE("EscapeForTerminal output holds no control byte for any input byte") {
  for (int i = 0; i < 256; ++i) {
    CAPTURE(i);
    const std::string out = EscapeForTerminal(std::string(1, static_cast<char>(i)));
    for (const char c : out) {
      const auto b = static_cast<unsigned char>(c);
      CHECK(b >= 0x20);
      CHECK(b != 0x7f);
      CHECK(b < 0x80);  // a lone byte is either ASCII or escaped
    }
  }
}

TEST_CASE("DisplayText caps long values and names their size") {
  CHECK(DisplayText("short") == "short");
  CHECK(DisplayText(std::string(200, 'a')) == std::string(200, 'a'));
  CHECK(DisplayText(std::string(5000, 'a')) == std::string(200, 'a') + "\xE2\x80\xA6 (5000 bytes)");
  CHECK(DisplayText("abcdef", 3) == "abc\xE2\x80\xA6 (6 bytes)");
  // A cut never splits a UTF-8 character.
  CHECK(DisplayText("ab\xc3\xa9zz", 3) == "ab\xE2\x80\xA6 (6 bytes)");
  CHECK(DisplayText("a\xe2\x82\xac"
                    "zz",
                    3) == "a\xE2\x80\xA6 (6 bytes)");
  // Escaping happens after the cut, so the cap counts input bytes.
  CHECK(DisplayText("\x1b\x1b\x1b\x1b", 2) == "\\x1b\\x1b\xE2\x80\xA6 (4 bytes)");
  const std::string binary(30 * 1024 * 1024, '\x1b');
  CHECK(DisplayText(binary).size() < 1000);
}

TEST_CASE("Quoted escapes and caps a value in double quotes") {
  CHECK(Quoted("app:v1") == "\"app:v1\"");
  CHECK(Quoted("a\x1b[2Kb") == "\"a\\x1b[2Kb\"");
  CHECK(Quoted(std::string(500, 'x')) ==
        "\"" + std::string(200, 'x') + "\xE2\x80\xA6 (500 bytes)\"");
  CHECK(Quoted("abcdef", 2) == "\"ab\xE2\x80\xA6 (6 bytes)\"");
}

TEST_CASE("CapText caps without escaping") {
  CHECK(CapText("a\x1b") == "a\x1b");
  CHECK(CapText("abcdef", 3) == "abc\xE2\x80\xA6 (6 bytes)");
  CHECK(CapText("ab\xc3\xa9zz", 3) == "ab\xE2\x80\xA6 (6 bytes)");
}

TEST_CASE("ColumnText keeps a table column at most its width") {
  struct Case {
    std::string in;
    std::size_t width;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"app:v1", 10, "app:v1"},
      {"0123456789", 10, "0123456789"},
      {"0123456789a", 10, "012345678\xE2\x80\xA6"},
      {std::string(5000, 'j'), 80, std::string(79, 'j') + "\xE2\x80\xA6"},
      // Escapes count as the characters they print.
      {"\x1b\x1b\x1b", 10, "\\x1b\\x1b\xE2\x80\xA6"},  // never half an escape
      {"\x1b\x1b\x1b", 12, "\\x1b\\x1b\\x1b"},
      {"\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9\xc3\xa9"},
      {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9\xc3\xa9\xE2\x80\xA6"},
      {"abc", 0, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(ColumnText(c.in, c.width) == c.out);
    CHECK(DisplayWidth(ColumnText(c.in, c.width)) <= c.width);
  }
  const std::string binary(30 * 1024 * 1024, '\x01');
  CHECK(DisplayWidth(ColumnText(binary)) <= kMaxColumnWidth);
  CHECK(DisplayWidth(ColumnText(binary)) > kMaxColumnWidth - 4);  // whole escapes only
}

TEST_CASE("PadRight pads by characters, not bytes") {
  CHECK(PadRight("ab", 4) == "ab  ");
  CHECK(PadRight("\xc3\xa9", 3) == "\xc3\xa9  ");
  CHECK(PadRight("abcdef", 3) == "abcdef");
  CHECK(DisplayWidth("\xe2\x80\xa6x") == 2);
}

}  // namespace
}  // namespace regdigest
