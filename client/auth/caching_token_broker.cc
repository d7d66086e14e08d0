// CachingTokenBroker's per-request side: up-front Authorization, answers to
// challenges, bearer tokens and credentials. The bulk side is in
// caching_token_broker_prefetch.cc.
#include "client/auth/caching_token_broker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <sstream>
#include <string_view>
#include <utility>

#include "client/auth/token_client.h"
#include "common/base/base64.h"

namespace regdigest {
namespace {

std::string OriginKey(const Url& url) {
  return Url{url.scheme, url.host, url.EffectivePort(), "/"}.String();
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> scopes;
  std::istringstream in(text);
  for (std::string scope; in >> scope;) scopes.push_back(scope);
  return scopes;
}

// Scopes to ask the token server for after a Bearer challenge: the request's
// own scope (else the challenge's), plus the challenge's when it says the
// token we sent was not enough.
std::vector<std::string> ScopesFor(const std::string& request_scope, const Challenge& bearer) {
  const std::vector<std::string> challenged = SplitScopes(bearer.Param("scope"));
  std::vector<std::string> scopes;
  if (!request_scope.empty()) {
    scopes.push_back(request_scope);
  } else {
    scopes = challenged;
  }
  if (bearer.Param("error") == "insufficient_scope") {
    for (const std::string& scope : challenged) {
      if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(scope);
    }
  }
  return scopes;
}

std::string_view CredentialAfter(std::string_view authorization, std::string_view scheme) {
  if (authorization.size() <= scheme.size() || authorization.substr(0, scheme.size()) != scheme) {
    return {};
  }
  return authorization.substr(scheme.size());
}

}  // namespace

CachingTokenBroker::CachingTokenBroker(std::shared_ptr<Transport> transport,
                                       std::shared_ptr<CredentialSource> credentials,
                                       std::shared_ptr<TokenCache> cache, Options options)
    : transport_(std::move(transport)),
      credentials_(std::move(credentials)),
      cache_(std::move(cache)),
      options_(std::move(options)) {}

CachingTokenBroker::Target CachingTokenBroker::MakeTarget(const Url& url, std::string registry,
                                                          std::string scope) const {
  const bool insecure = options_.insecure_registries.contains(registry);
  return Target{OriginKey(url), std::move(registry), std::move(scope),
                url.scheme == "https" && !insecure};
}

Result<std::string> CachingTokenBroker::Authorization(const AuthTarget& request) {
  const Target target = MakeTarget(request.url, request.registry, request.scope);
  std::optional<Challenge> known = cache_->KnownChallenge(target.origin);
  if (!known) return std::string();
  if (known->scheme == "basic") return BasicAuthorization(target);
  if (known->scheme != "bearer") return std::string();
  if (target.scope.empty()) {
    // Without a scope, reuse a token but do not guess which one to fetch.
    std::optional<std::string> cached = cache_->ValidToken(target.origin, target.scope);
    return cached ? "Bearer " + *cached : std::string();
  }
  Result<std::string> token = BearerToken(target, *known, {target.scope}, "");
  if (!token.ok()) return token.status();
  return "Bearer " + *token;
}

Result<std::optional<AuthAnswer>> CachingTokenBroker::Answer(
    const AuthTarget& request, const std::vector<Challenge>& challenges,
    const std::string& sent_authorization, const std::vector<std::string>* asked) {
  const Target target = MakeTarget(request.url, request.registry, request.scope);
  if (const Challenge* bearer = FindChallenge(challenges, "bearer")) {
    cache_->RememberChallenge(target.origin, *bearer);
    const std::vector<std::string> scopes = ScopesFor(target.scope, *bearer);
    const std::string_view refused = CredentialAfter(sent_authorization, "Bearer ");
    if (asked != nullptr) {
      const bool adds_scope = std::any_of(scopes.begin(), scopes.end(), [&](const auto& scope) {
        return std::find(asked->begin(), asked->end(), scope) == asked->end();
      });
      if (bearer->Param("error") != "insufficient_scope" || !adds_scope) {
        return std::optional<AuthAnswer>();
      }
      spdlog::debug("{}: the new token lacks a scope the registry asks for; one more token request",
                    target.registry);
    } else if (!refused.empty()) {
      spdlog::debug("{} refused the cached token for \"{}\"{}; fetching a new one", target.registry,
                    target.scope,
                    bearer->Param("error").empty() ? "" : " (" + bearer->Param("error") + ")");
    }
    Result<std::string> token = BearerToken(target, *bearer, scopes, std::string(refused));
    if (!token.ok()) return token.status();
    return std::optional<AuthAnswer>(AuthAnswer{"Bearer " + *token, scopes});
  }
  if (asked != nullptr) return std::optional<AuthAnswer>();
  if (const Challenge* basic = FindChallenge(challenges, "basic")) {
    cache_->RememberChallenge(target.origin, *basic);
    if (!CredentialAfter(sent_authorization, "Basic ").empty()) {
      return std::optional<AuthAnswer>();  // those credentials were refused
    }
    Result<std::string> authorization = BasicAuthorization(target);
    if (!authorization.ok()) return authorization.status();
    if (authorization->empty()) return std::optional<AuthAnswer>();
    return std::optional<AuthAnswer>(AuthAnswer{*authorization, {}});
  }
  if (!challenges.empty()) {
    std::string schemes;
    for (const Challenge& challenge : challenges) {
      if (schemes.find(challenge.scheme) != std::string::npos) continue;
      schemes += (schemes.empty() ? "" : ", ") + challenge.scheme;
    }
    return Status(StatusCode::kUnauthorized,
                  "registry " + target.registry + " asks for authentication regdigest does not " +
                      "support (" + schemes + "); supported: Basic, Bearer");
  }
  return std::optional<AuthAnswer>();
}

Result<std::string> CachingTokenBroker::BearerToken(const Target& target, const Challenge& bearer,
                                                    const std::vector<std::string>& scopes,
                                                    const std::string& refused_token) {
  std::shared_ptr<std::mutex> fetch_lock = FetchLock(target.origin, target.scope);
  std::lock_guard lock(*fetch_lock);
  // Another request may have fetched a token while this one waited.
  std::optional<std::string> cached = cache_->ValidToken(target.origin, target.scope);
  if (cached && *cached != refused_token) return *cached;

  Lookup credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  Result<TokenResponse> token = FetchToken(*transport_, bearer, scopes, *credentials,
                                           target.require_https_realm, target.registry);
  if (!token.ok()) return token.status();
  cache_->StoreToken(target.origin, target.scope, *token);
  return token->token;
}

Result<std::string> CachingTokenBroker::BasicAuthorization(const Target& target) {
  Lookup credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  const std::optional<AuthEntry>& entry = *credentials;
  if (!entry || entry->username.empty() || entry->password.empty()) return std::string();
  return "Basic " + Base64Encode(entry->username + ":" + entry->password);
}

CachingTokenBroker::Lookup CachingTokenBroker::Credentials(const std::string& registry) {
  std::promise<Lookup> promise;
  std::shared_future<Lookup> pending;
  {
    std::lock_guard lock(mu_);
    auto [it, added] = credentials_by_registry_.try_emplace(registry);
    if (added) {
      it->second = promise.get_future().share();
    } else {
      pending = it->second;
    }
  }
  if (pending.valid()) return pending.get();  // another thread looks it up (or did)
  // This thread looks the registry up; others asking for it wait on the future.
  try {
    Lookup found = LookupCredentials(registry);
    promise.set_value(found);
    return found;
  } catch (...) {
    promise.set_exception(std::current_exception());
    throw;
  }
}

CachingTokenBroker::Lookup CachingTokenBroker::LookupCredentials(const std::string& registry) {
  if (!credentials_) return std::optional<AuthEntry>();
  Lookup found = credentials_->Lookup(registry);
  if (!found.ok()) return found.status().WithContext("credentials for " + registry);
  if (found->has_value() && (*found)->empty()) return std::optional<AuthEntry>();
  return found;
}

std::shared_ptr<std::mutex> CachingTokenBroker::FetchLock(const std::string& origin,
                                                          const std::string& scope) {
  std::lock_guard lock(mu_);
  std::shared_ptr<std::mutex>& fetch_lock = fetch_locks_[origin + " " + scope];
  if (!fetch_lock) fetch_lock = std::make_shared<std::mutex>();
  return fetch_lock;
}

}  // namespace regdigest
