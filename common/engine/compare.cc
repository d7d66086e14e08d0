#include "common/engine/compare.h"

#include <string>
#include <utility>

#include "common/image/media_types.h"

namespace regdigest {
namespace {

// What the local image's RepoDigests say about the registry's repository.
struct RepoEvidence {
  bool matched = false;             // an entry of this repository equals registry.digest
  std::optional<Digest> pulled;     // the matching entry, else the first of this repository
  std::vector<std::string> others;  // familiar names of other repositories listed
};

RepoEvidence ExamineRepoDigests(const RegistryFacts& registry, const LocalFacts& local) {
  RepoEvidence evidence;
  const std::string name = registry.reference.Name();
  const bool podman = local.engine == EngineKind::kPodman;
  for (const std::string& entry : local.repo_digests) {
    Result<Reference> ref = Reference::Parse(entry);
    if (!ref.ok() || !ref->digest()) continue;  // "<none>@<none>" and the like
    if (ref->Name() != name) {
      evidence.others.push_back(ref->FamiliarName());
      continue;
    }
    if (*ref->digest() == registry.digest) {
      evidence.matched = true;
      evidence.pulled = *ref->digest();
    } else if (!evidence.matched && !evidence.pulled &&
               (!podman || ref->digest() == local.engine_digest)) {
      // Podman lists every name with every digest: only its `Digest` was pulled.
      evidence.pulled = *ref->digest();
    }
  }
  return evidence;
}

// The image ID as a Digest; engines that omit the "sha256:" prefix are accepted.
std::optional<Digest> IdDigest(const std::string& id) {
  Result<Digest> d = Digest::Parse(id);
  if (d.ok()) return *d;
  if (id.find(':') == std::string::npos) {
    Result<Digest> prefixed = Digest::Parse("sha256:" + id);
    if (prefixed.ok()) return *prefixed;
  }
  return std::nullopt;
}

// Twelve hex characters, as `docker images` shows IDs.
std::string Short(const Digest& d) { return d.ShortHex(); }
std::string ShortId(const LocalFacts& local) {
  std::optional<Digest> d = IdDigest(local.id);
  return d ? Short(*d) : local.id.substr(0, 12);
}

// "index digest" or "manifest digest", from the registry's media type.
std::string RegistryDigestKind(const RegistryFacts& registry) {
  const bool index = IsIndexMediaType(registry.media_type) || registry.platform_digest.has_value();
  return index ? "index digest" : "manifest digest";
}

std::string ExplainRepoDigest(const RegistryFacts& registry, const LocalFacts& local,
                              const std::optional<Digest>& id) {
  const std::string ref = registry.reference.FamiliarString();
  std::string out = "The local image's RepoDigests record " + Short(registry.digest) + ", the " +
                    RegistryDigestKind(registry) + " " + ref + " points to now";
  if (id && *id == registry.digest) {
    out += ", and its image ID " + ShortId(local) + " is that same digest";
  } else if (local.store == ImageStore::kContainerd) {
    out += "; its image ID " + ShortId(local) + " is a different manifest digest";
  } else {
    out += "; its image ID " + ShortId(local) +
           " is the config digest, not a manifest digest, which is why the two differ";
  }
  return out + ".";
}

std::string ExplainContainerdId(const RegistryFacts& registry, const LocalFacts& local,
                                const Digest& id) {
  const std::string ref = registry.reference.FamiliarString();
  if (id == registry.digest) {
    return "The local image ID " + ShortId(local) + " is the " + RegistryDigestKind(registry) +
           " " + ref + " points to now, as the containerd image store names images by it.";
  }
  return "The local image ID " + ShortId(local) + " is the platform manifest digest of index " +
         Short(registry.digest) + " that " + ref +
         " points to now, as the containerd image store names images by manifest digest.";
}

std::string ExplainConfigDigest(const RegistryFacts& registry, const LocalFacts& local,
                                const RepoEvidence& evidence) {
  std::string out = "The local image ID " + ShortId(local) +
                    " is the config digest of the manifest " + registry.reference.FamiliarString() +
                    " points to now (" + RegistryDigestKind(registry) + " " +
                    Short(registry.digest) +
                    "), so it is the same content reached through a different manifest";
  if (evidence.pulled) {
    out += " (its RepoDigests record " + Short(*evidence.pulled) + ")";
  }
  return out + ".";
}

std::string ExplainStale(const RegistryFacts& registry, const LocalFacts& local,
                         const Digest& pulled) {
  return "The tag " + registry.reference.FamiliarString() +
         " has moved since you pulled: you pulled " + Short(pulled) + " (image ID " +
         ShortId(local) + "), the registry now has " + RegistryDigestKind(registry) + " " +
         Short(registry.digest) + ".";
}

std::string ExplainPodmanLocal(const RegistryFacts& registry, const LocalFacts& local,
                               const Digest& listed) {
  const std::string repo = registry.reference.FamiliarName();
  return "Podman lists the local image (image ID " + ShortId(local) + ") as " + repo + "@" +
         Short(listed) + ", but " + repo +
         " has no such manifest: Podman names every image it tags, imports, loads or builds "
         "that way, so it was made locally, never pulled from this repository, and nothing "
         "links it to the registry's " +
         RegistryDigestKind(registry) + " " + Short(registry.digest) + ".";
}

std::string ExplainAbsent(const RegistryFacts& registry) {
  return "There is no local image " + registry.reference.FamiliarString() + "; the registry has " +
         RegistryDigestKind(registry) + " " + Short(registry.digest) + ".";
}

std::string ExplainUnknown(const RegistryFacts& registry, const LocalFacts& local,
                           const RepoEvidence& evidence) {
  const std::string repo = registry.reference.FamiliarName();
  std::string out =
      "The local image (image ID " + ShortId(local) + ") has no RepoDigests entry for " + repo;
  if (!evidence.others.empty()) {
    out += " (only for ";
    for (size_t i = 0; i < evidence.others.size(); ++i) {
      if (i > 0) out += ", ";
      out += evidence.others[i];
    }
    out += ")";
  }
  out += evidence.others.empty()
             ? ", so it was built or loaded locally, never pulled from this repository, and "
             : ", so it was never pulled from this repository, and ";
  out += "nothing links it to the registry's " + RegistryDigestKind(registry) + " " +
         Short(registry.digest);
  if (ImageIdIsConfigDigest(local.store) && registry.config_digest) {
    out += " or config digest " + Short(*registry.config_digest);
  }
  return out + ".";
}

}  // namespace

std::string_view ImageStoreName(ImageStore store) {
  switch (store) {
    case ImageStore::kClassic:
      return "classic";
    case ImageStore::kContainerd:
      return "containerd";
    case ImageStore::kContainersStorage:
      return "containers-storage";
  }
  return "classic";
}

bool ImageIdIsConfigDigest(ImageStore store) { return store != ImageStore::kContainerd; }

std::string_view EngineKindName(EngineKind kind) {
  return kind == EngineKind::kPodman ? "podman" : "docker";
}

std::string_view CompareStatusName(CompareStatus status) {
  switch (status) {
    case CompareStatus::kMatch:
      return "match";
    case CompareStatus::kStale:
      return "stale";
    case CompareStatus::kAbsent:
      return "absent";
    case CompareStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view MatchRuleName(MatchRule rule) {
  switch (rule) {
    case MatchRule::kNone:
      return "none";
    case MatchRule::kRepoDigest:
      return "repoDigest";
    case MatchRule::kConfigDigest:
      return "configDigest";
    case MatchRule::kContainerdId:
      return "containerdId";
  }
  return "none";
}

Comparison Compare(const RegistryFacts& registry, const std::optional<LocalFacts>& local) {
  Comparison result;
  if (!local) {
    result.status = CompareStatus::kAbsent;
    result.explanation = ExplainAbsent(registry);
    return result;
  }
  const RepoEvidence evidence = ExamineRepoDigests(registry, *local);
  const std::optional<Digest> id = IdDigest(local->id);
  result.pulled_digest = evidence.pulled;

  // 1. RepoDigests entry of this repository equals the registry digest.
  if (evidence.matched) {
    result.status = CompareStatus::kMatch;
    result.rule = MatchRule::kRepoDigest;
    result.explanation = ExplainRepoDigest(registry, *local, id);
    return result;
  }
  // 2. containerd store: the ID is the index or manifest digest.
  if (local->store == ImageStore::kContainerd && id &&
      (*id == registry.digest || (registry.platform_digest && *id == *registry.platform_digest))) {
    result.status = CompareStatus::kMatch;
    result.rule = MatchRule::kContainerdId;
    result.explanation = ExplainContainerdId(registry, *local, *id);
    return result;
  }
  // 3. classic store (or Podman's): the ID is the config digest.
  if (ImageIdIsConfigDigest(local->store) && id && registry.config_digest &&
      *id == *registry.config_digest) {
    result.status = CompareStatus::kMatch;
    result.rule = MatchRule::kConfigDigest;
    result.explanation = ExplainConfigDigest(registry, *local, evidence);
    return result;
  }
  // 4. Pulled from this repository, but from another digest. Podman's
  // digest that the repository does not have was made locally.
  if (evidence.pulled && local->engine == EngineKind::kPodman &&
      registry.pulled_digest_in_repository == false) {
    result.status = CompareStatus::kUnknown;
    result.explanation = ExplainPodmanLocal(registry, *local, *evidence.pulled);
    return result;
  }
  if (evidence.pulled) {
    result.status = CompareStatus::kStale;
    result.explanation = ExplainStale(registry, *local, *evidence.pulled);
    return result;
  }
  // 6. Nothing links the local image to the registry.
  result.status = CompareStatus::kUnknown;
  result.explanation = ExplainUnknown(registry, *local, evidence);
  return result;
}

bool NeedsConfigDigest(const RegistryFacts& registry, const std::optional<LocalFacts>& local) {
  if (!local || !ImageIdIsConfigDigest(local->store) || registry.config_digest) return false;
  return !ExamineRepoDigests(registry, *local).matched;
}

std::optional<Digest> PodmanDigestToConfirm(const RegistryFacts& registry,
                                            const std::optional<LocalFacts>& local) {
  if (!local || local->engine != EngineKind::kPodman ||
      registry.pulled_digest_in_repository.has_value()) {
    return std::nullopt;
  }
  const Comparison decided = Compare(registry, local);
  if (decided.status != CompareStatus::kStale) return std::nullopt;
  return decided.pulled_digest;
}

}  // namespace regdigest
