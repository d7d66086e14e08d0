// Tests for FetchToken (client/token_client.h) against a scripted transport.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/auth/token_client.h"
#include "common/base/base64.h"

namespace regdigest {
namespace {

// Records each request and answers every one with `reply`.
class ScriptedTransport : public Transport {
 public:
  explicit ScriptedTransport(Result<HttpResponse> reply) : reply_(std::move(reply)) {}
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    return reply_;
  }
  std::vector<HttpRequest> requests;

 private:
  Result<HttpResponse> reply_;
};

HttpResponse Reply(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Challenge Bearer(std::map<std::string, std::string> params) {
  Challenge challenge;
  challenge.scheme = "bearer";
  challenge.params = std::move(params);
  return challenge;
}

const std::string kRealm = "https://auth.test/token";
const AuthEntry kAlice{"alice", "s3cret", ""};
const AuthEntry kIdentity{"<token>", "", "id-t0ken"};
const std::string kAliceBasic = "Basic " + Base64Encode("alice:s3cret");

TEST_CASE("FetchToken builds the token request and maps the answer") {
  struct Case {
    const char* name;
    std::map<std::string, std::string> challenge;
    std::vector<std::string> scopes;
    std::optional<AuthEntry> credentials;
    bool require_https_realm;
    Result<HttpResponse> reply;
    // Expected request ("" method: no request at all).
    std::string method, url, body, authorization;
    // Expected outcome.
    StatusCode code;
    std::string token_or_message;  // the token when ok, else part of the message
  };
  const std::map<std::string, std::string> hub = {{"realm", kRealm}, {"service", "registry.test"}};
  const std::string ok_body = R"({"token":"t1","expires_in":300})";
  const std::vector<Case> cases = {
      {"anonymous GET",
       hub,
       {"repository:library/ubuntu:pull"},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?service=registry.test&scope=repository%3Alibrary%2Fubuntu%3Apull",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"several scopes repeat the parameter; no service",
       {{"realm", kRealm}},
       {"repository:a:pull", "repository:b:pull,push"},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?scope=repository%3Aa%3Apull&scope=repository%3Ab%3Apull%2Cpush",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"no scope at all",
       hub,
       {},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?service=registry.test",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"realm with a query keeps it",
       {{"realm", kRealm + "?x=1"}, {"service", "registry.test"}},
       {"repository:a:pull"},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?x=1&service=registry.test&scope=repository%3Aa%3Apull",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"basic credentials and account",
       hub,
       {"repository:a:pull"},
       kAlice,
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?service=registry.test&scope=repository%3Aa%3Apull&account=alice",
       "",
       kAliceBasic,
       StatusCode::kOk,
       "t1"},
      {"username without password is anonymous",
       hub,
       {"repository:a:pull"},
       AuthEntry{"alice", "", ""},
       true,
       Reply(200, ok_body),
       "GET",
       kRealm + "?service=registry.test&scope=repository%3Aa%3Apull",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"identity token: OAuth2 POST with space-joined scopes",
       hub,
       {"repository:a:pull", "repository:b:push"},
       kIdentity,
       true,
       Reply(200, R"({"access_token":"at1","expires_in":300})"),
       "POST",
       kRealm,
       "grant_type=refresh_token&refresh_token=id-t0ken&service=registry.test"
       "&scope=repository%3Aa%3Apull%20repository%3Ab%3Apush&client_id=regdigest",
       "",
       StatusCode::kOk,
       "at1"},
      {"http realm for an https registry is refused",
       {{"realm", "http://auth.test/token"}, {"service", "registry.test"}},
       {"repository:a:pull"},
       kAlice,
       true,
       Reply(200, ok_body),
       "",
       "",
       "",
       "",
       StatusCode::kTransport,
       "plain-http token realm auth.test"},
      {"http realm on loopback is allowed",
       {{"realm", "http://127.0.0.1:5001/token"}},
       {"repository:a:pull"},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "GET",
       "http://127.0.0.1:5001/token?scope=repository%3Aa%3Apull",
       "",
       "",
       StatusCode::kOk,
       "t1"},
      {"http realm for an http registry is allowed",
       {{"realm", "http://auth.test/token"}},
       {"repository:a:pull"},
       kAlice,
       false,
       Reply(200, ok_body),
       "GET",
       "http://auth.test/token?scope=repository%3Aa%3Apull&account=alice",
       "",
       kAliceBasic,
       StatusCode::kOk,
       "t1"},
      {"no realm",
       {{"service", "registry.test"}},
       {"repository:a:pull"},
       std::nullopt,
       true,
       Reply(200, ok_body),
       "",
       "",
       "",
       "",
       StatusCode::kProtocol,
       "names no token realm"},
      {"realm that is not http(s)",
       {{"realm", "ftp://auth.test/token"}},
       {"repository:a:pull"},
       kAlice,
       true,
       Reply(200, ok_body),
       "",
       "",
       "",
       "",
       StatusCode::kProtocol,
       "registry docker.io named an unusable token realm (scheme \"ftp\")"},
      {"401 with credentials",
       hub,
       {"repository:a:pull"},
       kAlice,
       true,
       Reply(401, "{}"),
       "GET",
       kRealm + "?service=registry.test&scope=repository%3Aa%3Apull&account=alice",
       "",
       kAliceBasic,
       StatusCode::kUnauthorized,
       "token server auth.test refused credentials for docker.io"},
      {"403 with an identity token",
       hub,
       {"repository:a:pull"},
       kIdentity,
       true,
       Reply(403, "{}"),
       "POST",
       kRealm,
       "grant_type=refresh_token&refresh_token=id-t0ken&service=registry.test"
       "&scope=repository%3Aa%3Apull&client_id=regdigest",
       "",
       StatusCode::kUnauthorized,
       "token server auth.test refused credentials for docker.io"},
      {"401 anonymous",
       hub,
       {"repository:a:pull"},
       std::nullopt,
       true,
       Reply(401, ""),
       "GET",
       kRealm + "?service=registry.test&scope=repository%3Aa%3Apull",
       "",
       "",
       StatusCode::kUnauthorized,
       "refused anonymous access to docker.io"},
      {"429",
       hub,
       {},
       std::nullopt,
       true,
       Reply(429, ""),
       "GET",
       kRealm + "?service=registry.test",
       "",
       "",
       StatusCode::kRateLimited,
       "rate limiting"},
      {"500",
       hub,
       {},
       kAlice,
       true,
       Reply(500, "oops"),
       "GET",
       kRealm + "?service=registry.test&account=alice",
       "",
       kAliceBasic,
       StatusCode::kTransport,
       "answered HTTP 500"},
      {"malformed body",
       hub,
       {},
       std::nullopt,
       true,
       Reply(200, "<html>"),
       "GET",
       kRealm + "?service=registry.test",
       "",
       "",
       StatusCode::kProtocol,
       "token server auth.test for docker.io: token response: not valid JSON"},
      {"a token that would break the Authorization header",
       hub,
       {},
       std::nullopt,
       true,
       Reply(200, R"({"token":"t1\r\nX-Injected: 1","expires_in":300})"),
       "GET",
       kRealm + "?service=registry.test",
       "",
       "",
       StatusCode::kProtocol,
       "not allowed in an HTTP header"},
      {"transport failure",
       hub,
       {},
       std::nullopt,
       true,
       Status(StatusCode::kTransport, "connection refused"),
       "GET",
       kRealm + "?service=registry.test",
       "",
       "",
       StatusCode::kTransport,
       "token request to auth.test for docker.io: connection refused"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    ScriptedTransport transport(c.reply);
    Result<TokenResponse> token = FetchToken(transport, Bearer(c.challenge), c.scopes,
                                             c.credentials, c.require_https_realm, "docker.io");
    if (c.method.empty()) {
      CHECK(transport.requests.empty());
    } else {
      REQUIRE(transport.requests.size() == 1);
      const HttpRequest& sent = transport.requests[0];
      CHECK(sent.method == c.method);
      CHECK(sent.url == c.url);
      CHECK(sent.body == c.body);
      CHECK(sent.headers.Get("Authorization").value_or("") == c.authorization);
      CHECK(sent.auth.registry.empty());
      CHECK(sent.auth.scope.empty());
      if (c.method == "POST") {
        CHECK(sent.headers.Get("Content-Type") == "application/x-www-form-urlencoded");
      }
    }
    CHECK(token.status().code() == c.code);
    if (token.ok()) {
      CHECK(token->token == c.token_or_message);
    } else {
      CHECK(token.status().message().find(c.token_or_message) != std::string::npos);
      // No secret ever reaches a message.
      CHECK(token.status().message().find("s3cret") == std::string::npos);
      CHECK(token.status().message().find("id-t0ken") == std::string::npos);
      // The token server's HTTP status when it answered (what a caller tells a refusal by).
      const int answered = c.method.empty() || !c.reply.ok() ? 0 : c.reply->status;
      CHECK(token.status().http_status() == answered);
    }
  }
}

TEST_CASE("FetchToken names the registry by the challenge's service when not told") {
  ScriptedTransport transport(Reply(401, ""));
  Result<TokenResponse> token = FetchToken(
      transport, Bearer({{"realm", kRealm}, {"service", "registry.test"}}), {}, kAlice, true);
  CHECK(token.status().code() == StatusCode::kUnauthorized);
  CHECK(token.status().message() ==
        "token server auth.test refused credentials for registry.test (HTTP 401)");
}

TEST_CASE("FetchToken passes expires_in and issued_at through") {
  ScriptedTransport transport(
      Reply(200, R"({"token":"t","expires_in":900,"issued_at":"2024-01-02T03:04:05Z"})"));
  Result<TokenResponse> token =
      FetchToken(transport, Bearer({{"realm", kRealm}}), {"repository:a:pull"}, std::nullopt, true);
  REQUIRE(token.ok());
  CHECK(token->expires_in == std::chrono::seconds(900));
  CHECK(token->issued_at.has_value());
}

}  // namespace
}  // namespace regdigest
