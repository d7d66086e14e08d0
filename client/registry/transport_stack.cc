#include "client/registry/transport_stack.h"

#include <map>
#include <string>

#include "client/auth/auth_transport.h"
#include "client/auth/caching_token_broker.h"
#include "client/http/curl_transport.h"
#include "client/http/redirect_transport.h"
#include "client/http/retry_transport.h"
#include "common/registry/endpoint.h"

namespace regdigest {

RegistryTransport MakeRegistryTransport(const TransportSettings& settings,
                                        std::shared_ptr<CredentialSource> credentials) {
  CurlOptions options;
  options.connect_timeout = settings.config.connect_timeout;
  options.timeout = settings.config.timeout;
  options.ca_file =
      !settings.extra_ca_file.empty() ? settings.extra_ca_file : settings.config.ca_file;
  // One kept-alive handle per request in flight: --concurrency goes up to
  // kMaxConcurrency per registry (issue 12: a pool of 8 made plain-http runs
  // reconnect).
  options.max_idle_handles = static_cast<std::size_t>(kMaxConcurrency);
  // Per-registry CA files apply to that registry's endpoints (and mirrors).
  for (const auto& [domain, registry] : settings.config.registries) {
    Result<std::vector<Endpoint>> endpoints = EndpointsFor(domain, settings.config);
    if (!endpoints.ok()) continue;  // reported when that registry is used
    for (const Endpoint& endpoint : *endpoints) {
      if (!endpoint.ca_file.empty() && endpoint.ca_file != options.ca_file) {
        options.ca_file_by_authority[endpoint.authority] = endpoint.ca_file;
      }
    }
  }
  auto curl = std::make_shared<CurlTransport>(std::move(options));
  std::map<std::string, int> attempts_by_registry;
  for (const auto& [domain, registry] : settings.config.registries) {
    if (registry.retries >= 0) attempts_by_registry[domain] = registry.retries + 1;
  }
  auto retries = std::make_shared<RetryTransport>(curl, settings.config.DefaultRetryPolicy(),
                                                  std::move(attempts_by_registry));
  auto redirects = std::make_shared<RedirectTransport>(retries);
  CachingTokenBroker::Options auth_options;
  for (const auto& [domain, registry] : settings.config.registries) {
    if (registry.insecure) auth_options.insecure_registries.insert(domain);
  }
  auto tokens = std::make_shared<CachingTokenBroker>(
      redirects, std::move(credentials), std::make_shared<TokenCache>(), std::move(auth_options));
  return RegistryTransport{std::make_shared<AuthTransport>(redirects, tokens), tokens};
}

}  // namespace regdigest
