// AuthTransport: the Transport decorator that answers registry challenges.
// On a 401 it reads WWW-Authenticate, fetches a bearer token from the realm
// (client/token_client.h) or uses Basic credentials, and retries once. It
// remembers each registry's challenge and tokens (client/token_cache.h), so
// later requests carry their credentials up front: N tags of one repository
// cost one 401, one token request and N requests. PrefetchTokens asks for the
// tokens of many repositories in one request where the token server allows.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/auth/credential_source.h"
#include "client/auth/token_cache.h"
#include "client/http/http.h"
#include "common/auth/challenge.h"
#include "common/auth/docker_config.h"
#include "common/base/status.h"
#include "common/base/url.h"

namespace regdigest {

// Only requests with a non-empty auth.registry are authenticated; others, and
// requests that already carry an Authorization header, pass through as they
// are. Credentials (Basic or identity token) go only to the request's own
// origin or to the token realm named by a challenge from that origin, and are
// looked up lazily: once per registry domain, and only when a challenge asks
// for them. A challenge in a response that came from another origin (after a
// redirect) is not answered. Thread-safe.
//
// Retries are bounded: a request is sent at most three times. A 401 is
// answered once (a fresh token, or Basic credentials); a request that carried
// a cached token the registry now refuses (expired server-side) gets exactly
// one new token and one retry. After that retry, a 401 whose Bearer challenge
// says error="insufficient_scope" and names a scope the token was not asked
// for gets one more token (with the added scopes) and one more retry. Any
// other 401 stands (the caller reports kUnauthorized).
//
// A 401 whose WWW-Authenticate cannot be parsed is kProtocol, and one that
// offers only schemes other than Basic and Bearer is kUnauthorized; both
// messages name the registry.
class AuthTransport : public Transport {
 public:
  struct Options {
    // Registry domains marked insecure in the config: a plain-http token
    // realm is accepted for them even when the registry is https.
    std::set<std::string> insecure_registries;
  };

  AuthTransport(std::shared_ptr<Transport> inner, std::shared_ptr<CredentialSource> credentials,
                std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>(),
                Options options = {});

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

  // Fetches one token covering all `scopes` for the registry at `origin` (scheme://host[:port])
  // whose Bearer challenge is already known (after a first 401); falls back to one token request
  // per scope when the token server refuses several scopes. No-op when the registry uses Basic or
  // no challenge is known yet.
  //
  // `registry` is the credentials' domain, as in AuthContext::registry.
  // Scopes that already have a valid token are skipped; at most
  // kMaxScopesPerTokenRequest go in one request. A 4xx other than 401/429 to
  // a multi-scope request is taken as a refusal: it is remembered for the
  // run, and from then on that registry gets one request per scope (a few at
  // a time). Returns the first failure (scopes left without a token fetch
  // their own when a request needs them, and report the error then).
  Status PrefetchTokens(const std::string& origin, const std::string& registry,
                        const std::vector<std::string>& scopes);

  static constexpr size_t kMaxScopesPerTokenRequest = 50;  // keeps the URL short
  static constexpr size_t kParallelTokenRequests = 4;      // one-scope fallback

 private:
  // What a request is for, as the auth layer sees it.
  struct Target {
    Url url;
    std::string origin;    // cache key: "https://host:443/"
    std::string registry;  // request.auth.registry: the credentials' domain
    std::string scope;     // request.auth.scope
    bool https = false;
    bool insecure = false;  // the registry is marked insecure in the config

    // Whether a plain-http token realm must be refused (see FetchToken).
    bool RequireHttpsRealm() const { return https && !insecure; }
  };

  Target MakeTarget(const Url& url, std::string registry, std::string scope) const;

  // Authorization value to send before any challenge, from what the cache
  // knows about the target's origin; "" for none.
  Result<std::string> UpFrontAuthorization(const Target& target);
  // The Authorization to retry with after a 401, and the scopes its token
  // was asked for (empty for Basic).
  struct Answer {
    std::string authorization;
    std::vector<std::string> scopes;
  };
  // Answers a 401 `response` to a request sent with `sent_authorization`.
  // nullopt when it cannot or should not be answered (the 401 then stands).
  // With `asked` (the scopes of the token just refused), only an
  // insufficient_scope challenge naming a scope outside `asked` is answered.
  Result<std::optional<Answer>> AnswerUnauthorized(const Target& target,
                                                   const HttpResponse& response,
                                                   const std::string& sent_authorization,
                                                   const std::vector<std::string>* asked);
  Result<std::optional<Answer>> AnswerChallenge(const Target& target,
                                                const std::vector<Challenge>& challenges,
                                                const std::string& sent_authorization,
                                                const std::vector<std::string>* asked);
  // A bearer token for the target's scope: the cached one unless it is the
  // one just refused, else a fresh one from the challenge's realm.
  Result<std::string> BearerToken(const Target& target, const Challenge& bearer,
                                  const std::vector<std::string>& scopes,
                                  const std::string& refused_token);
  // "Basic ..." for the target's registry, or "" when it has no username and
  // password.
  Result<std::string> BasicAuthorization(const Target& target);
  // The registry's credentials, looked up at most once per run.
  Result<std::optional<AuthEntry>> Credentials(const std::string& registry);
  std::shared_ptr<std::mutex> FetchLock(const std::string& key);
  // One token request for all of `scopes` still missing, its token stored
  // under each; `http_status` receives the token server's answer.
  Status FetchSharedToken(const Target& target, const Challenge& bearer,
                          const std::vector<std::string>& scopes, int* http_status);
  // One token request per scope, kParallelTokenRequests at a time.
  Status FetchEachToken(const Target& target, const Challenge& bearer,
                        const std::vector<std::string>& scopes);

  std::shared_ptr<Transport> inner_;
  std::shared_ptr<CredentialSource> credentials_;
  std::shared_ptr<TokenCache> cache_;
  Options options_;

  std::mutex credentials_mu_;  // held during a lookup: one lookup per registry
  std::map<std::string, Result<std::optional<AuthEntry>>> credentials_by_registry_;
  std::mutex fetch_locks_mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> fetch_locks_;  // one token fetch at a time
  std::set<std::string> single_scope_origins_;  // refused a multi-scope request; fetch_locks_mu_
};

}  // namespace regdigest
