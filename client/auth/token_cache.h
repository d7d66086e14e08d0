// TokenCache: what the auth layer remembers between requests of one run —
// the challenge each registry answered with (so later requests carry their
// credentials up front instead of collecting a 401 each), and bearer tokens
// per (registry, scope) until shortly before they expire. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/auth/challenge.h"
#include "common/auth/token_response.h"

namespace regdigest {

// "repository:<path>:pull": the scope a registry request for `repository`
// (a reference's path, "library/ubuntu") asks for, and the key its token is
// cached under. The one place regdigest builds a pull scope.
std::string PullScope(std::string_view repository);

class TokenCache {
 public:
  using Clock = std::chrono::system_clock;
  using NowFunction = std::function<Clock::time_point()>;

  // Tokens are dropped this long before they expire (or at half their
  // lifetime, for very short-lived ones), so a request never leaves with a
  // token that expires on its way.
  static constexpr std::chrono::seconds kExpiryMargin{10};

  // `now` is the clock used for expiry; tests inject their own.
  explicit TokenCache(NowFunction now = &Clock::now);

  // Registries are keys the caller chooses (the auth layer uses the origin of
  // the registry endpoint, "https://host:443").

  // Remembers the challenge a registry answered with (the latest one wins).
  void RememberChallenge(const std::string& registry, const Challenge& challenge);
  // The remembered challenge, if any.
  std::optional<Challenge> KnownChallenge(const std::string& registry) const;
  // True when the remembered challenge is Basic.
  bool UsesBasic(const std::string& registry) const;

  // Stores a token for (registry, scope); its expiry counts expires_in from
  // issued_at when that is plausible (not in the future, not already past),
  // else from now.
  void StoreToken(const std::string& registry, const std::string& scope,
                  const TokenResponse& response);
  // The token for (registry, scope) while it is valid; nullopt otherwise.
  std::optional<std::string> ValidToken(const std::string& registry,
                                        const std::string& scope) const;
  // Forgets every token and challenge.
  void Clear();

 private:
  struct Entry {
    std::string token;
    Clock::time_point valid_until;
  };

  NowFunction now_;
  mutable std::mutex mu_;
  std::map<std::string, Challenge> challenges_;                  // by registry
  std::map<std::pair<std::string, std::string>, Entry> tokens_;  // by (registry, scope)
};

}  // namespace regdigest
