// AuthTransport: the Transport decorator that answers registry challenges.
// On a 401 it reads WWW-Authenticate, fetches a bearer token from the realm
// (client/token_client.h) or uses Basic credentials, and retries once. It
// remembers each registry's challenge and tokens (client/token_cache.h), so
// later requests carry their credentials up front: N tags of one repository
// cost one 401, one token request and N requests.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client/credential_source.h"
#include "client/http.h"
#include "client/token_cache.h"
#include "common/challenge.h"
#include "common/docker_config.h"
#include "common/status.h"

namespace regdigest {

// Only requests with a non-empty auth.registry are authenticated; others, and
// requests that already carry an Authorization header, pass through as they
// are. Credentials (Basic or identity token) go only to the request's own
// origin or to the token realm named by a challenge from that origin, and are
// looked up lazily: once per registry domain, and only when a challenge asks
// for them. A challenge in a response that came from another origin (after a
// redirect) is not answered. Thread-safe.
class AuthTransport : public Transport {
 public:
  AuthTransport(std::shared_ptr<Transport> inner, std::shared_ptr<CredentialSource> credentials,
                std::shared_ptr<TokenCache> cache = std::make_shared<TokenCache>());

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

 private:
  struct Target;

  // Authorization value to send before any challenge, from what the cache
  // knows about the target's origin; "" for none.
  Result<std::string> UpFrontAuthorization(const Target& target);
  // Answers a 401 carrying `challenges`; nullopt when it cannot be answered
  // (the 401 then stands).
  Result<std::optional<std::string>> AnswerChallenge(const Target& target,
                                                     const std::vector<Challenge>& challenges,
                                                     const std::string& sent_authorization);
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

  std::shared_ptr<Transport> inner_;
  std::shared_ptr<CredentialSource> credentials_;
  std::shared_ptr<TokenCache> cache_;

  std::mutex credentials_mu_;  // held during a lookup: one lookup per registry
  std::map<std::string, Result<std::optional<AuthEntry>>> credentials_by_registry_;
  std::mutex fetch_locks_mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> fetch_locks_;  // one token fetch at a time
};

}  // namespace regdigest
