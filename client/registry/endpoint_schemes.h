// EndpointSchemes: which scheme each loopback or insecure registry endpoint
// speaks, found by its first request of the run and remembered for the rest
// of it (common/registry/endpoint.h: Endpoint::http_fallback, FallBackToHttp).
// That first request goes over https; when the answer shows no TLS server
// there, it is sent again over plain http. So a plain-http registry costs one
// failed TLS connection per run, and a TLS registry on loopback just works.
// Thread-safe: bulk runs send hundreds of requests at once; while one request
// finds an endpoint's scheme, the others to that endpoint wait for its answer
// instead of probing too. A probe that decides nothing (the registry is down)
// is not remembered, and later requests then each try on their own.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "client/http/http.h"
#include "common/base/status.h"
#include "common/registry/endpoint.h"

namespace regdigest {

class EndpointSchemes {
 public:
  // Sends one request: `send(base_url, probe)` must build it on base_url
  // ("https://host:port") and send it; `probe` is true for an https attempt
  // that must not be retried (see RoundTrip). Any HTTP answer counts as the
  // scheme working.
  using Send = std::function<Result<HttpResponse>(const std::string& base_url, bool probe)>;

  // Without http_fallback: send(endpoint.BaseUrl()). With it: the remembered
  // scheme, or https and then, if FallBackToHttp says so, http. The https
  // attempt is a probe (no retries) when http would use another port, so a
  // refused https port costs one connection attempt.
  Result<HttpResponse> RoundTrip(const Endpoint& endpoint, const Send& send);

  // endpoint.BaseUrl() with the scheme remembered for it, if any.
  std::string BaseUrl(const Endpoint& endpoint) const;

 private:
  enum class State { kProbing, kUndecided, kHttps, kHttp };

  mutable std::mutex mu_;
  std::condition_variable decided_;
  std::map<std::string, State> states_;  // by authority; absent: never tried
};

}  // namespace regdigest
