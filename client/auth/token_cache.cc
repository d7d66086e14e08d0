#include "client/auth/token_cache.h"

#include <algorithm>

namespace regdigest {

std::string PullScope(std::string_view repository) {
  std::string scope = "repository:";
  scope += repository;
  scope += ":pull";
  return scope;
}

TokenCache::TokenCache(NowFunction now) : now_(std::move(now)) {}

void TokenCache::RememberChallenge(const std::string& registry, const Challenge& challenge) {
  std::lock_guard lock(mu_);
  challenges_[registry] = challenge;
}

std::optional<Challenge> TokenCache::KnownChallenge(const std::string& registry) const {
  std::lock_guard lock(mu_);
  auto it = challenges_.find(registry);
  if (it == challenges_.end()) return std::nullopt;
  return it->second;
}

bool TokenCache::UsesBasic(const std::string& registry) const {
  std::lock_guard lock(mu_);
  auto it = challenges_.find(registry);
  return it != challenges_.end() && it->second.scheme == "basic";
}

void TokenCache::StoreToken(const std::string& registry, const std::string& scope,
                            const TokenResponse& response) {
  const Clock::time_point now = now_();
  const auto lifetime = std::chrono::duration_cast<Clock::duration>(response.expires_in);
  // issued_at is the token server's clock; trust it only when it is
  // consistent with ours, so clock skew cannot make every token look expired
  // (or live forever).
  Clock::time_point issued = now;
  if (response.issued_at && *response.issued_at <= now && *response.issued_at + lifetime > now) {
    issued = *response.issued_at;
  }
  const auto margin = std::min<Clock::duration>(kExpiryMargin, lifetime / 2);
  std::lock_guard lock(mu_);
  tokens_[{registry, scope}] = Entry{response.token, issued + lifetime - margin};
}

std::optional<std::string> TokenCache::ValidToken(const std::string& registry,
                                                  const std::string& scope) const {
  const Clock::time_point now = now_();
  std::lock_guard lock(mu_);
  auto it = tokens_.find({registry, scope});
  if (it == tokens_.end() || now >= it->second.valid_until) return std::nullopt;
  return it->second.token;
}

void TokenCache::Clear() {
  std::lock_guard lock(mu_);
  challenges_.clear();
  tokens_.clear();
}

}  // namespace regdigest
