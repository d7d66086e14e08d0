// Tests for cli/json_output.h: streamed arrays are byte-identical to dump(2).
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/output/json_output.h"

namespace regdigest {
namespace {

TEST_CASE("JsonText replaces invalid UTF-8 instead of throwing") {
  struct Case {
    const char* name;
    std::string input;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"valid", "ubuntu", "\"ubuntu\""},
      {"latin-1 byte", "ubuntu\xff", "\"ubuntu\xef\xbf\xbd\""},
      {"truncated sequence", "a\xc3", "\"a\xef\xbf\xbd\""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(JsonText(nlohmann::ordered_json(c.input)) == c.expected); }
  }
}

TEST_CASE("JsonArrayWriter writes what dump(2) of the whole array writes") {
  using Json = nlohmann::ordered_json;
  struct Case {
    const char* name;
    std::vector<Json> elements;
  };
  const std::vector<Case> cases = {
      {"empty", {}},
      {"one object", {Json{{"input", "a"}, {"digest", "sha256:x"}}}},
      {"nested objects and arrays",
       {Json{{"input", "a"}, {"rateLimit", {{"limit", 100}, {"remaining", 76}}}},
        Json{{"input", "b"}, {"error", "line 1\nline 2"}},
        Json{{"list", Json::array({1, 2, Json::object()})}, {"empty", Json::array()}}}},
      {"scalars", {Json(1), Json("two"), Json(nullptr)}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      std::ostringstream streamed;
      JsonArrayWriter writer(streamed);
      Json whole = Json::array();
      for (const Json& element : c.elements) {
        writer.Add(element);
        whole.push_back(element);
      }
      writer.Finish();
      CHECK(streamed.str() == whole.dump(2) + "\n");
    }
  }
}

}  // namespace
}  // namespace regdigest
