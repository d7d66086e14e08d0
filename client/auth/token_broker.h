// TokenBroker: the interface through which the auth decorator
// (client/auth/auth_transport.h) and bulk callers (client/registry/
// bulk_resolver.h) obtain credentials for registry requests. A broker owns
// what is learned about each registry's authentication during a run: the
// challenge it answered with, bearer tokens per (registry, scope), their bulk
// prefetch, and their renewal when a registry refuses one.
//
// Thread safety: implementations must be safe to call from many threads at
// once; the transport stack shares one broker between all requests of a run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/auth/challenge.h"
#include "common/base/status.h"
#include "common/base/url.h"

namespace regdigest {

// What a request is for, as the auth layer sees it.
struct AuthTarget {
  Url url;               // the request's URL
  std::string registry;  // the credentials' domain (AuthContext::registry); never empty
  std::string scope;     // AuthContext::scope; may be empty
};

// The Authorization to retry a refused request with.
struct AuthAnswer {
  std::string authorization;        // "Bearer ..." or "Basic ..."
  std::vector<std::string> scopes;  // the scopes its token was asked for; empty for Basic
};

class TokenBroker {
 public:
  virtual ~TokenBroker() = default;

  // The Authorization value to send before any challenge, from what the
  // broker already knows about the target's registry; "" for none.
  virtual Result<std::string> Authorization(const AuthTarget& target) = 0;

  // Answers a 401 whose (already parsed) WWW-Authenticate offered
  // `challenges`, to a request sent with `sent_authorization` ("" for none).
  // nullopt when it cannot or should not be answered (the 401 then stands).
  // With `asked` (the scopes of the token just refused), only an
  // insufficient_scope challenge naming a scope outside `asked` is answered:
  // this keeps the decorator's retries bounded.
  virtual Result<std::optional<AuthAnswer>> Answer(const AuthTarget& target,
                                                   const std::vector<Challenge>& challenges,
                                                   const std::string& sent_authorization,
                                                   const std::vector<std::string>* asked) = 0;

  // Fetches tokens for many `scopes` of the registry at `origin`
  // (scheme://host[:port]) whose Bearer challenge is already known, in as few
  // token requests as the token server allows. `registry` is the credentials'
  // domain. A no-op when the registry uses Basic or no challenge is known.
  // Returns the first failure; scopes left without a token fetch their own
  // when a request needs them.
  virtual Status PrefetchTokens(const std::string& origin, const std::string& registry,
                                const std::vector<std::string>& scopes) = 0;
};

}  // namespace regdigest
