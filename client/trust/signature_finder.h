// SignatureFinder: fetches what may sign an image from its repository, both
// formats of issue 13, as untrusted bytes for common/trust's verifier:
//  - cosign's tag format: the manifest at `sha256-<hex>.sig` (also .att and
//    .sbom for listings), each simple-signing layer's blob (digest-verified,
//    capped) with the layer's annotations;
//  - sigstore bundles attached as OCI referrers: the referrer manifest and its
//    one bundle layer (digest-verified, capped).
// Hostile content (an index at .sig, too many layers, a blob over its cap or
// not matching its digest, a referrer without one bundle layer) is reported
// as a `problem` of that signature, never as an error of the run; errors are
// what prevents a decision (network, auth, 5xx).
// Stateless apart from the RegistryClient it uses.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/registry/registry_client.h"
#include "client/trust/referrers.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/reference.h"

namespace regdigest {

inline constexpr std::string_view kSimpleSigningMediaType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr std::size_t kMaxSignatureLayers = 64;
inline constexpr std::size_t kMaxPayloadBytes = 256 * 1024;
inline constexpr std::size_t kMaxBundleBytes = 1024 * 1024;

// One manifest at a cosign tag (sha256-<hex>.sig / .att / .sbom).
struct CosignTagManifest {
  std::string tag;
  Digest digest;  // of the manifest the tag points to
  std::string media_type;
  bool is_index = false;
  std::vector<Descriptor> layers;  // empty for an index
  std::size_t index_entries = 0;   // for an index
};

// One simple-signing layer of a .sig manifest.
struct FetchedCosignLayer {
  Digest digest;  // the layer blob's digest
  std::string payload;
  std::map<std::string, std::string> annotations;
  std::string problem;  // non-empty: why the layer could not be read
};

struct CosignSignatures {
  Digest manifest_digest;  // the .sig manifest
  std::vector<FetchedCosignLayer> layers;
  std::string problem;  // non-empty: the manifest itself is unusable (index, too many layers)
};

struct BundleReferrer {
  Digest digest;  // the referrer manifest
  std::string artifact_type;
  std::string bundle_json;
  std::string problem;
};

class SignatureFinder {
 public:
  explicit SignatureFinder(RegistryClient& client) : client_(client), referrers_(client) {}

  // The manifest at DigestTag(subject, suffix); nullopt when the tag does
  // not exist (404).
  Result<std::optional<CosignTagManifest>> FetchCosignTag(const Reference& repository,
                                                          const Digest& subject,
                                                          std::string_view suffix);

  // The .sig manifest and one blob GET per simple-signing layer; nullopt
  // when there is no .sig tag.
  Result<std::optional<CosignSignatures>> Cosign(const Reference& repository,
                                                 const Digest& subject);

  // Sigstore bundle referrers of `subject`: the referrers lookup, then per
  // bundle referrer one manifest GET and one blob GET.
  Result<std::vector<BundleReferrer>> Bundles(const Reference& repository, const Digest& subject);

  ReferrersClient& referrers() { return referrers_; }

 private:
  Result<BundleReferrer> FetchBundle(const Reference& repository, const Referrer& referrer);

  RegistryClient& client_;
  ReferrersClient referrers_;
};

}  // namespace regdigest
