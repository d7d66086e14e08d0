// Tests for common/registry/tag_list.h: tags/list pages, Link headers,
// repeated pages, the page cap and digest-named tags.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/registry/tag_list.h"

namespace regdigest {
namespace {

const std::string kHex(64, 'a');

TEST_CASE("ParseTagListPage reads name and tags, drops invalid entries, refuses junk") {
  struct Case {
    std::string name, body;
    bool ok;
    std::vector<std::string> tags;
    std::size_t invalid = 0;
  };
  const std::vector<Case> cases = {
      {"plain", R"({"name":"team/app","tags":["v1","latest"]})", true, {"v1", "latest"}},
      {"null tags", R"({"name":"team/app","tags":null})", true, {}},
      {"no tags key", R"({"name":"team/app"})", true, {}},
      {"invalid entries dropped",
       R"({"tags":["ok",5,"-bad","a b","x\u001b[31m",null]})",
       true,
       {"ok"},
       5},
      {"tag too long dropped", R"({"tags":[")" + std::string(129, 'a') + R"("]})", true, {}, 1},
      {"not json", "<html>", false, {}},
      {"an array", "[]", false, {}},
      {"tags not an array", R"({"tags":"v1"})", false, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<TagListPage> page = ParseTagListPage(c.body);
    REQUIRE(page.ok() == c.ok);
    if (!c.ok) {
      CHECK(page.status().code() == StatusCode::kProtocol);
      continue;
    }
    CHECK(page->tags == c.tags);
    CHECK(page->invalid == c.invalid);
  }
}

TEST_CASE("NextTagPage follows rel=next, relative or absolute, same origin only") {
  const Url page = Url::Parse("http://127.0.0.1:5000/v2/team/app/tags/list?n=2").value();
  struct Case {
    std::string name;
    std::vector<std::string> links;
    std::optional<std::string> want;  // nullopt: no next page
    bool ok = true;
  };
  const std::vector<Case> cases = {
      {"no link", {}, std::nullopt},
      {"relative absolute-path",
       {R"(</v2/team/app/tags/list?last=b&n=2>; rel="next")"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=b&n=2"},
      {"absolute same origin",
       {R"(<http://127.0.0.1:5000/v2/team/app/tags/list?last=b&n=2>; rel="next")"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=b&n=2"},
      {"relative path",
       {R"(<list?last=b>; rel=next)"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=b"},
      {"query only",
       {R"(<?last=b&n=2>;rel="next")"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=b&n=2"},
      {"other rel ignored", {R"(</v2/team/app/tags/list?last=a>; rel="prev")"}, std::nullopt},
      {"next among several values",
       {R"(</v2/team/app/tags/list?last=a>; rel="prev", </v2/team/app/tags/list?last=c>; REL="Next")"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=c"},
      {"rel list",
       {R"(</v2/team/app/tags/list?last=c>; title="a, b"; rel="last next")"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=c"},
      {"second header field",
       {R"(<x>; rel="prev")", R"(</v2/team/app/tags/list?last=d>; rel=next)"},
       "http://127.0.0.1:5000/v2/team/app/tags/list?last=d"},
      {"foreign host refused",
       {R"(<http://evil.test/v2/team/app/tags/list?last=b>; rel="next")"},
       std::nullopt,
       false},
      {"other port refused",
       {R"(<http://127.0.0.1:6000/v2/team/app/tags/list?last=b>; rel="next")"},
       std::nullopt,
       false},
      {"other scheme refused",
       {R"(<https://127.0.0.1:5000/v2/team/app/tags/list?last=b>; rel="next")"},
       std::nullopt,
       false},
      {"scheme-relative other host refused",
       {R"(<//evil.test/v2/team/app/tags/list>; rel="next")"},
       std::nullopt,
       false},
      {"not a tags/list path", {R"(</v2/team/app/manifests/x>; rel="next")"}, std::nullopt, false},
      {"no angle brackets", {R"(/v2/team/app/tags/list; rel="next")"}, std::nullopt, false},
      {"unclosed bracket", {R"(</v2/team/app/tags/list; rel="next")"}, std::nullopt, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::optional<Url>> next = NextTagPage(page, c.links);
    REQUIRE(next.ok() == c.ok);
    if (!c.ok) {
      CHECK(next.status().code() == StatusCode::kProtocol);
      continue;
    }
    REQUIRE(next->has_value() == c.want.has_value());
    if (c.want) CHECK((*next)->String() == *c.want);
  }
}

TEST_CASE("NextTagPage names the foreign host it refuses") {
  const Url page = Url::Parse("https://registry.test/v2/a/tags/list?n=2").value();
  Result<std::optional<Url>> next =
      NextTagPage(page, {R"(<https://evil.test/v2/a/tags/list?last=b>; rel="next")"});
  REQUIRE_FALSE(next.ok());
  CHECK(next.status().message().find("another host (evil.test") != std::string::npos);
}

TEST_CASE("Tag page URLs carry n and an encoded last") {
  CHECK(FirstTagPageUrl("http://h:5000", "team/app", 1000) ==
        "http://h:5000/v2/team/app/tags/list?n=1000");
  CHECK(TagPageAfter("http://h:5000", "a", 10, "v1.0-rc_1") ==
        "http://h:5000/v2/a/tags/list?n=10&last=v1.0-rc_1");
}

TEST_CASE("IsDigestTag hides signatures, attestations, SBOMs and referrer fallbacks only") {
  struct Case {
    std::string tag;
    bool want;
  };
  const std::vector<Case> cases = {
      {"sha256-" + kHex, true},
      {"sha256-" + kHex + ".sig", true},
      {"sha256-" + kHex + ".att", true},
      {"sha256-" + kHex + ".sbom", true},
      {"sha256-" + kHex + ".other", false},
      {"sha256-" + kHex.substr(1), false},
      {"sha256-" + std::string(64, 'A'), false},
      {"sha256-" + std::string(63, 'a') + "g", false},
      {"sha512-" + kHex, false},
      {"v1", false},
      {"latest", false},
      {"sha256", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.tag);
    CHECK(IsDigestTag(c.tag) == c.want);
  }
}

TEST_CASE("TagCollector: sorted distinct tags, a repeated page ends the walk, pages are capped") {
  TagCollector collector(3);
  TagListPage one{"a", {"v2", "v10", "latest"}};
  REQUIRE(collector.Add("u1", one).value() == TagCollector::Next::kContinue);
  CHECK(collector.last_tag() == "latest");
  SUBCASE("the same URL again is a repeat") {
    CHECK(collector.Add("u1", TagListPage{"a", {"new"}}).value() == TagCollector::Next::kRepeated);
  }
  SUBCASE("the same tags under another URL are a repeat") {
    CHECK(collector.Add("u2", one).value() == TagCollector::Next::kRepeated);
  }
  SUBCASE("an empty page is not a repeat; the cap stops an endless chain") {
    CHECK(collector.Add("u2", TagListPage{}).value() == TagCollector::Next::kContinue);
    CHECK(collector.Add("u3", TagListPage{"a", {"v3"}}).value() == TagCollector::Next::kContinue);
    Result<TagCollector::Next> capped = collector.Add("u4", TagListPage{"a", {"v4"}});
    REQUIRE_FALSE(capped.ok());
    CHECK(capped.status().code() == StatusCode::kProtocol);
    CHECK(capped.status().message().find("stopped after 3 pages") != std::string::npos);
  }
  SUBCASE("lexical order, each tag once") {
    CHECK(collector.Add("u2", TagListPage{"a", {"v2", "a"}}).value() ==
          TagCollector::Next::kContinue);
    CHECK(collector.Sorted() == std::vector<std::string>{"a", "latest", "v10", "v2"});
    CHECK(collector.pages() == 2);
  }
}

}  // namespace
}  // namespace regdigest
