// TagLister over an in-process paginating fake: Link chains, registries that
// ignore n, ?last= without links, repeated pages, endless chains, foreign
// links, errors, and the pull scope of every request.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "client/registry/tag_lister.h"

using namespace regdigest;

namespace {

class ScriptedTransport : public Transport {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  explicit ScriptedTransport(Handler handler) : handler_(std::move(handler)) {}
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    HttpResponse response = handler_(request);
    response.url = request.url;
    return response;
  }
  std::vector<HttpRequest> requests;

 private:
  Handler handler_;
};

HttpResponse Page(const std::vector<std::string>& tags, const std::string& link = "") {
  HttpResponse r;
  r.status = 200;
  r.body = R"({"name":"team/app","tags":[)";
  for (std::size_t i = 0; i < tags.size(); ++i) r.body += (i ? ",\"" : "\"") + tags[i] + "\"";
  r.body += "]}";
  r.headers.Add("Content-Type", "application/json");
  if (!link.empty()) r.headers.Add("Link", link);
  return r;
}

std::string Query(const HttpRequest& request) {
  const std::size_t q = request.url.find('?');
  return q == std::string::npos ? "" : request.url.substr(q + 1);
}

const std::string kBase = "https://127.0.0.1:5000/v2/team/app/tags/list";
Reference Repo() { return Reference::Parse("127.0.0.1:5000/team/app").value(); }

}  // namespace

TEST_CASE("TagLister follows Link pages and asks with the repository's pull scope") {
  // Pages of two: relative link, then absolute link, then a short page with a link.
  std::map<std::string, HttpResponse> pages = {
      {"n=2", Page({"b", "a"}, R"(</v2/team/app/tags/list?last=b&n=2>; rel="next")")},
      {"last=b&n=2", Page({"d", "c"}, "<" + kBase + R"(?last=d&n=2>; rel="next")")},
      {"last=d&n=2", Page({"e"}, R"(</v2/team/app/tags/list?last=e&n=2>; rel="next")")},
      {"last=e&n=2", Page({})},
  };
  auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest& r) {
    return pages.count(Query(r)) ? pages[Query(r)] : HttpResponse{404, {}, "", ""};
  });
  TagLister lister(transport, ToolConfig{}, {.page_size = 2});
  Result<TagList> list = lister.List(Repo());
  REQUIRE(list.ok());
  CHECK(list->tags == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(list->pages == 4);
  REQUIRE(transport->requests.size() == 4);
  for (const HttpRequest& r : transport->requests) {
    CHECK(r.method == "GET");
    CHECK(r.auth.registry == "127.0.0.1:5000");
    CHECK(r.auth.scope == "repository:team/app:pull");
  }
  CHECK(transport->requests[0].url == kBase + "?n=2");
}

TEST_CASE(
    "TagLister: a short page with a link is not the last; a full page without one is probed") {
  SUBCASE("a registry that ignores n and last: one probe, the repeat ends the walk") {
    std::vector<std::string> all;
    for (int i = 0; i < 5; ++i) all.push_back("t" + std::to_string(i));
    auto transport =
        std::make_shared<ScriptedTransport>([&](const HttpRequest&) { return Page(all); });
    TagLister lister(transport, ToolConfig{}, {.page_size = 3});
    Result<TagList> list = lister.List(Repo());
    REQUIRE(list.ok());
    CHECK(list->tags.size() == 5);
    REQUIRE(transport->requests.size() == 2);
    CHECK(Query(transport->requests[1]) == "n=3&last=t4");
  }
  SUBCASE("everything in fewer than n and no link: one request") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest&) {
      return Page({"x", "y"});
    });
    TagLister lister(transport, ToolConfig{}, {.page_size = 3});
    REQUIRE(lister.List(Repo()).ok());
    CHECK(transport->requests.size() == 1);
  }
  SUBCASE("a registry that pages with last but sends no link") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest& r) {
      const std::string q = Query(r);
      if (q == "n=2") return Page({"a", "b"});
      if (q == "n=2&last=b") return Page({"c", "d"});
      return Page({});
    });
    TagLister lister(transport, ToolConfig{}, {.page_size = 2});
    Result<TagList> list = lister.List(Repo());
    REQUIRE(list.ok());
    CHECK(list->tags == std::vector<std::string>{"a", "b", "c", "d"});
    CHECK(transport->requests.size() == 3);
  }
}

TEST_CASE("TagLister stops on a repeated page and on a link back, caps an endless chain") {
  SUBCASE("a link back to the first page") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest& r) {
      if (Query(r) == "n=2") return Page({"a", "b"}, R"(<?last=b&n=2>; rel="next")");
      return Page({"c"}, R"(<?n=2>; rel="next")");
    });
    TagLister lister(transport, ToolConfig{}, {.page_size = 2});
    Result<TagList> list = lister.List(Repo());
    REQUIRE(list.ok());
    CHECK(list->tags == std::vector<std::string>{"a", "b", "c"});
    CHECK(transport->requests.size() == 2);
  }
  SUBCASE("an endless chain of new pages") {
    int served = 0;
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest&) {
      ++served;
      return Page({"t" + std::to_string(served)},
                  "<?n=1&last=t" + std::to_string(served) + R"(>; rel="next")");
    });
    TagLister lister(transport, ToolConfig{}, {.page_size = 1, .max_pages = 20});
    Result<TagList> list = lister.List(Repo());
    REQUIRE_FALSE(list.ok());
    CHECK(list.status().code() == StatusCode::kProtocol);
    CHECK(list.status().message().find("stopped after 20 pages") != std::string::npos);
    CHECK(served == 21);
  }
}

TEST_CASE("TagLister refuses a foreign-host link and maps registry errors") {
  SUBCASE("foreign host: nothing is sent there") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest&) {
      return Page({"a"}, R"(<http://evil.test/v2/team/app/tags/list?last=a>; rel="next")");
    });
    TagLister lister(transport, ToolConfig{});
    Result<TagList> list = lister.List(Repo());
    REQUIRE_FALSE(list.ok());
    CHECK(list.status().code() == StatusCode::kProtocol);
    CHECK(transport->requests.size() == 1);
  }
  SUBCASE("404 NAME_UNKNOWN") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest&) {
      return HttpResponse{
          404,
          {},
          R"({"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known"}]})",
          ""};
    });
    TagLister lister(transport, ToolConfig{});
    Result<TagList> list = lister.List(Repo());
    REQUIRE_FALSE(list.ok());
    CHECK(list.status().code() == StatusCode::kNotFound);
    CHECK(list.status().http_status() == 404);
  }
  SUBCASE("a body that is not a tag list") {
    auto transport = std::make_shared<ScriptedTransport>([&](const HttpRequest&) {
      return HttpResponse{200, {}, "<html>", ""};
    });
    TagLister lister(transport, ToolConfig{});
    CHECK(lister.List(Repo()).status().code() == StatusCode::kProtocol);
  }
}
