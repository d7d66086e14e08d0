// Tests for common/text_edits.h: replacing byte ranges.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/pin/text_edits.h"

namespace regdigest {
namespace {

TEST_CASE("ApplyTextEdits") {
  struct Case {
    std::string name, content;
    std::vector<TextEdit> edits;
    std::string want;  // "" with an error
    std::string error;
  };
  const Case cases[] = {
      {"no edits", "abc", {}, "abc", ""},
      {"one replacement",
       "FROM nginx:1\n",
       {{5, 7, "nginx:1@sha256:x"}},
       "FROM nginx:1@sha256:x\n",
       ""},
      {"any order, other lengths",
       "a bb ccc",
       {{5, 3, "C"}, {0, 1, "AAA"}, {2, 2, ""}},
       "AAA  C",
       ""},
      {"insertions at the same place and at the end",
       "ab",
       {{1, 0, "x"}, {1, 0, "y"}, {2, 0, "!"}},
       "axyb!",
       ""},
      {"whole content", "abc", {{0, 3, "z"}}, "z", ""},
      {"overlap", "abcdef", {{1, 3, "x"}, {2, 1, "y"}}, "", "edits overlap at byte 2"},
      {"past the end", "abc", {{2, 2, "x"}}, "", "edit at byte 2 (2 bytes) reaches past the end"},
      {"offset past the end", "abc", {{4, 0, "x"}}, "", "edit at byte 4"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::string> got = ApplyTextEdits(c.content, c.edits);
    if (c.error.empty()) {
      REQUIRE(got.ok());
      CHECK(*got == c.want);
    } else {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == StatusCode::kInvalidArgument);
      CHECK(got.status().message().starts_with(c.error));
    }
  }
}

}  // namespace
}  // namespace regdigest
