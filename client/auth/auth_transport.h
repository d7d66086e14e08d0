// AuthTransport: the Transport decorator that answers registry challenges.
// It asks a TokenBroker (client/auth/token_broker.h) for the Authorization
// to send up front and for the answer to a 401, and retries once; the broker
// owns the tokens, so later requests carry their credentials up front: N tags
// of one repository cost one 401, one token request and N requests.
//
// Thread safety: RoundTrip may be called from many threads at once; the
// decorator holds no mutable state of its own (the broker and the inner
// transport must be thread-safe, as the transport stack's are).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/auth/token_broker.h"
#include "client/http/http.h"
#include "common/base/status.h"

namespace regdigest {

// Only requests with a non-empty auth.registry are authenticated; others, and
// requests that already carry an Authorization header, pass through as they
// are. A challenge in a response that came from another origin (after a
// redirect) is not answered.
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
  AuthTransport(std::shared_ptr<Transport> inner, std::shared_ptr<TokenBroker> broker);

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

 private:
  // Answers a 401 `response` to a request sent with `sent_authorization`:
  // checks where it came from and parses its challenges, then asks the broker.
  Result<std::optional<AuthAnswer>> AnswerUnauthorized(const AuthTarget& target,
                                                       const HttpResponse& response,
                                                       const std::string& sent_authorization,
                                                       const std::vector<std::string>* asked);

  const std::shared_ptr<Transport> inner_;
  const std::shared_ptr<TokenBroker> broker_;
};

}  // namespace regdigest
