#include "client/auth_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <system_error>
#include <thread>
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

Status AuthTransport::PrefetchTokens(const std::string& origin, const std::string& registry,
                                     const std::vector<std::string>& scopes) {
  Result<Url> url = Url::Parse(origin);
  if (!url.ok()) return url.status().WithContext("registry origin");
  Target target{*url, OriginKey(*url), registry, "", url->scheme == "https"};
  const std::optional<Challenge> bearer = cache_->KnownChallenge(target.origin);
  if (!bearer || bearer->scheme != "bearer") return Status::Ok();

  std::vector<std::string> missing;
  for (const std::string& scope : scopes) {
    if (scope.empty() || std::find(missing.begin(), missing.end(), scope) != missing.end())
      continue;
    if (!cache_->ValidToken(target.origin, scope)) missing.push_back(scope);
  }
  auto refuses_multi_scope = [&] {
    std::lock_guard lock(fetch_locks_mu_);
    return single_scope_origins_.contains(target.origin);
  };
  std::vector<std::string> one_by_one;
  for (size_t start = 0; start < missing.size(); start += kMaxScopesPerTokenRequest) {
    const size_t end = std::min(missing.size(), start + kMaxScopesPerTokenRequest);
    std::vector<std::string> batch(missing.begin() + start, missing.begin() + end);
    if (batch.size() == 1 || refuses_multi_scope()) {
      one_by_one.insert(one_by_one.end(), batch.begin(), batch.end());
      continue;
    }
    int http_status = 0;
    Status status = FetchSharedToken(target, *bearer, batch, &http_status);
    if (status.ok()) continue;
    const bool refused =
        http_status >= 400 && http_status <= 499 && http_status != 401 && http_status != 429;
    if (!refused) return status;
    spdlog::debug(
        "token server for {} refused {} scopes in one request (HTTP {}); asking for one "
        "scope per request from now on",
        registry, batch.size(), http_status);
    {
      std::lock_guard lock(fetch_locks_mu_);
      single_scope_origins_.insert(target.origin);
    }
    one_by_one.insert(one_by_one.end(), batch.begin(), batch.end());
  }
  return FetchEachToken(target, *bearer, one_by_one);
}

Status AuthTransport::FetchSharedToken(const Target& target, const Challenge& bearer,
                                       const std::vector<std::string>& scopes, int* http_status) {
  // Hold every scope's fetch lock (in a fixed order, so two prefetches cannot
  // deadlock) so no request fetches one of these scopes meanwhile.
  std::vector<std::string> ordered = scopes;
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::shared_ptr<std::mutex>> mutexes;
  std::vector<std::unique_lock<std::mutex>> locks;
  for (const std::string& scope : ordered) {
    mutexes.push_back(FetchLock(target.origin + " " + scope));
    locks.emplace_back(*mutexes.back());
  }
  std::vector<std::string> missing;
  for (const std::string& scope : scopes) {
    if (!cache_->ValidToken(target.origin, scope)) missing.push_back(scope);
  }
  if (missing.empty()) return Status::Ok();

  Result<std::optional<AuthEntry>> credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  Result<TokenResponse> token = FetchToken(*inner_, bearer, missing, *credentials, target.https,
                                           target.registry, http_status);
  if (!token.ok()) return token.status();
  for (const std::string& scope : missing) cache_->StoreToken(target.origin, scope, *token);
  return Status::Ok();
}

Status AuthTransport::FetchEachToken(const Target& target, const Challenge& bearer,
                                     const std::vector<std::string>& scopes) {
  std::atomic<size_t> next{0};
  std::mutex first_error_mu;
  Status first_error;
  auto work = [&] {
    for (size_t i; (i = next++) < scopes.size();) {
      Target one = target;
      one.scope = scopes[i];
      Result<std::string> token = BearerToken(one, bearer, {scopes[i]}, "");
      if (token.ok()) continue;
      std::lock_guard lock(first_error_mu);
      if (first_error.ok()) first_error = token.status();
      next = scopes.size();  // the rest would most likely fail the same way
    }
  };
  std::vector<std::jthread> helpers;
  for (size_t i = 1; i < std::min(kParallelTokenRequests, scopes.size()); ++i) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error& e) {  // no thread: fewer at a time
      spdlog::debug("token requests: cannot start a thread: {}", e.what());
      break;
    }
  }
  work();
  helpers.clear();  // joins
  return first_error;
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
