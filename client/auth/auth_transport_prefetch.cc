// AuthTransport's bulk side: PrefetchTokens and the token requests it makes
// (one for many scopes, or one per scope a few at a time).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <vector>

#include "client/auth/auth_transport.h"
#include "client/auth/token_client.h"

namespace regdigest {

Status AuthTransport::PrefetchTokens(const std::string& origin, const std::string& registry,
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
  Result<TokenResponse> token =
      FetchToken(*inner_, bearer, missing, *credentials, target.RequireHttpsRealm(),
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

}  // namespace regdigest
