// Tests for BulkResolver (client/bulk_resolver.h) over an in-process fake of
// two anonymous registries and one token registry with its token server. The
// fake counts requests in flight per host and logs when each starts and ends.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/auth/auth_transport.h"
#include "client/auth/caching_token_broker.h"
#include "client/auth/token_broker.h"
#include "client/auth/token_cache.h"
#include "client/registry/bulk_resolver.h"
#include "common/base/url.h"
#include "common/registry/endpoint.h"

namespace regdigest {
namespace {

const std::string kHostA = "127.0.0.1:5000";      // anonymous
const std::string kHostB = "127.0.0.1:5001";      // anonymous
const std::string kTokenHost = "127.0.0.1:5002";  // Bearer, realm on kAuthHost
const std::string kAuthHost = "127.0.0.1:6000";

// What the registry answers for /v2/<path>/manifests/<tag>: a digest derived
// from both, so a result can be matched to its reference.
Digest DigestFor(const Reference& ref) { return Digest::Sha256Of(ref.path() + ":" + *ref.tag()); }

Reference Ref(const std::string& text) { return Reference::Parse(text).value(); }

class FakeRegistries : public Transport {
 public:
  bool multi_scope = true;  // the token server grants several scopes in one request

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    Result<Url> url = Url::Parse(request.url);
    if (!url.ok()) return url.status();
    const std::string host = url->Authority();
    HttpResponse response;
    response.url = request.url;
    if (host == kAuthHost) {
      Token(url->path_and_query, response);
      return response;
    }
    const std::string what = request.method + " " + url->path_and_query;
    Begin(host, what);
    // Stay in flight until another request to this host starts (at most
    // 50 ms), so requests the limit lets overlap do overlap even on a loaded
    // machine; a request the limit keeps alone just waits out the 50 ms.
    {
      std::unique_lock lock(mu_);
      started_.wait_for(lock, std::chrono::milliseconds(50), [&] { return in_flight_[host] >= 2; });
    }
    Registry(host, url->path_and_query, request, response);
    End(host, what);
    return response;
  }

  // "start HOST METHOD PATH" / "end HOST METHOD PATH", in the order they happened.
  std::vector<std::string> events;
  std::map<std::string, int> max_in_flight;              // by host
  std::vector<std::vector<std::string>> token_requests;  // the scopes of each

 private:
  void Begin(const std::string& host, const std::string& what) {
    std::lock_guard lock(mu_);
    events.push_back("start " + host + " " + what);
    max_in_flight[host] = std::max(max_in_flight[host], ++in_flight_[host]);
    started_.notify_all();
  }
  void End(const std::string& host, const std::string& what) {
    std::lock_guard lock(mu_);
    events.push_back("end " + host + " " + what);
    --in_flight_[host];
  }

  void Token(const std::string& path_and_query, HttpResponse& response) {
    std::vector<std::string> scopes;
    const std::string query = path_and_query.substr(path_and_query.find('?') + 1);
    for (size_t start = 0; start < query.size();) {
      size_t end = std::min(query.find('&', start), query.size());
      std::string pair = query.substr(start, end - start);
      if (pair.starts_with("scope=")) scopes.push_back(Decode(pair.substr(6)));
      start = end + 1;
    }
    std::lock_guard lock(mu_);
    token_requests.push_back(scopes);
    if (scopes.size() > 1 && !multi_scope) {
      response.status = 400;
      response.body = R"({"errors":[{"code":"DENIED","message":"one scope per request"}]})";
      return;
    }
    const std::string token = "tok" + std::to_string(token_requests.size());
    grants_[token] = std::set<std::string>(scopes.begin(), scopes.end());
    response.status = 200;
    response.body = R"({"token":")" + token + R"(","expires_in":300})";
  }

  void Registry(const std::string& host, const std::string& path, const HttpRequest& request,
                HttpResponse& response) {
    // /v2/<repository>/manifests/<tag>
    const std::string rest = path.substr(4);
    const size_t split = rest.find("/manifests/");
    const std::string repository = rest.substr(0, split);
    const std::string tag = rest.substr(split + 11);
    if (host == kTokenHost) {
      const std::string scope = "repository:" + repository + ":pull";
      const std::string auth = request.headers.Get("Authorization").value_or("");
      std::lock_guard lock(mu_);
      auto grant = auth.starts_with("Bearer ") ? grants_.find(auth.substr(7)) : grants_.end();
      if (grant == grants_.end() || !grant->second.contains(scope)) {
        response.status = 401;
        response.headers.Add("WWW-Authenticate", "Bearer realm=\"http://" + kAuthHost +
                                                     "/token\",service=\"fake\",scope=\"" + scope +
                                                     "\"");
        return;
      }
    }
    if (tag.starts_with("missing")) {
      response.status = 404;
      return;
    }
    response.status = 200;
    response.headers.Add("Content-Type", "application/vnd.oci.image.index.v1+json");
    response.headers.Add("Docker-Content-Digest",
                         Digest::Sha256Of(repository + ":" + tag).String());
  }

  static std::string Decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  }

  std::mutex mu_;
  std::condition_variable started_;
  std::map<std::string, int> in_flight_;
  std::map<std::string, std::set<std::string>> grants_;
};

class NoCredentials : public CredentialSource {
 public:
  Result<std::optional<AuthEntry>> Lookup(std::string_view) override {
    return std::optional<AuthEntry>();
  }
};

// A TokenBroker that grants nothing and records the prefetches asked of it.
// Its prefetches fail, which must not fail any reference.
class RecordingBroker : public TokenBroker {
 public:
  struct Call {
    std::string origin;
    std::string registry;
    std::vector<std::string> scopes;
    friend bool operator==(const Call&, const Call&) = default;
  };

  Result<std::string> Authorization(const AuthTarget&) override { return std::string(); }
  Result<std::optional<AuthAnswer>> Answer(const AuthTarget&, const std::vector<Challenge>&,
                                           const std::string&,
                                           const std::vector<std::string>*) override {
    return std::optional<AuthAnswer>();
  }
  Status PrefetchTokens(const std::string& origin, const std::string& registry,
                        const std::vector<std::string>& scopes) override {
    std::lock_guard lock(mu_);
    calls.push_back(Call{origin, registry, scopes});
    return Status(StatusCode::kTransport, "token server down");
  }

  std::vector<Call> calls;

 private:
  std::mutex mu_;
  std::condition_variable started_;
};

// `count` tags of `repository` on `host`, tag names t0, t1...
std::vector<Reference> Tags(const std::string& host, const std::string& repository, int count) {
  std::vector<Reference> refs;
  for (int i = 0; i < count; ++i)
    refs.push_back(Ref(host + "/" + repository + ":t" + std::to_string(i)));
  return refs;
}

// Interleaves the references of several lists: a0 b0 a1 b1 ...
std::vector<Reference> Interleave(const std::vector<std::vector<Reference>>& lists) {
  std::vector<Reference> out;
  for (size_t i = 0;; ++i) {
    bool any = false;
    for (const auto& list : lists) {
      if (i < list.size()) {
        out.push_back(list[i]);
        any = true;
      }
    }
    if (!any) return out;
  }
}

TEST_CASE("BulkResolver keeps input order and the per-registry limit, first request alone") {
  struct Case {
    int concurrency;  // option; 0: the config's
    int config_concurrency;
    int tags_per_registry;
    int want_limit;
  };
  const Case cases[] = {
      {1, 8, 6, 1}, {2, 8, 12, 2}, {4, 8, 16, 4}, {0, 3, 12, 3}, {0, 8, 24, 8}, {16, 8, 5, 16},
  };
  for (const Case& c : cases) {
    CAPTURE(c.concurrency);
    CAPTURE(c.config_concurrency);
    CAPTURE(c.tags_per_registry);
    auto fake = std::make_shared<FakeRegistries>();
    ToolConfig config;
    config.concurrency = c.config_concurrency;
    RegistryClient client(fake, config);
    BulkResolver resolver(client, config, nullptr, BulkResolverOptions{c.concurrency, nullptr});
    const std::vector<Reference> refs = Interleave({Tags(kHostA, "team/app", c.tags_per_registry),
                                                    Tags(kHostB, "other", c.tags_per_registry)});

    std::vector<Result<ManifestDescriptor>> got = resolver.ResolveAll(refs);

    REQUIRE(got.size() == refs.size());
    for (size_t i = 0; i < refs.size(); ++i) {
      CAPTURE(refs[i].String());
      REQUIRE(got[i].ok());
      CHECK(got[i]->digest == DigestFor(refs[i]));
    }
    CHECK(fake->events.size() == 2 * refs.size());  // one HEAD each, nothing else
    for (const std::string& host : {kHostA, kHostB}) {
      CAPTURE(host);
      CHECK(fake->max_in_flight[host] <= c.want_limit);
      if (c.want_limit > 1) CHECK(fake->max_in_flight[host] >= 2);  // they did overlap
      // The registry's first reference went alone: it ended before the next one started.
      std::vector<std::string> mine;
      for (const std::string& e : fake->events) {
        if (e.find(" " + host + " ") != std::string::npos) mine.push_back(e);
      }
      REQUIRE(mine.size() >= 2);
      CHECK(mine[0] ==
            "start " + host + " HEAD /v2/" + refs[host == kHostA ? 0 : 1].path() + "/manifests/t0");
      CHECK(mine[1] ==
            "end " + host + " HEAD /v2/" + refs[host == kHostA ? 0 : 1].path() + "/manifests/t0");
    }
  }
}

TEST_CASE("BulkResolver: failures in place, duplicates resolved once, progress counts") {
  auto fake = std::make_shared<FakeRegistries>();
  ToolConfig config;
  RegistryClient client(fake, config);
  std::vector<std::tuple<size_t, size_t, size_t>> calls;
  BulkResolverOptions options;
  options.concurrency = 3;
  options.progress = [&calls](size_t done, size_t total, size_t failed) {
    calls.emplace_back(done, total, failed);
  };
  BulkResolver resolver(client, config, nullptr, options);
  const std::vector<Reference> refs = {Ref(kHostA + "/a:t1"),      Ref(kHostA + "/a:missing1"),
                                       Ref(kHostB + "/b:t1"),      Ref(kHostA + "/a:t1"),
                                       Ref(kHostA + "/c:t2"),      Ref(kHostB + "/b:missing2"),
                                       Ref(kHostA + "/a:missing1")};

  std::vector<Result<ManifestDescriptor>> got = resolver.ResolveAll(refs);

  REQUIRE(got.size() == refs.size());
  const bool want_ok[] = {true, false, true, true, true, false, false};
  for (size_t i = 0; i < refs.size(); ++i) {
    CAPTURE(refs[i].String());
    REQUIRE(got[i].ok() == want_ok[i]);
    if (want_ok[i]) {
      CHECK(got[i]->digest == DigestFor(refs[i]));
    } else {
      CHECK(got[i].status().code() == StatusCode::kNotFound);
    }
  }
  CHECK(fake->events.size() == 2 * 5);  // 5 distinct references
  REQUIRE_FALSE(calls.empty());
  CHECK(calls.back() == std::make_tuple(size_t{7}, size_t{7}, size_t{3}));
  for (size_t i = 1; i < calls.size(); ++i) {
    CHECK(std::get<0>(calls[i]) > std::get<0>(calls[i - 1]));
    CHECK(std::get<1>(calls[i]) == 7);
  }
  CHECK(resolver.ResolveAll({}).empty());
}

TEST_CASE("BulkResolver on a token registry: one 401, one token per run, N HEADs") {
  struct Case {
    const char* name;
    int repositories;
    int tags_each;
    bool multi_scope;
    size_t want_token_requests;
  };
  const Case cases[] = {
      {"one repository", 1, 40, true, 1},
      {"one tag", 1, 1, true, 1},
      {"many repositories, multi-scope token", 6, 5, true, 2},
      {"many repositories, one scope per token request", 6, 5, false, 1 + 1 + 5},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeRegistries>();
    fake->multi_scope = c.multi_scope;
    auto tokens = std::make_shared<CachingTokenBroker>(fake, std::make_shared<NoCredentials>());
    ToolConfig config;
    RegistryClient client(std::make_shared<AuthTransport>(fake, tokens), config);
    BulkResolver resolver(client, config, tokens, BulkResolverOptions{4, nullptr});
    std::vector<std::vector<Reference>> lists;
    for (int r = 0; r < c.repositories; ++r) {
      lists.push_back(Tags(kTokenHost, "repo" + std::to_string(r), c.tags_each));
    }
    const std::vector<Reference> refs = Interleave(lists);

    std::vector<Result<ManifestDescriptor>> got = resolver.ResolveAll(refs);

    for (size_t i = 0; i < refs.size(); ++i) {
      CAPTURE(refs[i].String());
      REQUIRE(got[i].ok());
      CHECK(got[i]->digest == DigestFor(refs[i]));
    }
    // Registry requests: the first reference's 401 and retry, then one HEAD each.
    CHECK(fake->events.size() == 2 * (refs.size() + 1));
    // Refused: the multi-scope request, then one per remaining repository.
    CHECK(fake->token_requests.size() == c.want_token_requests);
    if (c.multi_scope && c.repositories > 1) {
      REQUIRE(fake->token_requests.size() == 2);
      CHECK(fake->token_requests[1].size() == static_cast<size_t>(c.repositories - 1));
    }
  }
}

TEST_CASE("BulkResolver asks the TokenBroker for every repository but the first, per registry") {
  struct Case {
    const char* name;
    std::vector<Reference> refs;
    std::vector<RecordingBroker::Call> want;  // in any order across registries
  };
  ToolConfig config;
  auto origin = [&config](const std::string& host) {
    return EndpointsFor(host, config).value().back().BaseUrl();
  };
  const std::vector<Case> cases = {
      {"one reference: nothing to prefetch", {Ref(kHostA + "/a:t0")}, {}},
      {"one repository: its token comes with the first request",
       {Ref(kHostA + "/a:t0"), Ref(kHostA + "/a:t1"), Ref(kHostA + "/a:t2")},
       {}},
      {"several repositories: one call with the pull scope of each but the first's",
       {Ref(kHostA + "/a:t0"), Ref(kHostA + "/team/b:t0"), Ref(kHostA + "/a:t1"),
        Ref(kHostA + "/c:t0"), Ref(kHostA + "/team/b:t1")},
       {{origin(kHostA), kHostA, {PullScope("team/b"), PullScope("c")}}}},
      {"two registries: one call each, for its own repositories",
       {Ref(kHostA + "/a:t0"), Ref(kHostB + "/x:t0"), Ref(kHostA + "/b:t0"), Ref(kHostB + "/y:t0"),
        Ref(kHostB + "/x:t1")},
       {{origin(kHostA), kHostA, {PullScope("b")}}, {origin(kHostB), kHostB, {PullScope("y")}}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto fake = std::make_shared<FakeRegistries>();
    auto broker = std::make_shared<RecordingBroker>();
    RegistryClient client(fake, config);
    BulkResolver resolver(client, config, broker, BulkResolverOptions{2, nullptr});

    std::vector<Result<ManifestDescriptor>> got = resolver.ResolveAll(c.refs);

    for (const Result<ManifestDescriptor>& result : got) CHECK(result.ok());  // prefetch failed
    auto by_origin = [](const auto& a, const auto& b) { return a.origin < b.origin; };
    std::vector<RecordingBroker::Call> calls = broker->calls;
    std::vector<RecordingBroker::Call> want = c.want;
    std::sort(calls.begin(), calls.end(), by_origin);
    std::sort(want.begin(), want.end(), by_origin);
    CHECK(calls == want);
  }
}

}  // namespace
}  // namespace regdigest
