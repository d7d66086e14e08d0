// Tests for common/yaml_tree.h: the node tree with source byte ranges.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "common/pin/yaml_tree.h"

namespace regdigest {
namespace {

const YamlNode& Root(const Result<std::vector<YamlDocument>>& documents, std::size_t i = 0) {
  REQUIRE(documents.ok());
  REQUIRE(documents->size() > i);
  REQUIRE((*documents)[i] != nullptr);
  return *(*documents)[i];
}

TEST_CASE("Scalars keep their exact byte range, whatever comes before them") {
  struct Case {
    std::string name, source;
    std::string want;  // the value of key "v", found in place
  };
  const Case cases[] = {
      {"plain", "v: nginx:1\n", "nginx:1"},
      {"plain with a comment", "v: nginx:1   # c\n", "nginx:1"},
      {"single-quoted", "v: 'nginx:1'\n", "nginx:1"},
      {"double-quoted", "v: \"nginx:1\"\n", "nginx:1"},
      {"tagged", "v: !!str nginx:1\n", "nginx:1"},
      {"anchored", "v: &a \"nginx:1\"\n", "nginx:1"},
      {"byte order mark", "\xEF\xBB\xBFv: nginx:1\n", "nginx:1"},
      {"multibyte text before", "a: \"\xC3\xA9\xE2\x98\x95\xF0\x9F\x90\xB3\"\nv: nginx:1\n",
       "nginx:1"},
      {"CRLF", "a: 1\r\nb: 2\r\nv: 'nginx:1'\r\n", "nginx:1"},
      {"flow mapping", "{a: 1, v: nginx:1}", "nginx:1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(c.source);
    const YamlNode* value = Root(documents).Find("v");
    REQUIRE(value != nullptr);
    CHECK(value->value == c.want);
    std::size_t offset = 0;
    REQUIRE(value->SourceRange(c.source, offset));
    CHECK(c.source.substr(offset, c.want.size()) == c.want);
  }
}

TEST_CASE("SourceRange refuses scalars whose text differs from their value") {
  for (const std::string source :
       {"v: \"a\\x3ab\"\n", "v: 'it''s'\n", "v: |\n  text\n", "v: >\n  text\n", "v: two\n  lines\n",
        "v: \"two\n  lines\"\n"}) {
    CAPTURE(source);
    Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(source);
    const YamlNode* value = Root(documents).Find("v");
    REQUIRE(value != nullptr);
    std::size_t offset = 0;
    CHECK_FALSE(value->SourceRange(source, offset));
  }
}

TEST_CASE("Documents, aliases and merge keys") {
  Result<std::vector<YamlDocument>> documents =
      ParseYamlDocuments("a: &x {k: 1}\nb: *x\nc:\n  <<: [*x, {m: 2}]\n  n: 3\n---\n---\n- 1\n");
  REQUIRE(documents.ok());
  REQUIRE(documents->size() == 3);
  const YamlNode& first = Root(documents);
  CHECK(first.Find("a") == first.Find("b"));  // an alias shares the anchored node
  const YamlNode* c = first.Find("c");
  REQUIRE(c != nullptr);
  REQUIRE(c->Find("k") != nullptr);
  CHECK(c->Find("k")->value == "1");
  CHECK(c->Find("m")->value == "2");
  CHECK(c->Find("n")->value == "3");
  CHECK(c->Find("missing") == nullptr);
  CHECK(Root(documents, 1).IsScalar());  // an empty document
  CHECK(Root(documents, 1).value.empty());
  CHECK(Root(documents, 2).IsSequence());
  CHECK(Root(documents, 2).Find("x") == nullptr);
}

// a0: &a0 {k: v}, then aN: &aN {<<: [*aN-1, *aN-1]}: following every merge
// would take 2^levels steps.
std::string MergeChain(int levels) {
  std::string yaml = "a0: &a0 {k: v}\n";
  for (int i = 1; i <= levels; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " {<<: [" + prev + ", " + prev +
            "]}\n";
  }
  return yaml + "top:\n  <<: *a" + std::to_string(levels) + "\n";
}

TEST_CASE("Find through a 40-level chain of doubled merge keys finishes at once") {
  Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(MergeChain(40));
  const YamlNode* top = Root(documents).Find("top");
  REQUIRE(top != nullptr);
  const auto start = std::chrono::steady_clock::now();
  CHECK(top->Find("missing") == nullptr);  // the worst case: every path is searched
  REQUIRE(top->Find("k") != nullptr);
  CHECK(top->Find("k")->value == "v");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(100));
}

TEST_CASE("Errors") {
  struct Case {
    std::string name, source, want;  // want: the start of the message
  };
  const Case cases[] = {
      {"unclosed flow sequence", "a: [1,\nb: 2\n", "invalid YAML: line "},
      {"bad indentation", "a:\n  b: 1\n c: 2\n", "invalid YAML: line 3"},
      {"undefined alias", "a: 1\nb: *nope\n", "invalid YAML: line 2: alias *nope names no anchor"},
      {"alias inside its own anchor", "a: &x [*x]\n", "invalid YAML: line 1: alias *x"},
      {"too deep", std::string(600, '[') + std::string(600, ']'),
       "invalid YAML: line 1: nested more than 512 levels deep"},
      {"UTF-16",
       std::string("\xFF\xFE"
                   "a\0:\0 \0b\0",
                   10),
       "invalid YAML: UTF-16"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(c.source);
    REQUIRE_FALSE(documents.ok());
    CHECK(documents.status().code() == StatusCode::kInvalidArgument);
    CHECK(documents.status().message().starts_with(c.want));
  }
}

}  // namespace
}  // namespace regdigest
