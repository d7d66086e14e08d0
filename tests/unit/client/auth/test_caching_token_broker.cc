// Tests for CachingTokenBroker (client/auth/caching_token_broker.h) behind
// AuthTransport: concurrent requests sharing one token fetch, PrefetchTokens
// asking for many repository scopes in one token request, and credential
// lookups that never block another registry. Uses the fake registry + token
// server of tests/unit/fakes/fake_registry.h.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/auth/auth_transport.h"
#include "client/auth/caching_token_broker.h"
#include "tests/unit/fakes/fake_credentials.h"
#include "tests/unit/fakes/fake_registry.h"

namespace regdigest {
namespace {

using testing::CountingCredentials;
using testing::FakeConfig;
using testing::kRealm;
using testing::kRegistry;
using testing::Manifest;
using testing::ScopeParam;
using testing::TokenGet;
using Clock = TokenCache::Clock;
using FakeWorld = testing::FakeRegistryWorld;

const AuthEntry kAlice{"alice", "s3cret", ""};

// A CredentialSource like a credential helper that hangs for one registry:
// its lookups for `blocked` wait on a latch the test releases.
class BlockingCredentials : public CredentialSource {
 public:
  explicit BlockingCredentials(std::string blocked) : blocked_(std::move(blocked)) {}

  Result<std::optional<AuthEntry>> Lookup(std::string_view registry) override {
    {
      std::lock_guard lock(mu_);
      lookups_.emplace_back(registry);
    }
    if (registry == blocked_) {
      entered.count_down();
      release.wait();
    }
    return std::optional<AuthEntry>(kAlice);
  }

  std::vector<std::string> Lookups() {
    std::lock_guard lock(mu_);
    return lookups_;
  }

  std::latch entered{1};  // a lookup for the blocked registry has started
  std::latch release{1};  // lets it finish

 private:
  std::string blocked_;
  std::mutex mu_;
  std::vector<std::string> lookups_;
};

// The fake world, a CachingTokenBroker over it (on the test's clock) and the
// AuthTransport that asks the broker.
struct Stack {
  Stack(FakeConfig config, std::shared_ptr<CredentialSource> credentials)
      : world(std::make_shared<FakeWorld>(std::move(config), &now)),
        broker(std::make_shared<CachingTokenBroker>(
            world, std::move(credentials), std::make_shared<TokenCache>([this] { return now; }))),
        transport(world, broker) {}
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // A manifest request for `repo` with the pull scope of `repo`, on `host`.
  Result<HttpResponse> Resolve(const std::string& repo, const std::string& tag = "1",
                               const std::string& host = "registry.test") {
    HttpRequest request;
    request.url = "https://" + host + "/v2/" + repo + "/manifests/" + tag;
    request.auth = {host, PullScope(repo)};
    return transport.RoundTrip(request);
  }
  // Its HTTP status, -1 for an error.
  int HttpStatus(const std::string& repo, const std::string& host = "registry.test") {
    Result<HttpResponse> response = Resolve(repo, "1", host);
    return response.ok() ? response->status : -1;
  }

  Clock::time_point now = Clock::now();
  std::shared_ptr<FakeWorld> world;
  std::shared_ptr<CachingTokenBroker> broker;
  AuthTransport transport;
};

TEST_CASE("AuthTransport: concurrent requests share one token fetch") {
  for (const bool warm : {false, true}) {
    CAPTURE(warm);
    auto credentials = std::make_shared<CountingCredentials>(std::optional<AuthEntry>(kAlice));
    Stack stack(FakeConfig{}, credentials);
    auto& world = stack.world;
    auto resolve = [&](int tag) { return stack.Resolve("a", std::to_string(tag)); };
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
    auto credentials = std::make_shared<CountingCredentials>(c.credentials);
    Stack stack(c.config, credentials);
    auto& world = stack.world;
    auto& broker = stack.broker;
    auto resolve = [&](const std::string& repo) { return stack.Resolve(repo); };
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
        out.push_back(repo.empty() ? "" : PullScope(repo));
      }
      return out;
    };
    auto sorted = [](std::vector<std::string> lines) {
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    for (const std::string& repo : c.before) (void)resolve(repo);

    size_t mark = world->Log().size();
    Status status = broker->PrefetchTokens(c.origin, "registry.test", scopes(c.prefetch));
    CHECK(status.code() == c.code);
    CHECK(token_lines_since(mark) == sorted(c.tokens));
    CHECK(world->Log().size() == mark + c.tokens.size());  // token requests only
    if (!c.prefetch2.empty()) {
      mark = world->Log().size();
      CHECK(broker->PrefetchTokens(c.origin, "registry.test", scopes(c.prefetch2)).ok());
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

TEST_CASE("AuthTransport: a prefetched token that lacks a scope is replaced once") {
  FakeConfig config;
  config.first_scope_only = true;  // as token servers that cap the scopes of one token
  Stack stack(config, std::make_shared<CountingCredentials>(std::optional<AuthEntry>()));
  auto& world = stack.world;
  auto& broker = stack.broker;
  auto resolve = [&](const std::string& repo) { return stack.HttpStatus(repo); };
  REQUIRE(resolve("a") == 200);
  const size_t mark = world->Log().size();
  CHECK(broker->PrefetchTokens(kRegistry, "registry.test", {PullScope("b"), PullScope("c")}).ok());
  CHECK(resolve("b") == 200);
  CHECK(resolve("c") == 200);
  CHECK(resolve("c") == 200);
  const std::vector<std::string> log = world->Log();
  const std::vector<std::string> expected = {
      TokenGet(ScopeParam("b") + "&" + ScopeParam("c")),  // grants b only
      Manifest("b", "1", "Bearer tok2"),
      Manifest("c", "1", "Bearer tok2"),  // 401 insufficient_scope
      TokenGet(ScopeParam("c")),
      Manifest("c", "1", "Bearer tok3"),
      Manifest("c", "1", "Bearer tok3"),
  };
  CHECK(std::vector<std::string>(log.begin() + static_cast<std::ptrdiff_t>(mark), log.end()) ==
        expected);
}

TEST_CASE("CachingTokenBroker: a credential helper blocking for one registry delays no other") {
  FakeConfig config;
  config.anonymous_pull = false;  // every token request needs the credentials
  auto credentials = std::make_shared<BlockingCredentials>("a.test");
  Stack stack(config, credentials);
  auto resolve = [&](const std::string& host, const std::string& repo) {
    return stack.HttpStatus(repo, host);
  };

  std::future<int> a = std::async(std::launch::async, [&] { return resolve("a.test", "a"); });
  credentials->entered.wait();  // registry A's helper is now hanging
  // A second repository of A waits for A's one lookup (a once-per-registry future)...
  std::future<int> a2 = std::async(std::launch::async, [&] { return resolve("a.test", "a2"); });
  // ...while registry B gets its credentials and token at once.
  std::future<int> b = std::async(std::launch::async, [&] { return resolve("b.test", "b"); });
  const bool b_finished = b.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  const bool a_waited = a.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout &&
                        a2.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout;
  credentials->release.count_down();  // before any CHECK, so a failure cannot hang the test

  CHECK(b_finished);
  CHECK(a_waited);
  CHECK(b.get() == 200);
  CHECK(a.get() == 200);
  CHECK(a2.get() == 200);
  std::vector<std::string> lookups = credentials->Lookups();
  std::sort(lookups.begin(), lookups.end());
  CHECK(lookups == std::vector<std::string>{"a.test", "b.test"});  // one lookup per registry
}

TEST_CASE("CachingTokenBroker: a failed token request carries the token server's HTTP status") {
  struct Case {
    const char* name;
    FakeConfig config;
    std::optional<AuthEntry> credentials;
    StatusCode code;
    int http_status;
  };
  FakeConfig single_scope;
  single_scope.multi_scope = false;
  FakeConfig private_bearer;
  private_bearer.anonymous_pull = false;
  private_bearer.password = "other";
  const std::vector<Case> cases = {
      // The 400 is taken as a refusal of several scopes: one request per scope follows.
      {"multi-scope refused (400): falls back, succeeds", single_scope, std::nullopt,
       StatusCode::kOk, 0},
      {"credentials refused (401)", private_bearer, kAlice, StatusCode::kUnauthorized, 401},
  };
  for (const Case& c : cases) {
    INFO(std::string(c.name));
    Stack stack(c.config, std::make_shared<CountingCredentials>(c.credentials));
    Result<HttpResponse> first = stack.Resolve("a");  // learns the challenge
    if (c.code == StatusCode::kOk) REQUIRE(first.ok());

    Status status =
        stack.broker->PrefetchTokens(kRegistry, "registry.test", {PullScope("b"), PullScope("c")});
    CHECK(status.code() == c.code);
    CHECK(status.http_status() == c.http_status);
  }
}

}  // namespace
}  // namespace regdigest
