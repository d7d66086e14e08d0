#include "cli/tags/tag_lookup.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>

#include "client/registry/tag_lister.h"
#include "common/image/manifest.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

Result<Reference> WithTag(const Reference& repository, const std::string& tag) {
  return Reference::Parse(repository.Name() + ":" + tag);
}

Reference ByDigest(const Reference& repository, const Digest& digest) {
  return Reference::Parse(repository.Name() + "@" + digest.String()).value();
}

// One match inside a document, shared by every tag that points at it.
struct DocumentMatch {
  TagMatchKind kind;
  std::optional<Platform> platform;
  std::optional<Digest> platform_digest;
  std::optional<Digest> config_digest;
};

// A distinct document some tag points at, and what the GETs learnt of it.
struct Document {
  Document(Digest d, std::string type) : digest(std::move(d)), media_type(std::move(type)) {}
  Digest digest;
  std::string media_type;
  bool is_index = false;
  std::vector<Descriptor> entries;  // an index's non-attestation entries
  std::optional<Digest> config;     // a manifest's config
  std::string error;                // the GET or the parse failed
  std::vector<DocumentMatch> matches;
};

// GETs the document `digest` names and reads an index's entries or a
// manifest's config into `doc`.
void ReadDocument(RegistryClient& client, const Reference& repository, Document& doc) {
  Result<FetchedManifest> fetched = client.Fetch(ByDigest(repository, doc.digest));
  if (!fetched.ok()) {
    doc.error = fetched.status().message();
    return;
  }
  const std::string& type =
      fetched->descriptor.media_type.empty() ? doc.media_type : fetched->descriptor.media_type;
  if (IsIndexMediaType(type)) {
    Result<ImageIndex> index = ParseImageIndex(fetched->body);
    if (!index.ok()) {
      doc.error = index.status().message();
      return;
    }
    doc.is_index = true;
    for (Descriptor& entry : index->manifests) {
      if (!entry.IsAttestation()) doc.entries.push_back(std::move(entry));
    }
    return;
  }
  Result<ImageManifest> manifest = ParseImageManifest(fetched->body);
  if (!manifest.ok()) {
    doc.error = manifest.status().message();
    return;
  }
  doc.config = manifest->config.digest;
}

// GETs every document in `docs` (by digest), the registry's concurrency at a time.
void ReadAll(RegistrySession& session, const Reference& repository, std::vector<Document>& docs) {
  std::vector<const Reference*> references(docs.size(), &repository);
  session.ForEachByRegistry(
      references, [&](std::size_t i) { ReadDocument(session.client(), repository, docs[i]); });
}

}  // namespace

Result<std::vector<std::string>> ListTags(RegistrySession& session, const Reference& repository,
                                          bool all) {
  TagLister lister(session.transport(), session.config(), {}, session.client().schemes());
  Result<TagList> list = lister.List(repository);
  if (!list.ok()) return list.status();
  if (all) return std::move(list->tags);
  std::vector<std::string> shown;
  shown.reserve(list->tags.size());
  for (std::string& tag : list->tags) {
    if (!IsDigestTag(tag)) shown.push_back(std::move(tag));
  }
  return shown;
}

Result<std::vector<Reference>> AllTagReferences(RegistrySession& session,
                                                const std::vector<Reference>& repositories) {
  std::vector<Reference> references;
  std::set<std::string> seen;
  for (const Reference& repository : repositories) {
    if (!seen.insert(repository.Name()).second) continue;
    Result<std::vector<std::string>> tags = ListTags(session, repository, false);
    if (!tags.ok()) return tags.status();
    for (const std::string& tag : *tags) {
      Result<Reference> reference = WithTag(repository, tag);
      if (reference.ok()) references.push_back(std::move(reference).value());
    }
  }
  return references;
}

void ResolveTags(RegistrySession& session, const Reference& repository,
                 const std::vector<std::string>& tags, const TagResultFn& each,
                 const RegistrySession::Progress& progress) {
  std::size_t failed_before = 0;
  for (std::size_t start = 0; start < tags.size(); start += kTagBatchSize) {
    const std::size_t end = std::min(start + kTagBatchSize, tags.size());
    std::vector<Reference> references;
    std::vector<std::size_t> positions;
    references.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) {
      Result<Reference> reference = WithTag(repository, tags[i]);
      if (!reference.ok()) {
        each(i, reference.status());
        continue;
      }
      references.push_back(std::move(reference).value());
      positions.push_back(i);
    }
    std::vector<Result<ManifestDescriptor>> results =
        session.ResolveAll(references, [&](std::size_t done, std::size_t, std::size_t failed) {
          if (progress) progress(start + done, tags.size(), failed_before + failed);
        });
    for (std::size_t k = 0; k < results.size(); ++k) {
      failed_before += results[k].ok() ? 0 : 1;
      each(positions[k], results[k]);
    }
  }
}

std::string MatchKindName(TagMatchKind kind) {
  switch (kind) {
    case TagMatchKind::kIndex:
      return "index";
    case TagMatchKind::kManifest:
      return "manifest";
    case TagMatchKind::kPlatformManifest:
      return "platform-manifest";
    case TagMatchKind::kConfig:
      return "config";
  }
  return "unknown";
}

std::string DescribeMatch(const TagMatch& match) {
  const std::string platform = match.platform ? "platform " + match.platform->String() + " " : "";
  switch (match.kind) {
    case TagMatchKind::kIndex:
      return "index";
    case TagMatchKind::kManifest:
      return "manifest";
    case TagMatchKind::kPlatformManifest:
      return platform + "manifest";
    case TagMatchKind::kConfig:
      return platform + "config = image ID";
  }
  return "unknown";
}

TagLookup FindTags(RegistrySession& session, const Reference& repository,
                   const std::vector<std::string>& tags, const DigestQuery& query,
                   const RegistrySession::Progress& progress) {
  TagLookup lookup;
  std::set<Digest> matched;
  // 1. HEAD every tag; each tag keeps the index of its distinct document.
  std::vector<Document> docs;
  std::map<Digest, std::size_t> doc_index;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> doc_of(tags.size(), kNone);
  ResolveTags(
      session, repository, tags,
      [&](std::size_t i, const Result<ManifestDescriptor>& result) {
        ++lookup.heads;
        if (!result.ok()) {
          lookup.failures.push_back(tags[i] + ": " + result.status().message());
          return;
        }
        auto [it, added] = doc_index.emplace(result->digest, docs.size());
        if (added) docs.push_back(Document(result->digest, result->media_type));
        doc_of[i] = it->second;
      },
      progress);
  bool answered = false;
  for (Document& doc : docs) {
    if (!query.Matches(doc.digest)) continue;
    doc.matches.push_back(
        {IsIndexMediaType(doc.media_type) ? TagMatchKind::kIndex : TagMatchKind::kManifest,
         std::nullopt, std::nullopt, std::nullopt});
    matched.insert(doc.digest);
    answered = true;
  }
  // 2. GET each distinct document once: index entries, manifest configs.
  if (!answered && !docs.empty()) {
    ReadAll(session, repository, docs);
    lookup.manifest_gets += docs.size();
    for (Document& doc : docs) {
      for (const Descriptor& entry : doc.entries) {
        if (!query.Matches(entry.digest)) continue;
        doc.matches.push_back(
            {TagMatchKind::kPlatformManifest, entry.platform, entry.digest, std::nullopt});
        matched.insert(entry.digest);
        answered = true;
      }
      if (doc.config && query.Matches(*doc.config)) {
        doc.matches.push_back({TagMatchKind::kConfig, std::nullopt, std::nullopt, doc.config});
        matched.insert(*doc.config);
      }
    }
  }
  // 3. No platform manifest matched: GET each distinct platform manifest
  // (not already read as a tag's own document) for its config.
  if (!answered) {
    std::vector<Document> platforms;
    std::map<Digest, std::size_t> platform_index;
    for (const Document& doc : docs) {
      for (const Descriptor& entry : doc.entries) {
        if (doc_index.count(entry.digest) || platform_index.count(entry.digest)) continue;
        platform_index.emplace(entry.digest, platforms.size());
        platforms.push_back(Document(entry.digest, entry.media_type));
      }
    }
    ReadAll(session, repository, platforms);
    lookup.manifest_gets += platforms.size();
    for (const Document& p : platforms) {
      if (!p.error.empty()) lookup.failures.push_back(p.digest.String() + ": " + p.error);
    }
    for (Document& doc : docs) {
      for (const Descriptor& entry : doc.entries) {
        auto own = doc_index.find(entry.digest);
        const Document& p =
            own != doc_index.end() ? docs[own->second] : platforms[platform_index.at(entry.digest)];
        if (!p.config || !query.Matches(*p.config)) continue;
        doc.matches.push_back({TagMatchKind::kConfig, entry.platform, entry.digest, p.config});
        matched.insert(*p.config);
      }
    }
  }
  for (const Document& doc : docs) {
    if (!doc.error.empty()) lookup.failures.push_back(doc.digest.String() + ": " + doc.error);
  }
  // In tag order: every match of the document each tag points at.
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (doc_of[i] == kNone) continue;
    const Document& doc = docs[doc_of[i]];
    for (const DocumentMatch& m : doc.matches) {
      lookup.matches.push_back(TagMatch{tags[i], m.kind, doc.digest, doc.media_type, m.platform,
                                        m.platform_digest, m.config_digest});
    }
  }
  lookup.matched.assign(matched.begin(), matched.end());
  return lookup;
}

}  // namespace regdigest
