#include "client/auth_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "client/token_client.h"
#include "common/base64.h"
#include "common/url.h"

namespace regdigest {

// What a request is for, as the auth layer sees it.
struct AuthTransport::Target {
  Url url;
  std::string origin;    // cache key: "https://host:443/"
  std::string registry;  // request.auth.registry: the credentials' domain
  std::string scope;     // request.auth.scope
  bool https = false;
};

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

AuthTransport::AuthTransport(std::shared_ptr<Transport> inner,
                             std::shared_ptr<CredentialSource> credentials,
                             std::shared_ptr<TokenCache> cache)
    : inner_(std::move(inner)), credentials_(std::move(credentials)), cache_(std::move(cache)) {}

Result<HttpResponse> AuthTransport::RoundTrip(const HttpRequest& request) {
  if (request.auth.registry.empty() || request.headers.Has("Authorization")) {
    return inner_->RoundTrip(request);
  }
  Result<Url> url = Url::Parse(request.url);
  if (!url.ok()) return inner_->RoundTrip(request);  // the inner transport reports it
  Target target{*url, OriginKey(*url), request.auth.registry, request.auth.scope,
                url->scheme == "https"};

  HttpRequest attempt = request;
  Result<std::string> up_front = UpFrontAuthorization(target);
  if (!up_front.ok()) return up_front.status();
  if (!up_front->empty()) attempt.headers.Set("Authorization", *up_front);

  Result<HttpResponse> response = inner_->RoundTrip(attempt);
  if (!response.ok() || response->status != 401) return response;
  if (!response->url.empty()) {
    Result<Url> from = Url::Parse(response->url);
    if (!from.ok() || !SameOrigin(*from, target.url)) {
      spdlog::debug("not answering a challenge from {}: not the origin of the request to {}",
                    from.ok() ? from->Authority() : std::string("an unparsable URL"),
                    target.url.Authority());
      return response;
    }
  }
  Result<std::vector<Challenge>> challenges =
      ParseChallenges(response->headers.GetAll("WWW-Authenticate"));
  if (!challenges.ok()) {
    spdlog::debug("ignoring the challenge from {}: {}", target.url.Authority(),
                  challenges.status().message());
    return response;
  }
  Result<std::optional<std::string>> answer = AnswerChallenge(target, *challenges, *up_front);
  if (!answer.ok()) return answer.status();
  if (!answer->has_value()) return response;
  attempt.headers.Set("Authorization", **answer);
  return inner_->RoundTrip(attempt);
}

Result<std::string> AuthTransport::UpFrontAuthorization(const Target& target) {
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

Result<std::optional<std::string>> AuthTransport::AnswerChallenge(
    const Target& target, const std::vector<Challenge>& challenges,
    const std::string& sent_authorization) {
  if (const Challenge* bearer = FindChallenge(challenges, "bearer")) {
    cache_->RememberChallenge(target.origin, *bearer);
    Result<std::string> token =
        BearerToken(target, *bearer, ScopesFor(target.scope, *bearer),
                    std::string(CredentialAfter(sent_authorization, "Bearer ")));
    if (!token.ok()) return token.status();
    return std::optional<std::string>("Bearer " + *token);
  }
  if (const Challenge* basic = FindChallenge(challenges, "basic")) {
    cache_->RememberChallenge(target.origin, *basic);
    if (!CredentialAfter(sent_authorization, "Basic ").empty()) {
      return std::optional<std::string>();  // those credentials were refused
    }
    Result<std::string> authorization = BasicAuthorization(target);
    if (!authorization.ok()) return authorization.status();
    if (authorization->empty()) return std::optional<std::string>();
    return std::optional<std::string>(*authorization);
  }
  return std::optional<std::string>();
}

Result<std::string> AuthTransport::BearerToken(const Target& target, const Challenge& bearer,
                                               const std::vector<std::string>& scopes,
                                               const std::string& refused_token) {
  std::shared_ptr<std::mutex> fetch_lock = FetchLock(target.origin + " " + target.scope);
  std::lock_guard lock(*fetch_lock);
  // Another request may have fetched a token while this one waited.
  std::optional<std::string> cached = cache_->ValidToken(target.origin, target.scope);
  if (cached && *cached != refused_token) return *cached;

  Result<std::optional<AuthEntry>> credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  Result<TokenResponse> token =
      FetchToken(*inner_, bearer, scopes, *credentials, target.https, target.registry);
  if (!token.ok()) return token.status();
  cache_->StoreToken(target.origin, target.scope, *token);
  return token->token;
}

Result<std::string> AuthTransport::BasicAuthorization(const Target& target) {
  Result<std::optional<AuthEntry>> credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  const std::optional<AuthEntry>& entry = *credentials;
  if (!entry || entry->username.empty() || entry->password.empty()) return std::string();
  return "Basic " + Base64Encode(entry->username + ":" + entry->password);
}

Result<std::optional<AuthEntry>> AuthTransport::Credentials(const std::string& registry) {
  std::lock_guard lock(credentials_mu_);
  auto it = credentials_by_registry_.find(registry);
  if (it != credentials_by_registry_.end()) return it->second;
  Result<std::optional<AuthEntry>> found = std::optional<AuthEntry>();
  if (credentials_) {
    found = credentials_->Lookup(registry);
    if (!found.ok()) {
      found = found.status().WithContext("credentials for " + registry);
    } else if (found->has_value() && (*found)->empty()) {
      found = std::optional<AuthEntry>();
    }
  }
  spdlog::debug("credentials for {}: {}", registry,
                !found.ok() ? "lookup failed" : (found->has_value() ? "found" : "none"));
  credentials_by_registry_.emplace(registry, found);
  return found;
}

std::shared_ptr<std::mutex> AuthTransport::FetchLock(const std::string& key) {
  std::lock_guard lock(fetch_locks_mu_);
  std::shared_ptr<std::mutex>& fetch_lock = fetch_locks_[key];
  if (!fetch_lock) fetch_lock = std::make_shared<std::mutex>();
  return fetch_lock;
}

}  // namespace regdigest
