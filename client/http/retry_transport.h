// RetryTransport: the Transport decorator that sends a request again when the
// registry (or token server) is temporarily unable to answer. It decides from
// what the inner transport returned, wherever it sits in the stack: an HTTP
// answer is retried when its status is 429, 502, 503 or 504
// (IsRetryableStatus), a failure when its Status is retryable() (connection
// refused or reset, timeouts, truncated transfers: set where the failure is
// seen, client/http/curl_errors.h). Waits follow common/registry/retry_policy.h:
// Retry-After when the server gives one (capped), else exponential backoff
// with jitter; attempts and total time are bounded. Other statuses (every
// other 4xx included) are returned at once. The stack puts it directly on the
// bottom transport so each hop of a redirect and each token request is
// retried on its own.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "client/http/http.h"
#include "common/base/status.h"
#include "common/registry/retry_policy.h"

namespace regdigest {

// Clock, sleep and randomness, injectable for tests. Empty members get the
// real ones (steady clock, std::this_thread::sleep_for, a per-thread PRNG).
struct RetryHooks {
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> unit_random;  // uniform in [0, 1)
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<std::chrono::system_clock::time_point()> wall_now;  // for HTTP-date Retry-After
};

class RetryTransport : public Transport {
 public:
  // `max_attempts_by_registry`: per registry domain (AuthContext::registry,
  // lowercased) attempts overriding policy.max_attempts. A request's own
  // max_attempts (when > 0) overrides both.
  RetryTransport(std::shared_ptr<Transport> inner, RetryPolicy policy,
                 std::map<std::string, int> max_attempts_by_registry = {}, RetryHooks hooks = {});

  // Each retry is logged at debug level with the method, the URL without its
  // query, and the status or failure (never headers). When every attempt
  // failed, or the next wait would pass policy.max_total, the result is an
  // error naming the method, the URL without query, the number of attempts
  // and the last answer: "HEAD http://r/v2/app/manifests/v1 gave up after 4
  // attempts: HTTP 503 Service Unavailable" (kTransport), "... HTTP 429 Too
  // Many Requests (Retry-After: 1)" plus the registry's message (kRateLimited),
  // or, for a failure, its own message plus "(gave up after 4 attempts)"
  // (the failure's code and detail). The error for an HTTP answer carries its
  // http_status(), registry_code() and retryable(). Stopped by the time
  // limit, the text says so:
  // "gave up after 3 attempts (retry time limit 300 s)". With a single
  // attempt allowed, results pass unchanged.
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

 private:
  int MaxAttemptsFor(const HttpRequest& request) const;

  std::shared_ptr<Transport> inner_;
  RetryPolicy policy_;
  std::map<std::string, int> max_attempts_by_registry_;
  RetryHooks hooks_;
};

}  // namespace regdigest
