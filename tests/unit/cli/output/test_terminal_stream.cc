// Tests for cli/output/terminal_stream.h: the stream buffer that keeps raw
// control bytes and invalid UTF-8 off the terminal.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/output/terminal_stream.h"

namespace regdigest {
namespace {

// What `write` produces through a TerminalSafeBuffer over a string stream.
template <typename Write>
std::string Through(Write write) {
  std::ostringstream target;
  TerminalSafeBuffer buffer(target.rdbuf());
  std::ostream out(&buffer);
  write(out);
  out.flush();
  return target.str();
}

TEST_CASE("TerminalSafeBuffer escapes controls and invalid UTF-8 but keeps layout") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"ok  app:v1\n", "ok  app:v1\n"},
      {"a\tb\n", "a\tb\n"},
      {"FROM app:v1\x1b[1A\x1b[2K\n", "FROM app:v1\\x1b[1A\\x1b[2K\n"},
      {"cr\rover\n", "cr\\x0dover\n"},
      {"c1\xc2\x9b"
       "31m\n",
       "c1\\xc2\\x9b31m\n"},
      {"bin\xff\x80\n", "bin\\xff\\x80\n"},
      {"\xc3\xa9t\xc3\xa9 \xe2\x80\xa6\n", "\xc3\xa9t\xc3\xa9 \xe2\x80\xa6\n"},
      {"{\"json\": \"\\u001b\"}\n", "{\"json\": \"\\u001b\"}\n"},
      {"cut at the end\xe2\x82", "cut at the end\\xe2\\x82"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(Through([&](std::ostream& out) { out << c.in; }) == c.out);
  }
}

TEST_CASE("TerminalSafeBuffer keeps a UTF-8 character written one byte at a time") {
  const std::string text = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xb3 and \x1b";
  CHECK(Through([&](std::ostream& out) {
          for (const char c : text) out << c;
        }) == "\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xb3 and \\x1b");
  // Also across the internal buffer's boundary.
  const std::string long_text = std::string(4095, 'a') + "\xe2\x82\xac" + std::string(10, 'b');
  CHECK(Through([&](std::ostream& out) { out << long_text; }) == long_text);
}

TEST_CASE("TerminalSafeBuffer output is safe for every byte value") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string out = Through([&](std::ostream& o) { o << all; });
  for (const char c : out) {
    const auto b = static_cast<unsigned char>(c);
    CHECK((b >= 0x20 || c == '\n' || c == '\t'));
    CHECK(b < 0x7f);  // every non-ASCII byte of this input is invalid alone
  }
}

}  // namespace
}  // namespace regdigest
