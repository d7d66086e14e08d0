// The comparer: a pure function deciding whether a local image is the content
// a registry tag points to now, and which rule proved it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/image/digest.h"
#include "common/image/reference.h"

namespace regdigest {

enum class ImageStore { kClassic, kContainerd };
std::string_view ImageStoreName(ImageStore store);  // "classic", "containerd"

enum class CompareStatus { kMatch, kStale, kAbsent, kUnknown };
std::string_view CompareStatusName(CompareStatus status);  // "match", "stale", "absent", "unknown"

enum class MatchRule { kNone, kRepoDigest, kConfigDigest, kContainerdId };
// "none", "repoDigest", "configDigest", "containerdId"
std::string_view MatchRuleName(MatchRule rule);

struct RegistryFacts {
  Reference reference;  // with tag
  Digest digest;        // what the tag points to now (HEAD)
  std::string media_type;
  std::optional<Digest> platform_digest;  // manifest for the engine's platform (index only)
  std::optional<Digest> config_digest;    // config of that manifest, when fetched
};

struct LocalFacts {
  std::string id;                         // "sha256:…" as the engine reports it
  std::vector<std::string> repo_digests;  // "name@sha256:…" as the engine reports them
  ImageStore store = ImageStore::kClassic;
};

struct Comparison {
  CompareStatus status = CompareStatus::kUnknown;
  MatchRule rule = MatchRule::kNone;
  std::optional<Digest> pulled_digest;  // the RepoDigests entry of this repository, if any
  std::string explanation;              // one sentence for a person
};

// Rules, in order: RepoDigests entry of the same repository equals the
// registry digest (match/repoDigest); containerd store and id equals the
// manifest, index or platform digest (match/containerdId); classic store and id
// equals the config digest (match/configDigest); a RepoDigests entry of the
// repository with another digest (stale); no local image (absent); else unknown.
Comparison Compare(const RegistryFacts& registry, const std::optional<LocalFacts>& local);

// True when the decision needs registry.config_digest (a GET) that a HEAD
// did not give: no RepoDigests entry of the repository matched.
bool NeedsConfigDigest(const RegistryFacts& registry, const std::optional<LocalFacts>& local);

}  // namespace regdigest
