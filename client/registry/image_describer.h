// ImageDescriber: walks what a tag points to in the registry: index ->
// platform manifests -> config blobs, every document verified against its
// digest. This is what `inspect`, `resolve --platform` and `compare` explain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/registry/registry_client.h"
#include "common/image/manifest.h"
#include "common/image/platform.h"
#include "common/image/reference.h"

namespace regdigest {

struct PlatformImage {
  Platform platform;       // from the index entry (or the config for a single manifest)
  Digest manifest_digest;  // the platform manifest
  std::string media_type;  // of the platform manifest
  int64_t manifest_size = 0;
  Digest config_digest;  // = image ID on a classic Docker engine
  int layer_count = 0;
  int64_t layers_size = 0;   // compressed bytes, sum of layer descriptors
  std::string created;       // from the config, "" when absent
  Platform config_platform;  // os/arch(/variant) as the config says
};

struct ImageDescription {
  Reference reference;  // canonical, with tag
  Digest digest;        // what the tag points to (index or manifest digest)
  std::string media_type;
  bool is_index = false;
  std::vector<PlatformImage> platforms;   // described platforms (all, or the one asked for)
  std::vector<Descriptor> index_entries;  // every non-attestation entry of the index
  int attestation_count = 0;              // attestation manifests skipped
};

// The manifest to pin for one platform (what `resolve --platform` prints).
struct PlatformManifest {
  Platform platform;  // the index entry's platform, or the config's for a single manifest
  Digest digest;
  std::string media_type;
};

class ImageDescriber {
 public:
  explicit ImageDescriber(RegistryClient& client) : client_(client) {}

  // GETs the manifest and, for an index, each platform manifest (only the one
  // matching `only` when given; kNotFound naming the platforms available if
  // none matches), then each config blob.
  Result<ImageDescription> Describe(const Reference& reference,
                                    const std::optional<Platform>& only = std::nullopt);

  // Given the digest a HEAD of `reference` answered, GETs that document (by
  // digest, verified): for an index, returns the entry matching `want`
  // (kNotFound naming the platforms available); for a single manifest, GETs
  // its config and returns the manifest itself when the config's platform
  // matches `want` (kNotFound naming the image's platform otherwise).
  Result<PlatformManifest> SelectPlatformManifest(const Reference& reference, const Digest& digest,
                                                  const Platform& want);

 private:
  RegistryClient& client_;
};

}  // namespace regdigest
