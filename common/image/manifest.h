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

// The media type of a manifest a registry answered with `content_type` (a
// full Content-Type value; parameters and case are ignored) and `body` (empty
// for a HEAD). Always one of the four types of IsManifestMediaType:
// - a manifest type is taken as it is;
// - a generic type (IsGenericMediaType: missing, application/octet-stream...)
//   needs a body that parses as an index or image manifest: its "mediaType",
//   else OCI index, Docker schema 2 (a Docker image config) or OCI manifest;
// - schema 1 (type or body) is kProtocol "schema 1 manifests are not supported; ...";
// - anything else (text/html...) or a body that is no manifest is kProtocol
//   "<server> does not look like a container registry: it answered ...
//   Content-Type ..." (`server` names who answered, e.g. "http://host:port").
Result<std::string> IdentifyManifest(std::string_view content_type, std::string_view body,
                                     std::string_view server = "the server");

// The first non-attestation entry whose platform matches `want`; nullptr if none.
const Descriptor* SelectPlatform(const ImageIndex& index, const Platform& want);

}  // namespace regdigest
