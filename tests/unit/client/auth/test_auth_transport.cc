// Tests for AuthTransport (client/auth/auth_transport.h) over CachingTokenBroker: answering
// challenges, reusing what it learned, bounded retries, and where credentials may go. Runs against
// the in-process fake registry + token server of tests/unit/fakes/fake_registry.h, which records
// every request it sees.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/auth/auth_transport.h"
#include "client/auth/caching_token_broker.h"
#include "common/base/url.h"
#include "tests/unit/fakes/fake_credentials.h"
#include "tests/unit/fakes/fake_registry.h"

namespace regdigest {
namespace {

using std::chrono::seconds;
using testing::CountingCredentials;
using testing::FakeConfig;
using testing::kRealm;
using testing::kRegistry;
using testing::Line;
using testing::Manifest;
using testing::TokenGet;
using Clock = TokenCache::Clock;
using FakeWorld = testing::FakeRegistryWorld;

// One request the test makes, and what it should get back.
struct Step {
  std::string path;                  // appended to kRegistry
  std::optional<std::string> scope;  // default: repository:<first path segment>:pull
  std::string registry = "registry.test";
  seconds advance{0};         // move the clock first
  bool revoke = false;        // the server forgets its tokens first
  std::string authorization;  // set on the request by the caller
  int status = 200;           // 0: expect an error with `code`
  StatusCode code = StatusCode::kOk;
};

Step Get(std::string path) {
  Step step;
  step.path = std::move(path);
  return step;
}

const std::string kScopeA = "scope=repository%3Aa%3Apull";
const std::string kScopeB = "scope=repository%3Ab%3Apull";
const AuthEntry kAlice{"alice", "s3cret", ""};
const AuthEntry kIdentity{"<token>", "", "id-t0ken"};

TEST_CASE("AuthTransport answers challenges and reuses what it learned") {
  struct Case {
    const char* name;
    FakeConfig config;
    Result<std::optional<AuthEntry>> credentials;
    std::vector<Step> steps;
    std::vector<std::string> log;  // every request the fake saw, in order
    size_t lookups;                // credential lookups
    CachingTokenBroker::Options options = {};
  };
  const std::optional<AuthEntry> none, alice = kAlice, identity = kIdentity;
  const FakeConfig bearer;
  FakeConfig basic;
  basic.scheme = "basic";
  FakeConfig basic_other_password = basic;
  basic_other_password.password = "other";
  FakeConfig private_bearer;
  private_bearer.anonymous_pull = false;
  FakeConfig private_other_password = private_bearer;
  private_other_password.password = "other";
  FakeConfig access_token_only;
  access_token_only.access_token_only = true;
  FakeConfig http_realm;
  http_realm.realm = "http://auth.test/token";
  FakeConfig denied_a;
  denied_a.denied = {"a"};
  FakeConfig open;
  open.scheme = "none";
  FakeConfig short_lived;  // the registry rejects tokens after 2 s; the client caches them longer
  short_lived.token_lifetime = seconds(2);
  short_lived.expires_in = 2;
  FakeConfig short_lived_then_refused = short_lived;
  short_lived_then_refused.valid_tokens = 1;
  FakeConfig malformed;
  malformed.challenge = R"(Bearer realm="https://auth.test/token)";
  FakeConfig unsupported;
  unsupported.challenge = "Negotiate abc==, NTLM";
  FakeConfig ftp_realm;
  ftp_realm.challenge = R"(Bearer realm="ftp://auth.test/token",service="registry.test")";
  FakeConfig no_realm;
  no_realm.challenge = R"(Bearer service="registry.test")";
  Step expired = Get("/v2/a/manifests/2");
  expired.advance = seconds(3);
  Step expired_refused = expired;
  expired_refused.status = 401;
  CachingTokenBroker::Options insecure;
  insecure.insecure_registries = {"registry.test"};
  Step revoked = Get("/v2/a/manifests/2");
  revoked.revoke = true;
  Step later = Get("/v2/a/manifests/2");
  later.advance = seconds(400);
  Step mount = Get("/v2/a/blobs/uploads/?from=b");
  mount.scope = "repository:a:pull";
  const std::string mount_url = kRegistry + "/v2/a/blobs/uploads/?from=b";
  Step no_scope = Get("/v2/a/manifests/1");
  no_scope.scope = "";
  Step unauthorized = Get("/v2/a/manifests/1");
  unauthorized.status = 401;
  Step no_registry = unauthorized;
  no_registry.registry = "";
  Step own_header = unauthorized;
  own_header.authorization = "Bearer mine";
  Step moved = Get("/v2/moved/x");
  moved.status = 401;
  auto failing = [](StatusCode code) {
    Step step = Get("/v2/a/manifests/1");
    step.status = 0;
    step.code = code;
    return step;
  };

  const std::vector<Case> cases = {
      {"anonymous bearer flow",
       bearer,
       none,
       {Get("/v2/a/manifests/1")},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1")},
       1},
      {"N tags of one repository: one 401, one token, N requests",
       bearer,
       alice,
       {Get("/v2/a/manifests/1"), Get("/v2/a/manifests/2"), Get("/v2/a/manifests/3"),
        Get("/v2/a/manifests/4")},
       {Manifest("a", "1", "-"), TokenGet(kScopeA + "&account=alice", "Basic alice:s3cret"),
        Manifest("a", "1", "Bearer tok1"), Manifest("a", "2", "Bearer tok1"),
        Manifest("a", "3", "Bearer tok1"), Manifest("a", "4", "Bearer tok1")},
       1},
      {"a token per scope, fetched up front once the challenge is known",
       bearer,
       none,
       {Get("/v2/a/manifests/1"), Get("/v2/b/manifests/1"), Get("/v2/a/manifests/2")},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        TokenGet(kScopeB), Manifest("b", "1", "Bearer tok2"), Manifest("a", "2", "Bearer tok1")},
       1},
      {"basic flow, then Basic up front",
       basic,
       alice,
       {Get("/v2/a/manifests/1"), Get("/v2/a/manifests/2")},
       {Manifest("a", "1", "-"), Manifest("a", "1", "Basic alice:s3cret"),
        Manifest("a", "2", "Basic alice:s3cret")},
       1},
      {"identity token: OAuth2 POST",
       private_bearer,
       identity,
       {Get("/v2/a/manifests/1")},
       {Manifest("a", "1", "-"),
        "POST " + kRealm +
            " - grant_type=refresh_token&refresh_token=id-t0ken&service=registry.test"
            "&scope=repository%3Aa%3Apull&client_id=regdigest",
        Manifest("a", "1", "Bearer tok1")},
       1},
      {"access_token-only answer",
       access_token_only,
       none,
       {Get("/v2/a/manifests/1")},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1")},
       1},
      {"expired token is refetched before the request",
       bearer,
       none,
       {Get("/v2/a/manifests/1"), later},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        TokenGet(kScopeA), Manifest("a", "2", "Bearer tok2")},
       1},
      {"token refused by the registry: fresh token, one retry",
       bearer,
       none,
       {Get("/v2/a/manifests/1"), revoked},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        Manifest("a", "2", "Bearer tok1"), TokenGet(kScopeA), Manifest("a", "2", "Bearer tok2")},
       1},
      {"http realm for an https registry is refused",
       http_realm,
       alice,
       {failing(StatusCode::kTransport)},
       {Manifest("a", "1", "-")},
       1},
      {"http realm for an https registry marked insecure is accepted",
       http_realm,
       alice,
       {Get("/v2/a/manifests/1")},
       {Manifest("a", "1", "-"),
        Line("http://auth.test/token?service=registry.test&" + kScopeA + "&account=alice",
             "Basic alice:s3cret"),
        Manifest("a", "1", "Bearer tok1")},
       1,
       insecure},
      {"realm with a non-http scheme is refused",
       ftp_realm,
       alice,
       {failing(StatusCode::kProtocol)},
       {Manifest("a", "1", "-")},
       1},
      {"bearer challenge without a realm",
       no_realm,
       alice,
       {failing(StatusCode::kProtocol)},
       {Manifest("a", "1", "-")},
       1},
      {"malformed WWW-Authenticate",
       malformed,
       alice,
       {failing(StatusCode::kProtocol)},
       {Manifest("a", "1", "-")},
       0},
      {"only unsupported schemes",
       unsupported,
       alice,
       {failing(StatusCode::kUnauthorized)},
       {Manifest("a", "1", "-")},
       0},
      {"token expired server-side before the cache says so: renewed once, one retry",
       short_lived,
       none,
       {Get("/v2/a/manifests/1"), expired},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        Manifest("a", "2", "Bearer tok1"), TokenGet(kScopeA), Manifest("a", "2", "Bearer tok2")},
       1},
      {"the renewed token refused too: the 401 stands, no second renewal",
       short_lived_then_refused,
       none,
       {Get("/v2/a/manifests/1"), expired_refused},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        Manifest("a", "2", "Bearer tok1"), TokenGet(kScopeA), Manifest("a", "2", "Bearer tok2")},
       1},
      {"wrong basic credentials: final 401 after exactly one retry",
       basic_other_password,
       alice,
       {unauthorized, unauthorized},
       {Manifest("a", "1", "-"), Manifest("a", "1", "Basic alice:s3cret"),
        Manifest("a", "1", "Basic alice:s3cret")},
       1},
      {"wrong credentials for the token server",
       private_other_password,
       alice,
       {failing(StatusCode::kUnauthorized)},
       {Manifest("a", "1", "-"), TokenGet(kScopeA + "&account=alice", "Basic alice:s3cret")},
       1},
      {"no access: final 401 after exactly one retry",
       denied_a,
       none,
       {unauthorized},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1")},
       1},
      {"anonymous success looks up no credentials",
       open,
       alice,
       {Get("/v2/a/manifests/1")},
       {Manifest("a", "1", "-")},
       0},
      {"insufficient_scope adds the challenge's scopes",
       bearer,
       none,
       {Get("/v2/a/manifests/1"), mount},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        Line(mount_url, "Bearer tok1"), TokenGet(kScopeA + "&" + kScopeB),
        Line(mount_url, "Bearer tok2")},
       1},
      {"insufficient_scope right after a fresh token: one more token with the added scope",
       bearer,
       none,
       {mount},
       {Line(mount_url, "-"), TokenGet(kScopeA), Line(mount_url, "Bearer tok1"),
        TokenGet(kScopeA + "&" + kScopeB), Line(mount_url, "Bearer tok2")},
       1},
      {"no scope: the challenge's scope, then the cached token",
       bearer,
       none,
       {no_scope, no_scope},
       {Manifest("a", "1", "-"), TokenGet(kScopeA), Manifest("a", "1", "Bearer tok1"),
        Manifest("a", "1", "Bearer tok1")},
       1},
      {"no registry in the AuthContext: no auth",
       bearer,
       alice,
       {no_registry},
       {Manifest("a", "1", "-")},
       0},
      {"the caller's Authorization header is left alone",
       bearer,
       alice,
       {own_header},
       {Manifest("a", "1", "Bearer mine")},
       0},
      {"a challenge from another origin is not answered",
       bearer,
       alice,
       {moved},
       {Line(kRegistry + "/v2/moved/x", "-")},
       0},
      {"credential lookup failure",
       private_bearer,
       Status(StatusCode::kIo, "helper crashed"),
       {failing(StatusCode::kIo)},
       {Manifest("a", "1", "-")},
       1},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    Clock::time_point now = Clock::now();
    auto world = std::make_shared<FakeWorld>(c.config, &now);
    auto credentials = std::make_shared<CountingCredentials>(c.credentials);
    AuthTransport transport(
        world,
        std::make_shared<CachingTokenBroker>(
            world, credentials, std::make_shared<TokenCache>([&now] { return now; }), c.options));
    for (const Step& step : c.steps) {
      CAPTURE(step.path);
      now += step.advance;
      if (step.revoke) world->RevokeTokens();
      HttpRequest request;
      request.url = kRegistry + step.path;
      request.auth.registry = step.registry;
      request.auth.scope = step.scope.value_or(
          "repository:" + step.path.substr(4, step.path.find('/', 4) - 4) + ":pull");
      if (!step.authorization.empty()) request.headers.Set("Authorization", step.authorization);
      Result<HttpResponse> response = transport.RoundTrip(request);
      if (step.status == 0) {
        CHECK(response.status().code() == step.code);
        CHECK(response.status().message().find("registry.test") != std::string::npos);
        CHECK(response.status().message().find("s3cret") == std::string::npos);
        CHECK(response.status().message().find("id-t0ken") == std::string::npos);
      } else {
        REQUIRE_MESSAGE(response.ok(), response.status().ToString());
        CHECK(response->status == step.status);
      }
    }
    auto joined = [](const std::vector<std::string>& lines) {
      std::string text;
      for (const std::string& line : lines) text += line + "\n";
      return text;
    };
    CHECK(joined(world->Log()) == joined(c.log));
    CHECK(credentials->lookups.size() == c.lookups);
    for (const std::string& domain : credentials->lookups) CHECK(domain == "registry.test");
    // Credentials and tokens only ever go to the registry or its realm.
    for (const HttpRequest& sent : world->requests) {
      const std::string host = Url::Parse(sent.url)->host;
      if (host == "registry.test" || host == "auth.test") continue;
      CAPTURE(sent.url);
      CHECK_FALSE(sent.headers.Has("Authorization"));
      CHECK(sent.body.find("id-t0ken") == std::string::npos);
    }
  }
}

}  // namespace
}  // namespace regdigest
