// Referrers: what is attached to a manifest through OCI 1.1's `subject`
// (signatures, attestations, SBOMs), found with the referrers API
// (GET /v2/<name>/referrers/<digest>, Link pagination, artifactType filter)
// or, when the registry has no such API, the fallback tag `sha256-<hex>`.
// Stateless apart from the RegistryClient it uses; safe from several threads
// as far as RegistryClient is.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/registry/registry_client.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/manifest.h"
#include "common/image/reference.h"

namespace regdigest {

// cosign v3's sigstore bundle referrer, and the spellings other tools push.
inline constexpr std::string_view kSigstoreBundleArtifactType =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
bool IsSigstoreBundleArtifactType(std::string_view artifact_type);

// Limits on what a registry may make us read.
inline constexpr int kMaxReferrerPages = 16;
inline constexpr std::size_t kMaxReferrers = 1024;

struct Referrer {
  Descriptor descriptor;      // digest, mediaType, size, annotations of the entry
  std::string artifact_type;  // the entry's artifactType, "" when absent
};

enum class ReferrersSource {
  kApi,          // the registry's referrers API answered
  kFallbackTag,  // the API is missing; the tag sha256-<hex> was read
};

struct ReferrerList {
  std::vector<Referrer> referrers;
  ReferrersSource source = ReferrersSource::kApi;
  int pages = 0;           // API pages read (0 for the fallback tag)
  bool truncated = false;  // a page or count cap was hit
};

// The entries of an image index answered by the referrers API or stored at
// the fallback tag. kProtocol when the body is not an index.
Result<std::vector<Referrer>> ParseReferrersIndex(std::string_view body);

// The target of the first `Link: <target>; rel="next"` among the header
// values, nullopt when there is none.
std::optional<std::string> NextLinkTarget(const std::vector<std::string>& link_values);

// "sha256-<hex>", and with a suffix "sha256-<hex>.sig" (cosign's tags).
std::string DigestTag(const Digest& subject, std::string_view suffix = "");

class ReferrersClient {
 public:
  explicit ReferrersClient(RegistryClient& client) : client_(client) {}

  // Every referrer of `subject` in `repository` (its tag/digest are ignored),
  // only those of `artifact_type` when it is not empty. The API is asked
  // first; on 404, 400, 406 or an answer that is not an index the fallback
  // tag is read (missing tag = no referrers). A `next` link to another host
  // or repository is refused (kProtocol); at most kMaxReferrerPages pages and
  // kMaxReferrers entries are read (truncated is set then).
  Result<ReferrerList> List(const Reference& repository, const Digest& subject,
                            const std::string& artifact_type = "");

 private:
  Result<ReferrerList> FromFallbackTag(const Reference& repository, const Digest& subject,
                                       const std::string& artifact_type);

  RegistryClient& client_;
};

// `repository` with `tag` (Name():tag), or `@digest`.
Result<Reference> WithTag(const Reference& repository, const std::string& tag);
Result<Reference> WithDigest(const Reference& repository, const Digest& digest);

}  // namespace regdigest
