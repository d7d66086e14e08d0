// Tests for cli/output/xml_escape.h: XML 1.0 text whatever the input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/output/xml_escape.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST_CASE("XmlEscape makes any input well-formed XML 1.0 text") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"plain ref:v1", "plain ref:v1"},
      {"<a href=\"x\">&'", "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"},
      {"tab\tlf\ncr\r", "tab&#9;lf&#10;cr&#13;"},
      {std::string("nul\0x", 5), "nul" + kFffd + "x"},
      {"esc\x1b[2K", "esc" + kFffd + "[2K"},
      {"del\x7f", "del&#127;"},
      {"c1\xc2\x9b", "c1&#155;"},
      {"rlo\xe2\x80\xae", "rlo&#8238;"},
      {"bad\xff\xfe", "bad" + kFffd + kFffd},
      {"cut\xe2\x82", "cut" + kFffd + kFffd},
      {"nonchar\xef\xbf\xbe\xef\xbf\xbf", "nonchar" + kFffd + kFffd},
      {"\xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xb3", "\xc3\xa9t\xc3\xa9 \xf0\x9f\x90\xb3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(XmlEscape(c.in) == c.out);
  }
}

TEST_CASE("XmlEscape output has no byte XML 1.0 or a terminal would choke on") {
  for (int i = 0; i < 256; ++i) {
    CAPTURE(i);
    const std::string out = XmlEscape(std::string("a") + static_cast<char>(i) + "b");
    CHECK(EscapeForTerminal(out) == out);  // valid UTF-8, no control byte at all
  }
}

}  // namespace
}  // namespace regdigest
