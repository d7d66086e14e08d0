// CachingTokenBroker: regdigest's TokenBroker (client/auth/token_broker.h).
// It remembers each registry's challenge and bearer tokens (client/auth/
// token_cache.h), fetches tokens from the challenge's realm (client/auth/
// token_client.h) or builds Basic credentials, renews a token the registry
// refuses, and prefetches the tokens of many repositories in one request.
//
// Thread safety: every method may be called from many threads at once.
// - One small mutex (mu_) guards the broker's maps; it is never held while a
//   credential helper runs or a request is in flight.
// - Credentials are looked up once per registry domain, through a
//   once-per-key future: a second request for the same registry waits for
//   the first lookup, requests for other registries do not. So a slow
//   credential helper for one registry never stalls another.
// - Token fetches are serialized per (registry origin, scope) only: concurrent
//   requests for one repository share one token request, other repositories
//   proceed. A multi-scope prefetch holds the locks of its scopes (taken in
//   sorted order, so two prefetches cannot deadlock).
#pragma once

#include <cstddef>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/auth/credential_source.h"
#include "client/auth/token_broker.h"
#include "client/auth/token_cache.h"
#include "client/http/http.h"
#include "common/auth/challenge.h"
#include "common/auth/docker_config.h"
#include "common/base/status.h"
#include "common/base/url.h"

namespace regdigest {

// Credentials (Basic or identity token) go only to the target's own registry
// or to the token realm named by a challenge from it, and are looked up
// lazily: once per registry domain, and only when a challenge asks for them.
//
// Renewal is bounded: a cached token the registry refuses is replaced by
// exactly one new token; an insufficient_scope challenge naming a scope the
// token was not asked for gets one wider token. A Basic challenge to a
// request that carried Basic credentials is not answered again.
//
// A challenge offering only schemes other than Basic and Bearer is
// kUnauthorized; the message names the registry.
class CachingTokenBroker : public TokenBroker {
 public:
  struct Options {
    // Registry domains marked insecure in the config: a plain-http token
    // realm is accepted for them even when the registry is https.
    std::set<std::string> insecure_registries;
  };

  // Token requests go through `transport` with an empty AuthContext.
  CachingTokenBroker(std::shared_ptr<Transport> transport,
                     std::shared_ptr<CredentialSource> credentials,
                     std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>(),
                     Options options = {});

  Result<std::string> Authorization(const AuthTarget& target) override;
  Result<std::optional<AuthAnswer>> Answer(const AuthTarget& target,
                                           const std::vector<Challenge>& challenges,
                                           const std::string& sent_authorization,
                                           const std::vector<std::string>* asked) override;
  // Scopes that already have a valid token are skipped; at most
  // kMaxScopesPerTokenRequest go in one request. A 4xx other than 401/429 to
  // a multi-scope request is taken as a refusal: it is remembered for the
  // run, and from then on that registry gets one request per scope,
  // kParallelTokenRequests at a time (on client/sys/parallel_for.h).
  Status PrefetchTokens(const std::string& origin, const std::string& registry,
                        const std::vector<std::string>& scopes) override;

  static constexpr std::size_t kMaxScopesPerTokenRequest = 50;  // keeps the URL short
  static constexpr std::size_t kParallelTokenRequests = 4;      // one-scope fallback

 private:
  using Lookup = Result<std::optional<AuthEntry>>;

  struct Target {
    std::string origin;    // cache key: "https://host:443/"
    std::string registry;  // the credentials' domain
    std::string scope;
    bool require_https_realm = false;  // https registry not marked insecure
  };
  Target MakeTarget(const Url& url, std::string registry, std::string scope) const;

  // A bearer token for the target's scope: the cached one unless it is the
  // one just refused, else a fresh one for `scopes` from the challenge's realm.
  Result<std::string> BearerToken(const Target& target, const Challenge& bearer,
                                  const std::vector<std::string>& scopes,
                                  const std::string& refused_token);
  // "Basic ..." for the target's registry, or "" without username and password.
  Result<std::string> BasicAuthorization(const Target& target);
  // The registry's credentials, looked up at most once per run.
  Lookup Credentials(const std::string& registry);
  Lookup LookupCredentials(const std::string& registry);
  // The lock serializing token fetches for one (origin, scope).
  std::shared_ptr<std::mutex> FetchLock(const std::string& origin, const std::string& scope);
  // One token request for the scopes still missing, its token stored under
  // each. A failure carries the token server's HTTP status, if it answered.
  Status FetchSharedToken(const Target& target, const Challenge& bearer,
                          const std::vector<std::string>& scopes);
  // One token request per scope, kParallelTokenRequests at a time.
  Status FetchEachToken(const Target& target, const Challenge& bearer,
                        const std::vector<std::string>& scopes);

  const std::shared_ptr<Transport> transport_;
  const std::shared_ptr<CredentialSource> credentials_;
  const std::shared_ptr<TokenCache> cache_;  // thread-safe on its own
  const Options options_;

  std::mutex mu_;  // guards the three members below; never held across I/O
  std::map<std::string, std::shared_future<Lookup>> credentials_by_registry_;
  std::map<std::string, std::shared_ptr<std::mutex>> fetch_locks_;  // by "origin scope"
  std::set<std::string> single_scope_origins_;  // refused a multi-scope token request
};

}  // namespace regdigest
