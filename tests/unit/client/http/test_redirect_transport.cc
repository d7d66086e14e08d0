// Tests for RedirectTransport (client/redirect_transport.h) over a scripted
// in-process Transport that records the requests it receives.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/http/redirect_transport.h"
#include "tests/unit/fakes/log_capture.h"

namespace regdigest {
namespace {

// Answers by URL from a script; unknown URLs get 200 "ok".
class FakeTransport : public Transport {
 public:
  struct Reply {
    int status;
    std::string location;  // empty: no Location header
  };
  std::map<std::string, Reply> script;
  std::vector<HttpRequest> requests;

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    HttpResponse response;
    response.url = request.url;
    response.status = 200;
    response.body = "ok";
    if (auto it = script.find(request.url); it != script.end()) {
      response.status = it->second.status;
      response.body.clear();
      if (!it->second.location.empty()) response.headers.Add("Location", it->second.location);
    }
    return response;
  }
};

constexpr const char* kStart = "https://registry.test/v2/app/blobs/sha256:aa";

TEST_CASE("RedirectTransport follows redirects and guards credentials") {
  struct Case {
    std::string name;
    std::string method;
    std::map<std::string, FakeTransport::Reply> script;
    std::vector<std::string> urls;     // URLs the inner transport saw, in order
    std::vector<bool> authorization;   // whether each of them had Authorization
    std::vector<std::string> methods;  // method of each (empty: all = method)
    int final_status;
  };
  const std::vector<Case> cases = {
      {"no redirect", "GET", {}, {kStart}, {true}, {}, 200},
      {"same host keeps Authorization",
       "GET",
       {{kStart, {307, "https://registry.test/v2/app/blobs/other"}}},
       {kStart, "https://registry.test/v2/app/blobs/other"},
       {true, true},
       {},
       200},
      {"explicit default port is the same origin",
       "GET",
       {{kStart, {302, "https://registry.test:443/x"}}},
       {kStart, "https://registry.test:443/x"},
       {true, true},
       {},
       200},
      {"other host drops Authorization",
       "GET",
       {{kStart, {307, "https://cdn.test/blob?sig=1"}}},
       {kStart, "https://cdn.test/blob?sig=1"},
       {true, false},
       {},
       200},
      {"other port drops Authorization",
       "HEAD",
       {{kStart, {301, "https://registry.test:8443/v2/x"}}},
       {kStart, "https://registry.test:8443/v2/x"},
       {true, false},
       {},
       200},
      {"stays dropped on the other host",
       "GET",
       {{kStart, {302, "https://cdn.test/a"}}, {"https://cdn.test/a", {302, "/v2/b"}}},
       {kStart, "https://cdn.test/a", "https://cdn.test/v2/b"},
       {true, false, false},
       {},
       200},
      {"back to the original origin after a CDN hop",
       "GET",
       {{kStart, {302, "https://cdn.test/a"}},
        {"https://cdn.test/a", {302, "https://registry.test/v2/b"}}},
       {kStart, "https://cdn.test/a", "https://registry.test/v2/b"},
       {true, false, true},
       {},
       200},
      {"relative Location",
       "GET",
       {{kStart, {308, "../manifests/latest"}}},
       {kStart, "https://registry.test/v2/app/manifests/latest"},
       {true, true},
       {},
       200},
      {"absolute-path Location",
       "GET",
       {{kStart, {303, "/v2/y"}}},
       {kStart, "https://registry.test/v2/y"},
       {true, true},
       {},
       200},
      {"303 keeps HEAD a HEAD",
       "HEAD",
       {{kStart, {303, "/v2/y"}}},
       {kStart, "https://registry.test/v2/y"},
       {true, true},
       {"HEAD", "HEAD"},
       200},
      {"http to https is allowed",
       "GET",
       {{"http://registry.test/v2/", {301, "https://registry.test/v2/"}}},
       {"http://registry.test/v2/", "https://registry.test/v2/"},
       {true, false},
       {},
       200},
      {"redirect without Location is returned",
       "GET",
       {{kStart, {302, ""}}},
       {kStart},
       {true},
       {},
       302},
      {"POST is not followed", "POST", {{kStart, {307, "/v2/y"}}}, {kStart}, {true}, {}, 307},
      {"PUT is not followed", "PUT", {{kStart, {308, "/v2/y"}}}, {kStart}, {true}, {}, 308},
      {"304 is not a redirect", "GET", {{kStart, {304, "/v2/y"}}}, {kStart}, {true}, {}, 304},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeTransport>();
    fake->script = c.script;
    RedirectTransport transport(fake);
    HttpRequest request;
    request.method = c.method;
    request.url = c.urls.front();
    request.headers.Add("Authorization", "Bearer secret");
    request.headers.Add("Accept", "application/vnd.oci.image.index.v1+json");
    auto response = transport.RoundTrip(request);
    REQUIRE_MESSAGE(response.ok(), response.status().ToString());
    CHECK(response->status == c.final_status);
    CHECK(response->url == c.urls.back());
    REQUIRE(fake->requests.size() == c.urls.size());
    for (std::size_t i = 0; i < c.urls.size(); ++i) {
      CAPTURE(i);
      const HttpRequest& seen = fake->requests[i];
      CHECK(seen.url == c.urls[i]);
      CHECK(seen.headers.Has("Authorization") == c.authorization[i]);
      CHECK(seen.headers.Get("Accept") == request.headers.Get("Accept"));
      CHECK(seen.method == (c.methods.empty() ? c.method : c.methods[i]));
    }
  }
}

TEST_CASE("RedirectTransport refuses unsafe or endless redirects") {
  struct Case {
    std::string name;
    std::map<std::string, FakeTransport::Reply> script;
    int max_redirects;
    std::string message;
    std::size_t requests;
    std::string start = kStart;
  };
  std::map<std::string, FakeTransport::Reply> loop = {
      {kStart, {302, "https://registry.test/a"}},
      {"https://registry.test/a", {302, kStart}},
  };
  std::map<std::string, FakeTransport::Reply> chain;
  for (int i = 0; i < 10; ++i) {
    std::string from = i == 0 ? kStart : "https://registry.test/hop" + std::to_string(i);
    chain[from] = {301, "/hop" + std::to_string(i + 1)};
  }
  const std::vector<Case> cases = {
      {"https to http",
       {{kStart, {302, "http://cdn.test/blob"}}},
       5,
       "refusing redirect from https to http: http://cdn.test/blob",
       1},
      {"https to http after a hop",
       {{kStart, {302, "https://cdn.test/a"}}, {"https://cdn.test/a", {302, "http://cdn.test/b"}}},
       5,
       "refusing redirect from https to http: http://cdn.test/b",
       2},
      // The rule is per hop: an http start does not license a later downgrade.
      {"http to https to http",
       {{"http://registry.test/v2/app/blobs/sha256:aa", {302, "https://cdn.test/a"}},
        {"https://cdn.test/a", {302, "http://cdn.test/b"}}},
       5,
       "refusing redirect from https to http: http://cdn.test/b",
       2,
       "http://registry.test/v2/app/blobs/sha256:aa"},
      {"redirect loop", loop, 5, "too many redirects (more than 5)", 6},
      {"long chain", chain, 5, "too many redirects (more than 5)", 6},
      {"custom limit", chain, 2, "too many redirects (more than 2)", 3},
      {"no redirects allowed", chain, 0, "too many redirects (more than 0)", 1},
      {"unusable Location",
       {{kStart, {302, "ftp://files.test/x"}}},
       5,
       "cannot follow redirect",
       1},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeTransport>();
    fake->script = c.script;
    RedirectTransport transport(fake, c.max_redirects);
    HttpRequest request;
    request.url = c.start;
    auto response = transport.RoundTrip(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kTransport);
    CHECK_MESSAGE(response.status().message().find(c.message) != std::string::npos,
                  response.status().message());
    CHECK(fake->requests.size() == c.requests);
  }
}

TEST_CASE("RedirectTransport logs redirects without their query") {
  // Presigned storage URLs carry their signature in the query, and a token
  // realm may carry a secret parameter: -vv shows the paths, never a query.
  struct Case {
    std::string name;
    std::string start;
    std::string location;
    std::string logged;  // the debug line, all of it
  };
  const std::vector<Case> cases = {
      {"presigned Location", kStart,
       "https://cdn.test/blob?X-Amz-Signature=SECRET&X-Amz-Credential=KEY",
       "debug GET https://registry.test/v2/app/blobs/sha256:aa redirected (307) to "
       "https://cdn.test/blob\n"},
      {"token realm with a secret parameter",
       "https://auth.test/token?service=registry.test&client_secret=SECRET",
       "/token2?X-Amz-Signature=SECRET",
       "debug GET https://auth.test/token redirected (307) to https://auth.test/token2\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeTransport>();
    fake->script = {{c.start, {307, c.location}}};
    RedirectTransport transport(fake);
    HttpRequest request;
    request.url = c.start;
    LogCapture log;
    auto response = transport.RoundTrip(request);
    REQUIRE_MESSAGE(response.ok(), response.status().ToString());
    REQUIRE(fake->requests.size() == 2);
    const std::string text = log.text();
    CHECK(text == c.logged);
    CHECK(text.find("SECRET") == std::string::npos);
    CHECK(text.find('?') == std::string::npos);
  }
}

TEST_CASE("RedirectTransport errors never show a URL query") {
  // A redirect chain through presigned URLs that ends in an error: the
  // message names the URLs without their signatures.
  const std::string start = std::string(kStart) + "?X-Amz-Signature=SECRET0";
  std::map<std::string, FakeTransport::Reply> chain;
  for (int i = 0; i < 4; ++i) {
    chain[i == 0 ? start : "https://cdn.test/hop" + std::to_string(i) + "?sig=SECRET"] = {
        302, "https://cdn.test/hop" + std::to_string(i + 1) + "?sig=SECRET"};
  }
  struct Case {
    std::string name;
    std::map<std::string, FakeTransport::Reply> script;
    int max_redirects;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"too many redirects", chain, 2,
       "too many redirects (more than 2) from https://registry.test/v2/app/blobs/sha256:aa"},
      {"unusable Location",
       {{start, {302, "https://cdn.test/a?sig=SECRET"}},
        {"https://cdn.test/a?sig=SECRET", {302, "https://cdn.test:99999/b?sig=SECRET"}}},
       5,
       "cannot follow redirect from https://cdn.test/a: "},
      {"downgrade",
       {{start, {302, "http://cdn.test/b?X-Amz-Signature=SECRET"}}},
       5,
       "refusing redirect from https to http: http://cdn.test/b"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeTransport>();
    fake->script = c.script;
    RedirectTransport transport(fake, c.max_redirects);
    HttpRequest request;
    request.url = start;
    LogCapture log;
    auto response = transport.RoundTrip(request);
    REQUIRE_FALSE(response.ok());
    const std::string message = response.status().message();
    CHECK_MESSAGE(message.find(c.message) != std::string::npos, message);
    CHECK_MESSAGE(message.find("SECRET") == std::string::npos, message);
    CHECK(message.find('?') == std::string::npos);
    CHECK(log.text().find("SECRET") == std::string::npos);
  }
}

}  // namespace
}  // namespace regdigest
