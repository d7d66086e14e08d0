// Endpoint: where a registry domain from a reference is actually reached.
// Applies Docker's conventions (docker.io is served by registry-1.docker.io),
// the user's config (endpoint override, mirrors, insecure, CA file) and the
// scheme rule, as docker and crane have it: https always, except that a
// loopback or insecure registry without an explicit scheme or a CA file of its
// own is tried over https first and then over plain http when the https attempt
// shows no TLS server there (FallBackToHttp). Which scheme worked is
// remembered for the run by client/registry/endpoint_schemes.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/base/url.h"
#include "common/registry/tool_config.h"

namespace regdigest {

inline constexpr std::string_view kDockerHubEndpointHost = "registry-1.docker.io";

struct Endpoint {
  std::string scheme;          // "https" or "http": the first one to try
  std::string authority;       // host[:port], IPv6 bracketed
  std::string ca_file;         // extra CA bundle for this endpoint ("" = none)
  bool mirror = false;         // a mirror tried before the registry itself
  bool http_fallback = false;  // https first, then plain http (see FallBackToHttp)

  std::string BaseUrl() const { return scheme + "://" + authority; }
  std::string BaseUrl(std::string_view with_scheme) const {
    return std::string(with_scheme) + "://" + authority;
  }
  bool is_https() const { return scheme == "https"; }
  // True when http and https reach different ports (no explicit port: 80, 443).
  bool SchemesUseDifferentPorts() const;
};

// Endpoints to try for `domain`, in order: configured mirrors, then the
// configured endpoint (or the registry's own host). kInvalidArgument when a
// configured endpoint is malformed or asks for http on a host that is neither
// loopback nor marked insecure.
Result<std::vector<Endpoint>> EndpointsFor(std::string_view domain, const ToolConfig& config);

// Whether a request to `endpoint` over https that failed with `https_failure`
// is sent again over plain http. Only for endpoints with http_fallback, and
// only when the failure shows that no TLS server answered: the TLS handshake
// failed at the protocol level (os_errno() EPROTO, set by the curl layer, e.g.
// a plain-HTTP answer to the ClientHello), or the https port refused the
// connection while http uses another port. A certificate that does not verify
// is never a reason: the server speaks TLS, so the error is reported (docker
// and crane skip verification for such registries; regdigest does not).
bool FallBackToHttp(const Endpoint& endpoint, const Status& https_failure);

// Whether an HTTP answer to a plain-http request came from a TLS server: a
// 400 whose body is the one Go ("Client sent an HTTP request to an HTTPS
// server") or nginx ("The plain HTTP request was sent to HTTPS port") send,
// or a 400 without a single header field (Go's answer, whose body a HEAD
// does not read; every real HTTP server sends at least Date or
// Content-Length).
bool IsPlainHttpToTlsAnswer(int http_status, std::size_t header_fields, std::string_view body);

}  // namespace regdigest
