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

// Where the engine keeps images, which decides what its image ID is: the
// config digest (Docker's classic store, Podman's containers/storage) or the
// manifest digest (Docker's containerd image store).
enum class ImageStore { kClassic, kContainerd, kContainersStorage };
// "classic", "containerd", "containers-storage"
std::string_view ImageStoreName(ImageStore store);
// True for the stores whose image ID is the config digest.
bool ImageIdIsConfigDigest(ImageStore store);

// Which engine answered: Docker, or Podman's Docker-compatible API, whose
// RepoDigests list every name of an image with every digest it has (also for
// images it tagged, imported, loaded or built), so only its `Digest` field
// tells what it pulled.
enum class EngineKind { kDocker, kPodman };
std::string_view EngineKindName(EngineKind kind);  // "docker", "podman"

enum class CompareStatus { kMatch, kStale, kAbsent, kUnknown };
std::string_view CompareStatusName(CompareStatus status);  // "match", "stale", "absent", "unknown"

enum class MatchRule { kNone, kRepoDigest, kConfigDigest, kContainerdId };
// "none", "repoDigest", "configDigest", "containerdId"
std::string_view MatchRuleName(MatchRule rule);

struct RegistryFacts {
  Reference reference;  // with tag
  Digest digest;        // what the tag points to now (HEAD)
  std::string media_type;
  std::optional<Digest> platform_digest{};  // manifest for the engine's platform (index only)
  std::optional<Digest> config_digest{};    // config of that manifest, when fetched
  // Podman only: whether the repository has the manifest Podman's `Digest`
  // names (a HEAD of NAME@DIGEST), asked when that digest is the only
  // evidence of a pull (PodmanDigestToConfirm); nullopt when not asked.
  std::optional<bool> pulled_digest_in_repository{};
};

struct LocalFacts {
  std::string id;                         // "sha256:…" as the engine reports it
  std::vector<std::string> repo_digests;  // "name@sha256:…" as the engine reports them
  ImageStore store = ImageStore::kClassic;
  EngineKind engine = EngineKind::kDocker;
  // Podman's `Digest`: the manifest digest of the image as Podman stored it
  // (what it pulled, or one it computed for a local image); else nullopt.
  std::optional<Digest> engine_digest{};
  std::string engine_label{};  // "Docker 20.10.24", "Podman 4.3.1" (for people)
};

struct Comparison {
  CompareStatus status = CompareStatus::kUnknown;
  MatchRule rule = MatchRule::kNone;
  std::optional<Digest> pulled_digest;  // the RepoDigests entry of this repository, if any
  std::string explanation;              // one sentence for a person
};

// Rules, in order: RepoDigests entry of the same repository equals the
// registry digest (match/repoDigest); containerd store and id equals the
// manifest, index or platform digest (match/containerdId); classic store (or
// Podman's) and id equals the config digest (match/configDigest); a RepoDigests
// entry of the repository with another digest (stale); no local image
// (absent); else unknown. For Podman only the entry with its `Digest` counts as
// a pull, and only when the repository has that manifest
// (registry.pulled_digest_in_repository is not false): a digest the registry
// does not have was made locally (unknown).
Comparison Compare(const RegistryFacts& registry, const std::optional<LocalFacts>& local);

// True when the decision needs registry.config_digest (a GET) that a HEAD
// did not give: no RepoDigests entry of the repository matched.
bool NeedsConfigDigest(const RegistryFacts& registry, const std::optional<LocalFacts>& local);

// Podman: the digest to look up in the registry's repository (HEAD
// NAME@DIGEST) before a stale verdict can be given, when nothing else decided
// and registry.pulled_digest_in_repository is still unknown; else nullopt.
std::optional<Digest> PodmanDigestToConfirm(const RegistryFacts& registry,
                                            const std::optional<LocalFacts>& local);

}  // namespace regdigest
