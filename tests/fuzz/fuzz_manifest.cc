// Fuzz target: manifest documents (common/manifest.h). The same bytes are
// parsed as an image index, an image manifest and an image config. Parsed
// descriptors must hold valid digests and non-negative sizes, platform
// normalisation must be idempotent, and SelectPlatform may only pick a
// non-attestation entry of the wanted platform. IdentifyManifest accepts a
// body under a generic Content-Type only as a manifest that parses.
#include <string>

#include "common/image/manifest.h"
#include "common/image/media_types.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

void CheckDescriptor(const Descriptor& d) {
  FUZZ_CHECK(d.size >= 0);
  Result<Digest> digest = Digest::Parse(d.digest.String());
  FUZZ_CHECK(digest.ok() && *digest == d.digest);
  if (d.platform) {
    const Platform normalized = d.platform->Normalized();
    FUZZ_CHECK(normalized.Normalized() == normalized);
    FUZZ_CHECK(d.platform->Matches(*d.platform));
  }
  (void)d.IsAttestation();
}

void CheckIndex(const ImageIndex& index) {
  for (const Descriptor& d : index.manifests) {
    CheckDescriptor(d);
    if (!d.platform) continue;
    const Descriptor* picked = SelectPlatform(index, *d.platform);
    if (picked != nullptr) {
      FUZZ_CHECK(!picked->IsAttestation());
      FUZZ_CHECK(picked->platform && picked->platform->Matches(*d.platform));
    } else {
      FUZZ_CHECK(d.IsAttestation());
    }
  }
  for (const char* wanted : {"linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"}) {
    const Descriptor* picked = SelectPlatform(index, *Platform::Parse(wanted));
    if (picked != nullptr) FUZZ_CHECK(!picked->IsAttestation());
  }
}

void CheckManifest(const ImageManifest& manifest) {
  CheckDescriptor(manifest.config);
  for (const Descriptor& layer : manifest.layers) CheckDescriptor(layer);
  FUZZ_CHECK(manifest.LayersSize() >= 0);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view body = fuzz::AsText(data, size);
  if (Result<ImageIndex> index = ParseImageIndex(body); index.ok()) {
    fuzz::CheckIndex(*index);
  } else {
    FUZZ_CHECK(index.status().code() == StatusCode::kProtocol);
  }
  if (Result<ImageManifest> manifest = ParseImageManifest(body); manifest.ok()) {
    fuzz::CheckManifest(*manifest);
  } else {
    FUZZ_CHECK(manifest.status().code() == StatusCode::kProtocol);
  }
  if (Result<ImageConfig> config = ParseImageConfig(body); !config.ok()) {
    FUZZ_CHECK(config.status().code() == StatusCode::kProtocol);
  }
  // Only manifests are manifests: a body under a generic Content-Type is
  // accepted only with a manifest media type, and then it parses as that kind.
  if (Result<std::string> type = IdentifyManifest("application/octet-stream", body); type.ok()) {
    FUZZ_CHECK(IsManifestMediaType(*type));
    FUZZ_CHECK(IsIndexMediaType(*type) ? ParseImageIndex(body).ok()
                                       : ParseImageManifest(body).ok());
  } else {
    FUZZ_CHECK(type.status().code() == StatusCode::kProtocol);
  }
  return 0;
}
