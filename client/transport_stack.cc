#include "client/transport_stack.h"

#include "client/auth_transport.h"
#include "client/curl_transport.h"
#include "client/redirect_transport.h"
#include "common/endpoint.h"

namespace regdigest {

std::shared_ptr<AuthTransport> MakeRegistryTransport(
    const TransportSettings& settings, std::shared_ptr<CredentialSource> credentials) {
  CurlOptions options;
  options.connect_timeout = settings.config.connect_timeout;
  options.timeout = settings.config.timeout;
  options.ca_file =
      !settings.extra_ca_file.empty() ? settings.extra_ca_file : settings.config.ca_file;
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
  auto redirects = std::make_shared<RedirectTransport>(curl);
  return std::make_shared<AuthTransport>(redirects, std::move(credentials));
}

}  // namespace regdigest
