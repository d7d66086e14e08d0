// CachingTokenBroker's bulk side: PrefetchTokens and the token requests it
// makes (one for many scopes, or one per scope a few at a time).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "client/auth/caching_token_broker.h"
#include "client/auth/token_client.h"
#include "client/sys/parallel_for.h"

namespace regdigest {
namespace {

// A 4xx other than 401 (credentials) and 429 (rate limit) to a multi-scope
// token request: the token server does not take several scopes at once.
bool RefusesMultiScope(const Status& status) {
  const int http = status.http_status();
  return http >= 400 && http <= 499 && http != 401 && http != 429;
}

}  // namespace

Status CachingTokenBroker::PrefetchTokens(const std::string& origin, const std::string& registry,
                                          const std::vector<std::string>& scopes) {
  Result<Url> url = Url::Parse(origin);
  if (!url.ok()) return url.status().WithContext("registry origin");
  const Target target = MakeTarget(*url, registry, "");
  const std::optional<Challenge> bearer = cache_->KnownChallenge(target.origin);
  if (!bearer || bearer->scheme != "bearer") return Status::Ok();

  std::vector<std::string> missing;
  for (const std::string& scope : scopes) {
    if (scope.empty() || std::find(missing.begin(), missing.end(), scope) != missing.end())
      continue;
    if (!cache_->ValidToken(target.origin, scope)) missing.push_back(scope);
  }
  auto refuses_multi_scope = [&] {
    std::lock_guard lock(mu_);
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
    Status status = FetchSharedToken(target, *bearer, batch);
    if (status.ok()) continue;
    if (!RefusesMultiScope(status)) return status;
    spdlog::debug(
        "token server for {} refused {} scopes in one request (HTTP {}); asking for one "
        "scope per request from now on",
        registry, batch.size(), status.http_status());
    {
      std::lock_guard lock(mu_);
      single_scope_origins_.insert(target.origin);
    }
    one_by_one.insert(one_by_one.end(), batch.begin(), batch.end());
  }
  return FetchEachToken(target, *bearer, one_by_one);
}

Status CachingTokenBroker::FetchSharedToken(const Target& target, const Challenge& bearer,
                                            const std::vector<std::string>& scopes) {
  // Hold every scope's fetch lock (in a fixed order, so two prefetches cannot
  // deadlock) so no request fetches one of these scopes meanwhile.
  std::vector<std::string> ordered = scopes;
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::shared_ptr<std::mutex>> mutexes;
  std::vector<std::unique_lock<std::mutex>> locks;
  for (const std::string& scope : ordered) {
    mutexes.push_back(FetchLock(target.origin, scope));
    locks.emplace_back(*mutexes.back());
  }
  std::vector<std::string> missing;
  for (const std::string& scope : scopes) {
    if (!cache_->ValidToken(target.origin, scope)) missing.push_back(scope);
  }
  if (missing.empty()) return Status::Ok();

  Lookup credentials = Credentials(target.registry);
  if (!credentials.ok()) return credentials.status();
  Result<TokenResponse> token = FetchToken(*transport_, bearer, missing, *credentials,
                                           target.require_https_realm, target.registry);
  if (!token.ok()) return token.status();
  for (const std::string& scope : missing) cache_->StoreToken(target.origin, scope, *token);
  return Status::Ok();
}

Status CachingTokenBroker::FetchEachToken(const Target& target, const Challenge& bearer,
                                          const std::vector<std::string>& scopes) {
  std::atomic<bool> failed{false};
  std::mutex first_error_mu;
  Status first_error;
  ParallelFor(0, scopes.size(), kParallelTokenRequests, [&](std::size_t i) {
    if (failed) return;  // the rest would most likely fail the same way
    Target one = target;
    one.scope = scopes[i];
    Result<std::string> token = BearerToken(one, bearer, {scopes[i]}, "");
    if (token.ok()) return;
    failed = true;
    std::lock_guard lock(first_error_mu);
    if (first_error.ok()) first_error = token.status();
  });
  return first_error;
}

}  // namespace regdigest
