#include "client/auth/auth_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "client/auth/token_client.h"
#include "common/base/base64.h"
#include "common/base/url.h"

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

AuthTransport::AuthTransport(std::shared_ptr<Transport> inner,
                             std::shared_ptr<CredentialSource> credentials,
                             std::shared_ptr<TokenCache> cache, Options options)
    : inner_(std::move(inner)),
      credentials_(std::move(credentials)),
      cache_(std::move(cache)),
      options_(std::move(options)) {}

AuthTransport::Target AuthTransport::MakeTarget(const Url& url, std::string registry,
                                                std::string scope) const {
  const bool insecure = options_.insecure_registries.contains(registry);
  return Target{
      url, OriginKey(url), std::move(registry), std::move(scope), url.scheme == "https", insecure};
}

Result<HttpResponse> AuthTransport::RoundTrip(const HttpRequest& request) {
  if (request.auth.registry.empty() || request.headers.Has("Authorization")) {
    return inner_->RoundTrip(request);
  }
  Result<Url> url = Url::Parse(request.url);
  if (!url.ok()) return inner_->RoundTrip(request);  // the inner transport reports it
  const Target target = MakeTarget(*url, request.auth.registry, request.auth.scope);

  HttpRequest attempt = request;
  Result<std::string> up_front = UpFrontAuthorization(target);
  if (!up_front.ok()) return up_front.status();
  if (!up_front->empty()) attempt.headers.Set("Authorization", *up_front);

  Result<HttpResponse> response = inner_->RoundTrip(attempt);
  if (!response.ok() || response->status != 401) return response;
  Result<std::optional<Answer>> answer = AnswerUnauthorized(target, *response, *up_front, nullptr);
  if (!answer.ok()) return answer.status();
  if (!answer->has_value()) return response;
  attempt.headers.Set("Authorization", (*answer)->authorization);
  response = inner_->RoundTrip(attempt);

  // One more round only for a scope the fresh token was not asked for.
  if (!response.ok() || response->status != 401 || (*answer)->scopes.empty()) return response;
  Result<std::optional<Answer>> wider =
      AnswerUnauthorized(target, *response, (*answer)->authorization, &(*answer)->scopes);
  if (!wider.ok()) return wider.status();
  if (!wider->has_value()) return response;
  attempt.headers.Set("Authorization", (*wider)->authorization);
  return inner_->RoundTrip(attempt);
}

Result<std::optional<AuthTransport::Answer>> AuthTransport::AnswerUnauthorized(
    const Target& target, const HttpResponse& response, const std::string& sent_authorization,
    const std::vector<std::string>* asked) {
  if (!response.url.empty()) {
    Result<Url> from = Url::Parse(response.url);
    if (!from.ok() || !SameOrigin(*from, target.url)) {
      spdlog::debug("not answering a challenge from {}: not the origin of the request to {}",
                    from.ok() ? from->Authority() : std::string("an unparsable URL"),
                    target.url.Authority());
      return std::optional<Answer>();
    }
  }
  Result<std::vector<Challenge>> challenges =
      ParseChallenges(response.headers.GetAll("WWW-Authenticate"));
  if (!challenges.ok()) {
    return Status(StatusCode::kProtocol,
                  "registry " + target.registry +
                      " answered 401 with an unusable challenge: " + challenges.status().message());
  }
  return AnswerChallenge(target, *challenges, sent_authorization, asked);
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

Result<std::optional<AuthTransport::Answer>> AuthTransport::AnswerChallenge(
    const Target& target, const std::vector<Challenge>& challenges,
    const std::string& sent_authorization, const std::vector<std::string>* asked) {
  if (const Challenge* bearer = FindChallenge(challenges, "bearer")) {
    cache_->RememberChallenge(target.origin, *bearer);
    const std::vector<std::string> scopes = ScopesFor(target.scope, *bearer);
    const std::string_view refused = CredentialAfter(sent_authorization, "Bearer ");
    if (asked != nullptr) {
      const bool adds_scope = std::any_of(scopes.begin(), scopes.end(), [&](const auto& scope) {
        return std::find(asked->begin(), asked->end(), scope) == asked->end();
      });
      if (bearer->Param("error") != "insufficient_scope" || !adds_scope) {
        return std::optional<Answer>();
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
    return std::optional<Answer>(Answer{"Bearer " + *token, scopes});
  }
  if (asked != nullptr) return std::optional<Answer>();
  if (const Challenge* basic = FindChallenge(challenges, "basic")) {
    cache_->RememberChallenge(target.origin, *basic);
    if (!CredentialAfter(sent_authorization, "Basic ").empty()) {
      return std::optional<Answer>();  // those credentials were refused
    }
    Result<std::string> authorization = BasicAuthorization(target);
    if (!authorization.ok()) return authorization.status();
    if (authorization->empty()) return std::optional<Answer>();
    return std::optional<Answer>(Answer{*authorization, {}});
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
  return std::optional<Answer>();
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
  Result<TokenResponse> token = FetchToken(*inner_, bearer, scopes, *credentials,
                                           target.RequireHttpsRealm(), target.registry);
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
