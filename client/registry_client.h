// RegistryClient: the Registry v2 / OCI distribution calls regdigest makes.
// Resolve is one HEAD with the full Accept list (GET fallback when the
// registry omits Docker-Content-Digest or refuses HEAD); every body fetched
// is verified against its digest.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "client/http.h"
#include "common/digest.h"
#include "common/reference.h"
#include "common/status.h"
#include "common/tool_config.h"

namespace regdigest {

struct ManifestDescriptor {
  Digest digest;
  std::string media_type;       // from Content-Type, parameters stripped
  std::optional<int64_t> size;  // Content-Length when the registry sent it
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
  // GET the manifest and verify its bytes.
  Result<FetchedManifest> Fetch(const Reference& reference);

 private:
  Result<HttpResponse> Send(const Reference& reference, const std::string& method);
  Result<FetchedManifest> VerifiedBody(const Reference& reference, const HttpResponse& response);

  std::shared_ptr<Transport> transport_;
  ToolConfig config_;
};

}  // namespace regdigest
