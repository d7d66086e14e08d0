// Which tags of a repository point at a digest or hold an image ID (`tags
// --digest D`, `compare --find-tags`), and every tag with its digest (`tags
// --digests`). Tags are HEADed in bulk through RegistrySession (one token,
// one HEAD per tag, the per-registry concurrency) in batches, so memory does
// not grow with the tag count beyond one digest index per tag. The lookup
// stops after the HEADs when a tag's own digest answers it; otherwise it GETs
// each distinct document once: the tags' manifests and indexes, then (only
// when no platform manifest matched) each distinct platform manifest for its
// config digest.
// Thread safety: one call at a time per RegistrySession.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/app/registry_session.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/platform.h"
#include "common/image/reference.h"
#include "common/registry/tag_list.h"

namespace regdigest {

// The tags of `repository` in lexical order (client/registry/tag_lister.h
// through the session's transport, so the same token), without digest-named
// tags (sha256-<hex>, .sig, .att, .sbom) unless `all`.
Result<std::vector<std::string>> ListTags(RegistrySession& session, const Reference& repository,
                                          bool all);

// `record --all-tags`: every listed tag (not the digest-named ones) of each
// repository among `repositories` (their tags, if any, are ignored), as
// references in lexical tag order, repositories in the order given, each once.
Result<std::vector<Reference>> AllTagReferences(RegistrySession& session,
                                                const std::vector<Reference>& repositories);

// HEADs tags this many at a time; tokens and connections carry over.
inline constexpr std::size_t kTagBatchSize = 1000;

// HEADs every tag of `repository` in batches and calls `each(i, result)` for
// tags[i] in order, batch after batch (so callers can print as they go).
using TagResultFn =
    std::function<void(std::size_t index, const Result<ManifestDescriptor>& result)>;
void ResolveTags(RegistrySession& session, const Reference& repository,
                 const std::vector<std::string>& tags, const TagResultFn& each,
                 const RegistrySession::Progress& progress = {});

enum class TagMatchKind {
  kIndex,             // the tag's own digest, an index
  kManifest,          // the tag's own digest, a single-platform manifest
  kPlatformManifest,  // a platform manifest inside the tag's index
  kConfig,            // the config (image ID) of the tag's manifest or of a platform in its index
};

struct TagMatch {
  std::string tag;
  TagMatchKind kind;
  Digest digest;  // what the tag points to
  std::string media_type;
  std::optional<Platform> platform;       // for matches inside an index
  std::optional<Digest> platform_digest;  // the platform manifest, when inside an index
  std::optional<Digest> config_digest;    // for config matches
};

// "index", "manifest", "platform linux/arm64 manifest", "config = image ID",
// "platform linux/arm64 config = image ID".
std::string DescribeMatch(const TagMatch& match);
// "index", "manifest", "platform-manifest", "config".
std::string MatchKindName(TagMatchKind kind);

struct TagLookup {
  std::vector<TagMatch> matches;             // in tag order
  std::vector<std::string> failures;         // one line each: a tag or document that failed
  std::vector<Digest> matched;               // distinct digests that matched the query, sorted
  std::size_t heads = 0, manifest_gets = 0;  // requests sent by the lookup

  // A short prefix matched more than one distinct digest (configs, say).
  bool ambiguous() const { return matched.size() > 1; }
};

TagLookup FindTags(RegistrySession& session, const Reference& repository,
                   const std::vector<std::string>& tags, const DigestQuery& query,
                   const RegistrySession::Progress& progress = {});

}  // namespace regdigest
