// Manifest documents: OCI image index / Docker manifest list, OCI image
// manifest / Docker schema 2, and the image config blob. Parsing only, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/platform.h"

namespace regdigest {

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;

  // Attestation manifests (BuildKit provenance/SBOM): platform unknown/unknown
  // or annotation "vnd.docker.reference.type".
  bool IsAttestation() const;
};

struct ImageIndex {
  std::string media_type;  // from the document, may be empty for OCI
  std::vector<Descriptor> manifests;
};

struct ImageManifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  int64_t LayersSize() const;
};

struct ImageConfig {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string created;  // RFC 3339 as written, "" when absent
};

// kProtocol with a message naming what is wrong (missing field, bad digest...).
Result<ImageIndex> ParseImageIndex(std::string_view body);
Result<ImageManifest> ParseImageManifest(std::string_view body);
Result<ImageConfig> ParseImageConfig(std::string_view body);

// The first non-attestation entry whose platform matches `want`; nullptr if none.
const Descriptor* SelectPlatform(const ImageIndex& index, const Platform& want);

}  // namespace regdigest
