// Tests for AuthTransport (client/auth_transport.h) against an in-process
// fake registry + token server that records every request it sees.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/auth_transport.h"
#include "common/base64.h"
#include "common/url.h"

namespace regdigest {
namespace {

using std::chrono::seconds;
using Clock = TokenCache::Clock;

const std::string kRegistry = "https://registry.test";
const std::string kRealm = "https://auth.test/token";

struct FakeConfig {
  std::string scheme = "bearer";  // what the registry demands: "bearer", "basic" or "none"
  std::string realm = kRealm;
  std::string user = "alice", password = "s3cret", identity_token = "id-t0ken";
  bool anonymous_pull = true;      // the token server grants pull without credentials
  bool access_token_only = false;  // answer {"access_token": ...}
  std::set<std::string> denied;    // repositories no token ever grants
  bool multi_scope = true;         // false: 400 to more than one scope parameter
};

// Registry at registry.test and token server at the realm's host. Tokens are
// "tok1", "tok2"... and grant the scopes asked for (minus denied repositories).
class FakeWorld : public Transport {
 public:
  FakeWorld(FakeConfig config, const Clock::time_point* now)
      : config_(std::move(config)), now_(now) {}

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    Result<Url> url = Url::Parse(request.url);
    if (!url.ok()) return url.status();
    HttpResponse response;
    response.url = request.url;
    if (url->host == Url::Parse(config_.realm)->host) {
      TokenEndpoint(request, response);
    } else {
      RegistryEndpoint(*url, request, response);
    }
    return response;
  }
  void RevokeTokens() {
    std::lock_guard lock(mu_);
    tokens_.clear();
  }
  // One line per request: "METHOD url authorization [body]".
  std::vector<std::string> Log() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> lines;
    for (const HttpRequest& r : requests) {
      std::string auth = r.headers.Get("Authorization").value_or("-");
      if (auth.starts_with("Basic ")) auth = "Basic " + Base64Decode(auth.substr(6)).value();
      lines.push_back(r.method + " " + r.url + " " + auth + (r.body.empty() ? "" : " " + r.body));
    }
    return lines;
  }
  std::vector<HttpRequest> requests;

 private:
  struct Grant {
    std::set<std::string> scopes;
    Clock::time_point expires;
  };

  void TokenEndpoint(const HttpRequest& request, HttpResponse& response) {
    std::string query =
        request.method == "POST" ? request.body : Url::Parse(request.url)->path_and_query;
    query = query.substr(query.find('?') + 1);
    std::vector<std::pair<std::string, std::string>> params;
    for (size_t start = 0; start <= query.size();) {
      size_t end = std::min(query.find('&', start), query.size());
      std::string pair = query.substr(start, end - start);
      size_t eq = pair.find('=');
      params.emplace_back(pair.substr(0, eq), Decode(pair.substr(eq + 1)));
      start = end + 1;
    }
    bool authenticated = false;
    std::set<std::string> scopes;
    for (const auto& [name, value] : params) {
      if (name == "refresh_token") {
        if (value != config_.identity_token) return Fail(response, 401);
        authenticated = true;
      }
      if (name == "scope") {
        if (!scopes.empty() && !config_.multi_scope) return Fail(response, 400);
        for (size_t s = 0, e; s < value.size(); s = e + 1) {
          e = std::min(value.find(' ', s), value.size());
          scopes.insert(value.substr(s, e - s));
        }
      }
    }
    if (auto auth = request.headers.Get("Authorization")) {
      if (*auth != "Basic " + Base64Encode(config_.user + ":" + config_.password)) {
        return Fail(response, 401);
      }
      authenticated = true;
    }
    if (!authenticated && !config_.anonymous_pull) return Fail(response, 401);
    std::erase_if(scopes, [&](const std::string& s) { return config_.denied.contains(Repo(s)); });
    std::string token = "tok" + std::to_string(++issued_);
    tokens_[token] = Grant{scopes, *now_ + seconds(300)};
    response.status = 200;
    response.body =
        std::string(config_.access_token_only ? R"({"access_token":")" : R"({"token":")") + token +
        R"(","expires_in":300})";
  }

  void RegistryEndpoint(const Url& url, const HttpRequest& request, HttpResponse& response) {
    if (url.path_and_query.starts_with("/v2/moved/")) {  // as if redirected elsewhere
      response.url = "https://cdn.test/blob";
      response.status = 401;
      response.headers.Add("WWW-Authenticate", R"(Bearer realm="https://cdn.test/token")");
      return;
    }
    // /v2/<repo>/manifests/x needs pull on repo; "?from=<other>" also pull on other.
    std::string path = url.path_and_query.substr(4);
    std::set<std::string> needed = {"repository:" + path.substr(0, path.find('/')) + ":pull"};
    if (size_t from = path.find("?from="); from != std::string::npos) {
      needed.insert("repository:" + path.substr(from + 6) + ":pull");
    }
    std::string auth = request.headers.Get("Authorization").value_or("");
    if (config_.scheme == "none") {
      response.status = 200;
    } else if (config_.scheme == "basic") {
      bool ok = auth == "Basic " + Base64Encode(config_.user + ":" + config_.password);
      response.status = ok ? 200 : 401;
      if (!ok) response.headers.Add("WWW-Authenticate", R"(Basic realm="fake")");
    } else {
      std::string challenge = "Bearer realm=\"" + config_.realm +
                              "\",service=\"registry.test\",scope=\"" + Join(needed) + "\"";
      auto grant = auth.starts_with("Bearer ") ? tokens_.find(auth.substr(7)) : tokens_.end();
      if (grant == tokens_.end() || *now_ >= grant->second.expires) {
        response.status = 401;
      } else if (!std::includes(grant->second.scopes.begin(), grant->second.scopes.end(),
                                needed.begin(), needed.end())) {
        response.status = 401;
        challenge += ",error=\"insufficient_scope\"";
      } else {
        response.status = 200;
      }
      if (response.status == 401) response.headers.Add("WWW-Authenticate", challenge);
    }
  }

  static void Fail(HttpResponse& response, int status) { response.status = status; }
  static std::string Repo(const std::string& scope) {
    return scope.substr(scope.find(':') + 1, scope.rfind(':') - scope.find(':') - 1);
  }
  static std::string Join(const std::set<std::string>& scopes) {
    std::string out;
    for (const std::string& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
  }
  static std::string Decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  }

  FakeConfig config_;
  const Clock::time_point* now_;
  mutable std::mutex mu_;
  std::map<std::string, Grant> tokens_;
  int issued_ = 0;
};

class CountingCredentials : public CredentialSource {
 public:
  explicit CountingCredentials(Result<std::optional<AuthEntry>> answer)
      : answer_(std::move(answer)) {}
  Result<std::optional<AuthEntry>> Lookup(std::string_view registry_domain) override {
    lookups.emplace_back(registry_domain);
    return answer_;
  }
  std::vector<std::string> lookups;

 private:
  Result<std::optional<AuthEntry>> answer_;
};

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

std::string Line(const std::string& url, const std::string& auth) {
  return "GET " + url + " " + auth;
}
std::string Manifest(const std::string& repo, const std::string& tag, const std::string& auth) {
  return Line(kRegistry + "/v2/" + repo + "/manifests/" + tag, auth);
}
std::string TokenGet(const std::string& query, const std::string& auth = "-") {
  return Line(kRealm + "?service=registry.test&" + query, auth);
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
  Step revoked = Get("/v2/a/manifests/2");
  revoked.revoke = true;
  Step later = Get("/v2/a/manifests/2");
  later.advance = seconds(400);
  Step mount = Get("/v2/a/blobs/uploads/?from=b");
  mount.scope = "repository:a:pull";
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
        Line(kRegistry + "/v2/a/blobs/uploads/?from=b", "Bearer tok1"),
        TokenGet(kScopeA + "&" + kScopeB),
        Line(kRegistry + "/v2/a/blobs/uploads/?from=b", "Bearer tok2")},
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
    AuthTransport transport(world, credentials,
                            std::make_shared<TokenCache>([&now] { return now; }));
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

TEST_CASE("AuthTransport: concurrent requests share one token fetch") {
  for (const bool warm : {false, true}) {
    CAPTURE(warm);
    Clock::time_point now = Clock::now();
    auto world = std::make_shared<FakeWorld>(FakeConfig{}, &now);
    auto credentials = std::make_shared<CountingCredentials>(std::optional<AuthEntry>(kAlice));
    AuthTransport transport(world, credentials,
                            std::make_shared<TokenCache>([&now] { return now; }));
    auto resolve = [&](int tag) {
      HttpRequest request;
      request.url = kRegistry + "/v2/a/manifests/" + std::to_string(tag);
      request.auth = {"registry.test", "repository:a:pull"};
      return transport.RoundTrip(request);
    };
    if (warm) REQUIRE(resolve(0)->status == 200);
    constexpr int kThreads = 8;
    std::vector<int> statuses(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        Result<HttpResponse> response = resolve(i + 1);
        statuses[i] = response.ok() ? response->status : -1;
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int status : statuses) CHECK(status == 200);
    const std::vector<std::string> log = world->Log();
    const auto token_requests = std::count_if(log.begin(), log.end(), [](const std::string& l) {
      return l.find(kRealm) != std::string::npos;
    });
    CHECK(token_requests == 1);
    CHECK(credentials->lookups.size() == 1);
    if (warm) CHECK(log.size() == 3 + kThreads);  // no further 401s once the challenge is known
  }
}

std::string ScopeParam(const std::string& repo) { return "scope=repository%3A" + repo + "%3Apull"; }

TEST_CASE("AuthTransport::PrefetchTokens asks for many scopes in one token request") {
  struct Case {
    const char* name;
    FakeConfig config;
    std::vector<std::string> before;     // repositories resolved first (tag 1)
    std::vector<std::string> prefetch;   // repositories prefetched
    std::vector<std::string> tokens;     // token requests the prefetch made (any order)
    std::vector<std::string> prefetch2;  // a second prefetch, if any
    std::vector<std::string> tokens2;    // its token requests
    StatusCode code = StatusCode::kOk;   // what the first prefetch returns
    bool warm = true;  // the prefetched repositories then resolve with no token request
    std::optional<AuthEntry> credentials = std::nullopt;
    std::string origin = kRegistry;
  };
  const FakeConfig bearer;
  FakeConfig single_scope;
  single_scope.multi_scope = false;
  FakeConfig basic;
  basic.scheme = "basic";
  FakeConfig wrong_password;
  wrong_password.anonymous_pull = false;
  wrong_password.password = "other";
  std::vector<std::string> many, many_first, many_second, many_third;
  for (int i = 0; i < 120; ++i) {
    const std::string repo = "r" + std::to_string(i);
    many.push_back(repo);
    (i < 50 ? many_first : i < 100 ? many_second : many_third).push_back(repo);
  }
  auto token_get = [](const std::vector<std::string>& repos) {
    std::string query;
    for (const std::string& repo : repos) query += (query.empty() ? "" : "&") + ScopeParam(repo);
    return TokenGet(query);
  };

  const std::vector<Case> cases = {
      {"one request with a scope parameter per repository",
       bearer,
       {"a"},
       {"a", "b", "c", "d"},
       {token_get({"b", "c", "d"})},
       {},
       {}},
      {"the origin may carry an explicit default port",
       bearer,
       {"a"},
       {"b", "c"},
       {token_get({"b", "c"})},
       {},
       {},
       StatusCode::kOk,
       true,
       std::nullopt,
       "https://registry.test:443"},
      {"refused (400): one request per scope, and no multi-scope request after that",
       single_scope,
       {"a"},
       {"b", "c", "d"},
       {token_get({"b", "c", "d"}), token_get({"b"}), token_get({"c"}), token_get({"d"})},
       {"e", "f"},
       {token_get({"e"}), token_get({"f"})}},
      {"scopes with a valid token are skipped",
       bearer,
       {"a", "b"},
       {"a", "b", "c", "d"},
       {token_get({"c", "d"})},
       {"a", "b", "c", "d"},
       {}},
      {"one missing scope: a plain one-scope request",
       single_scope,
       {"a"},
       {"a", "b"},
       {token_get({"b"})},
       {},
       {}},
      {"duplicates and empty scopes are dropped",
       bearer,
       {"a"},
       {"b", "b", "", "c", "b"},
       {token_get({"b", "c"})},
       {},
       {}},
      {"at most 50 scopes per request",
       bearer,
       {"a"},
       many,
       {token_get(many_first), token_get(many_second), token_get(many_third)},
       {},
       {}},
      {"basic registry: no-op",
       basic,
       {"a"},
       {"b", "c"},
       {},
       {},
       {},
       StatusCode::kOk,
       false,
       kAlice},
      {"no challenge known yet: no-op", bearer, {}, {"a", "b"}, {}, {}, {}, StatusCode::kOk, false},
      {"credentials refused (401): no per-scope retries",
       wrong_password,
       {"a"},
       {"b", "c"},
       {TokenGet(ScopeParam("b") + "&" + ScopeParam("c") + "&account=alice", "Basic alice:s3cret")},
       {},
       {},
       StatusCode::kUnauthorized,
       false,
       kAlice},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    Clock::time_point now = Clock::now();
    auto world = std::make_shared<FakeWorld>(c.config, &now);
    auto credentials = std::make_shared<CountingCredentials>(c.credentials);
    AuthTransport transport(world, credentials,
                            std::make_shared<TokenCache>([&now] { return now; }));
    auto resolve = [&](const std::string& repo) {
      HttpRequest request;
      request.url = kRegistry + "/v2/" + repo + "/manifests/1";
      request.auth = {"registry.test", "repository:" + repo + ":pull"};
      return transport.RoundTrip(request);
    };
    auto token_lines_since = [&](size_t from) {
      std::vector<std::string> lines;
      const std::vector<std::string> log = world->Log();
      for (size_t i = from; i < log.size(); ++i) {
        if (log[i].find(kRealm) != std::string::npos) lines.push_back(log[i]);
      }
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    auto scopes = [](const std::vector<std::string>& repos) {
      std::vector<std::string> out;
      for (const std::string& repo : repos) {
        out.push_back(repo.empty() ? "" : "repository:" + repo + ":pull");
      }
      return out;
    };
    auto sorted = [](std::vector<std::string> lines) {
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    for (const std::string& repo : c.before) (void)resolve(repo);

    size_t mark = world->Log().size();
    Status status = transport.PrefetchTokens(c.origin, "registry.test", scopes(c.prefetch));
    CHECK(status.code() == c.code);
    CHECK(token_lines_since(mark) == sorted(c.tokens));
    CHECK(world->Log().size() == mark + c.tokens.size());  // token requests only
    if (!c.prefetch2.empty()) {
      mark = world->Log().size();
      CHECK(transport.PrefetchTokens(c.origin, "registry.test", scopes(c.prefetch2)).ok());
      CHECK(token_lines_since(mark) == sorted(c.tokens2));
    }
    CHECK(credentials->lookups.size() <= 1);
    if (!c.warm) continue;
    // Every prefetched repository now resolves at once: no 401, no token request.
    mark = world->Log().size();
    std::vector<std::string> resolved = c.prefetch;
    resolved.insert(resolved.end(), c.prefetch2.begin(), c.prefetch2.end());
    std::erase(resolved, "");
    for (const std::string& repo : resolved) {
      CAPTURE(repo);
      Result<HttpResponse> response = resolve(repo);
      REQUIRE_MESSAGE(response.ok(), response.status().ToString());
      CHECK(response->status == 200);
    }
    CHECK(world->Log().size() == mark + resolved.size());
  }
}

}  // namespace
}  // namespace regdigest
