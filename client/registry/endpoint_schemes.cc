#include "client/registry/endpoint_schemes.h"

#include <spdlog/spdlog.h>

#include "common/base/display_text.h"

namespace regdigest {

Result<HttpResponse> EndpointSchemes::RoundTrip(const Endpoint& endpoint, const Send& send) {
  if (!endpoint.http_fallback) return send(endpoint.BaseUrl(), false);
  {
    std::unique_lock lock(mu_);
    for (;;) {
      auto it = states_.find(endpoint.authority);
      if (it == states_.end()) {
        states_.emplace(endpoint.authority, State::kProbing);
        break;  // this request finds out
      }
      if (it->second == State::kHttps || it->second == State::kHttp) {
        const char* scheme = it->second == State::kHttps ? "https" : "http";
        lock.unlock();
        return send(endpoint.BaseUrl(scheme), false);
      }
      if (it->second == State::kUndecided) break;  // probe again, without waiting for others
      decided_.wait(lock);
    }
  }
  Result<HttpResponse> result =
      send(endpoint.BaseUrl("https"), endpoint.SchemesUseDifferentPorts());
  State state = result.ok() ? State::kHttps : State::kUndecided;
  if (!result.ok() && FallBackToHttp(endpoint, result.status())) {
    spdlog::debug("{} does not speak TLS ({}); using plain http", endpoint.authority,
                  EscapeForTerminal(result.status().message()));
    result = send(endpoint.BaseUrl("http"), false);
    state = result.ok() ? State::kHttp : State::kUndecided;
  }
  {
    std::lock_guard lock(mu_);
    State& stored = states_[endpoint.authority];
    // Another undecided probe may have decided meanwhile: keep its answer.
    if (stored == State::kProbing || stored == State::kUndecided) stored = state;
  }
  decided_.notify_all();
  return result;
}

std::string EndpointSchemes::BaseUrl(const Endpoint& endpoint) const {
  if (!endpoint.http_fallback) return endpoint.BaseUrl();
  std::lock_guard lock(mu_);
  auto it = states_.find(endpoint.authority);
  if (it != states_.end() && it->second == State::kHttp) return endpoint.BaseUrl("http");
  return endpoint.BaseUrl("https");
}

}  // namespace regdigest
