#include "common/registry/endpoint.h"

#include <cerrno>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

// The spec as error messages may show it: user information (user:password@) hidden.
std::string Shown(std::string_view spec) {
  const size_t at = spec.find('@');
  if (at == std::string_view::npos) return DisplayText(spec);
  const size_t scheme = spec.find("://");
  const size_t start = (scheme == std::string_view::npos || scheme > at) ? 0 : scheme + 3;
  return DisplayText(std::string(spec.substr(0, start)) + "***" + std::string(spec.substr(at)));
}

// Builds one endpoint from "host[:port]" or "scheme://host[:port]".
Result<Endpoint> MakeEndpoint(std::string_view spec, const RegistrySettings& settings,
                              const std::string& ca_file, bool mirror) {
  const bool insecure = settings.insecure;
  const bool has_scheme = spec.find("://") != std::string_view::npos;
  std::string text = has_scheme ? std::string(spec) : "https://" + std::string(spec);
  Result<Url> url = Url::Parse(text);
  if (!url.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "invalid registry endpoint \"" + Shown(spec) + "\": " + url.status().message());
  }
  if (url->scheme != "http" && url->scheme != "https") {
    return Status(StatusCode::kInvalidArgument,
                  "registry endpoint \"" + Shown(spec) + "\" must use http or https");
  }
  const bool plain_ok = insecure || IsLoopbackHost(url->host);
  Endpoint endpoint;
  endpoint.authority = url->Authority();
  endpoint.ca_file = ca_file;
  endpoint.mirror = mirror;
  if (has_scheme) {
    endpoint.scheme = url->scheme;
    if (endpoint.scheme == "http" && !plain_ok) {
      return Status(StatusCode::kInvalidArgument,
                    "refusing plain http for " + endpoint.authority +
                        ": only loopback registries or ones marked \"insecure\" may use http");
    }
  } else {
    // Like docker and go-containerregistry: https first, and for loopback and
    // insecure registries plain http next, unless a CA file of their own says
    // they speak TLS.
    endpoint.scheme = "https";
    endpoint.http_fallback = plain_ok && settings.ca_file.empty();
  }
  return endpoint;
}

}  // namespace

bool Endpoint::SchemesUseDifferentPorts() const {
  Result<Url> url = Url::Parse("https://" + authority + "/");
  return url.ok() && !url->port.has_value();
}

bool FallBackToHttp(const Endpoint& endpoint, const Status& https_failure) {
  if (!endpoint.http_fallback || https_failure.ok() ||
      https_failure.code() != StatusCode::kTransport || https_failure.http_status() != 0) {
    return false;
  }
  if (https_failure.os_errno() == EPROTO) return true;
  return https_failure.os_errno() == ECONNREFUSED && endpoint.SchemesUseDifferentPorts();
}

bool IsPlainHttpToTlsAnswer(int http_status, std::size_t header_fields, std::string_view body) {
  if (http_status != 400) return false;
  if (header_fields == 0 && body.find_first_not_of(" \r\n") == std::string_view::npos) {
    return true;
  }
  const std::string_view head = body.substr(0, 512);
  return head.find("Client sent an HTTP request to an HTTPS server") != std::string_view::npos ||
         head.find("The plain HTTP request was sent to HTTPS port") != std::string_view::npos;
}

Result<std::vector<Endpoint>> EndpointsFor(std::string_view domain, const ToolConfig& config) {
  const RegistrySettings* settings = config.Find(domain);
  RegistrySettings defaults;
  if (settings == nullptr) settings = &defaults;
  const std::string ca_file = !settings->ca_file.empty() ? settings->ca_file : config.ca_file;

  std::vector<Endpoint> endpoints;
  for (const std::string& mirror : settings->mirrors) {
    Result<Endpoint> endpoint = MakeEndpoint(mirror, *settings, ca_file, true);
    if (!endpoint.ok()) return endpoint.status();
    endpoints.push_back(std::move(endpoint).value());
  }
  std::string own = settings->endpoint;
  if (own.empty())
    own = domain == "docker.io" ? std::string(kDockerHubEndpointHost) : std::string(domain);
  Result<Endpoint> endpoint = MakeEndpoint(own, *settings, ca_file, false);
  if (!endpoint.ok()) return endpoint.status();
  endpoints.push_back(std::move(endpoint).value());
  return endpoints;
}

}  // namespace regdigest
