// RegistryClient: the Registry v2 / OCI distribution calls regdigest makes.
// Resolve is one HEAD with the full Accept list (GET fallback when the
// registry omits Docker-Content-Digest, refuses HEAD with 405 or answers a
// generic Content-Type, never after an error such as 429); every body fetched
// (manifests and blobs) is verified against its digest. Only manifests are
// manifests: an answer counts when its Content-Type is one of the four
// manifest types, or when it is generic and the body parses as a manifest
// (common/image/manifest.h: IdentifyManifest); an HTML page is an error
// saying the server does not look like a registry. Loopback and insecure
// registries are tried over https first, then plain http, once per run
// (client/registry/endpoint_schemes.h). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "client/http/http.h"
#include "client/registry/endpoint_schemes.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/reference.h"
#include "common/registry/rate_limit.h"
#include "common/registry/tool_config.h"

namespace regdigest {

struct ManifestDescriptor {
  Digest digest;
  std::string media_type;       // always a manifest type (IsManifestMediaType)
  std::optional<int64_t> size;  // Content-Length when the registry sent it
  // Docker Hub's rate-limit headers on the manifest answer, when present.
  std::optional<RateLimit> rate_limit;
};

struct FetchedManifest {
  ManifestDescriptor descriptor;
  std::string body;  // the exact bytes, verified against descriptor.digest
};

class RegistryClient {
 public:
  RegistryClient(std::shared_ptr<Transport> transport, ToolConfig config);

  // Tag (or digest) → manifest digest, HEAD only unless the registry forces a GET.
  Result<ManifestDescriptor> Resolve(const Reference& reference);
  // One HEAD of the manifest and never a GET (Docker Hub does not count HEADs
  // against the pull limit): the rate-limit headers of the answer, nullopt
  // when there are none. A 405 answer is used as it is; errors as Resolve's.
  Result<std::optional<RateLimit>> HeadRateLimit(const Reference& reference);
  // GET the manifest and verify its bytes.
  Result<FetchedManifest> Fetch(const Reference& reference);
  // GET /v2/<path>/blobs/<digest> (e.g. an image config) through the same
  // endpoints, mirrors and auth as manifests; redirects to storage hosts are
  // followed without credentials. kDigestMismatch when the bytes do not hash
  // to `digest`, kProtocol when the blob is larger than max_bytes.
  Result<std::string> FetchBlob(const Reference& repository, const Digest& digest,
                                std::size_t max_bytes = 4 << 20);
  // GET /v2/ on the registry's own endpoint (not a mirror), as `docker login`
  // does; any HTTP answer is returned as it is.
  Result<HttpResponse> Ping(const std::string& domain);
  // The base URL ("http://127.0.0.1:5000") requests to `endpoint` use now:
  // its scheme, or the one found to work for a loopback or insecure registry.
  std::string BaseUrl(const Endpoint& endpoint) const { return schemes_->BaseUrl(endpoint); }
  // The run's scheme memory itself, for other listers of the same registries
  // (client/registry/tag_lister.h). Thread-safe.
  std::shared_ptr<EndpointSchemes> schemes() const { return schemes_; }
  // GET /v2/<path>/<suffix> (suffix may carry a query) through the same
  // endpoints and auth: the 200 answer with its headers, or the error with
  // http_status() set (e.g. for the referrers API, client/trust).
  Result<HttpResponse> Get(const Reference& repository, const std::string& suffix,
                           const std::string& accept);

 private:
  // One request for /v2/<path>/<suffix>, tried on each endpoint (mirrors first).
  // `accept` is sent as the Accept header when non-empty; `what` names the
  // object in error messages.
  Result<HttpResponse> Send(const Reference& reference, const std::string& method,
                            const std::string& suffix, const std::string& accept,
                            const std::string& what);
  Result<HttpResponse> SendManifest(const Reference& reference, const std::string& method);
  Result<FetchedManifest> VerifiedBody(const Reference& reference, const HttpResponse& response);
  // One request to `endpoint`, with the scheme EndpointSchemes picks.
  Result<HttpResponse> SendTo(const Endpoint& endpoint, HttpRequest request,
                              const std::string& path);

  std::shared_ptr<Transport> transport_;
  std::shared_ptr<EndpointSchemes> schemes_ = std::make_shared<EndpointSchemes>();
  ToolConfig config_;
};

}  // namespace regdigest
