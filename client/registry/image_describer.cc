#include "client/registry/image_describer.h"

#include <utility>

#include "common/base/display_text.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

enum class DocumentKind { kIndex, kManifest };

// RegistryClient::Fetch names every document's manifest type (from
// Content-Type, or from the body when the type was generic), and refuses
// schema 1 and anything that is not a manifest.
DocumentKind KindOf(const FetchedManifest& fetched, std::string& media_type) {
  media_type = fetched.descriptor.media_type;
  return IsIndexMediaType(media_type) ? DocumentKind::kIndex : DocumentKind::kManifest;
}

Reference ByDigest(const Reference& repository, const Digest& digest) {
  // Name() and a valid digest always form a valid reference.
  return Reference::Parse(repository.Name() + "@" + digest.String()).value();
}

std::string PlatformList(const std::vector<Descriptor>& entries) {
  std::string list;
  for (const Descriptor& entry : entries) {
    if (!list.empty()) list += ", ";
    list += entry.platform ? entry.platform->String() : "(no platform)";
  }
  return list.empty() ? "none" : list;
}

Status NoSuchPlatform(const Platform& want, const Reference& reference,
                      const std::vector<Descriptor>& entries) {
  return Status(StatusCode::kNotFound, "no " + want.String() + " image in " + reference.String() +
                                           "; available: " + PlatformList(entries));
}

Status WrongSinglePlatform(const Platform& want, const Reference& reference,
                           const Platform& actual) {
  return Status(StatusCode::kNotFound, "no " + want.String() + " image in " + reference.String() +
                                           ": it is a single-platform image for " +
                                           actual.String());
}

// Image manifest (already fetched and verified) -> its config, verified too.
Result<PlatformImage> DescribeManifest(RegistryClient& client, const Reference& reference,
                                       const FetchedManifest& fetched,
                                       const std::string& media_type,
                                       const std::optional<Platform>& index_platform) {
  Result<ImageManifest> manifest = ParseImageManifest(fetched.body);
  if (!manifest.ok()) return manifest.status().WithContext(reference.String());
  Result<std::string> config_body = client.FetchBlob(reference, manifest->config.digest);
  if (!config_body.ok()) return config_body.status().WithContext("image config");
  Result<ImageConfig> config = ParseImageConfig(*config_body);
  if (!config.ok()) {
    return config.status().WithContext(reference.Name() + "@" + manifest->config.digest.String());
  }
  Platform config_platform{config->os, config->architecture, config->variant};
  return PlatformImage{
      .platform = index_platform.value_or(config_platform),
      .manifest_digest = fetched.descriptor.digest,
      .media_type = media_type,
      .manifest_size = static_cast<int64_t>(fetched.body.size()),
      .config_digest = manifest->config.digest,
      .layer_count = static_cast<int>(manifest->layers.size()),
      .layers_size = manifest->LayersSize(),
      .created = config->created,
      .config_platform = std::move(config_platform),
  };
}

// One index entry: GET its manifest by digest (verified), then its config.
Result<PlatformImage> DescribeEntry(RegistryClient& client, const Reference& reference,
                                    const Descriptor& entry) {
  const Reference child = ByDigest(reference, entry.digest);
  Result<FetchedManifest> fetched = client.Fetch(child);
  if (!fetched.ok()) return fetched.status();
  std::string media_type;
  DocumentKind kind = KindOf(*fetched, media_type);
  if (kind == DocumentKind::kIndex) {
    return Status(
        StatusCode::kProtocol,
        child.String() + " is an index inside an index; nested indexes are not supported");
  }
  return DescribeManifest(client, child, *fetched, media_type, entry.platform);
}

}  // namespace

Result<ImageDescription> ImageDescriber::Describe(const Reference& reference,
                                                  const std::optional<Platform>& only) {
  const Reference ref = reference.WithDefaultTag();
  Result<FetchedManifest> fetched = client_.Fetch(ref);
  if (!fetched.ok()) return fetched.status();
  std::string media_type;
  const DocumentKind kind = KindOf(*fetched, media_type);
  ImageDescription description{.reference = ref,
                               .digest = fetched->descriptor.digest,
                               .media_type = media_type,
                               .is_index = false,
                               .platforms = {},
                               .index_entries = {},
                               .attestation_count = 0};

  if (kind == DocumentKind::kManifest) {
    Result<PlatformImage> image =
        DescribeManifest(client_, ref, *fetched, media_type, std::nullopt);
    if (!image.ok()) return image.status();
    if (only && !image->config_platform.Matches(*only)) {
      return WrongSinglePlatform(*only, ref, image->config_platform);
    }
    description.platforms.push_back(std::move(image).value());
    return description;
  }

  Result<ImageIndex> index = ParseImageIndex(fetched->body);
  if (!index.ok()) return index.status().WithContext(ref.String());
  description.is_index = true;
  for (const Descriptor& entry : index->manifests) {
    if (entry.IsAttestation()) {
      ++description.attestation_count;
    } else {
      description.index_entries.push_back(entry);
    }
  }
  std::vector<const Descriptor*> wanted;
  if (only) {
    const Descriptor* match = SelectPlatform(*index, *only);
    if (match == nullptr) return NoSuchPlatform(*only, ref, description.index_entries);
    wanted.push_back(match);
  } else {
    for (const Descriptor& entry : description.index_entries) wanted.push_back(&entry);
  }
  for (const Descriptor* entry : wanted) {
    Result<PlatformImage> image = DescribeEntry(client_, ref, *entry);
    if (!image.ok()) return image.status();
    description.platforms.push_back(std::move(image).value());
  }
  return description;
}

Result<PlatformManifest> ImageDescriber::SelectPlatformManifest(const Reference& reference,
                                                                const Digest& digest,
                                                                const Platform& want) {
  const Reference by_digest = ByDigest(reference, digest);
  Result<FetchedManifest> fetched = client_.Fetch(by_digest);
  if (!fetched.ok()) return fetched.status();
  std::string media_type;
  const DocumentKind kind = KindOf(*fetched, media_type);
  if (kind == DocumentKind::kIndex) {
    Result<ImageIndex> index = ParseImageIndex(fetched->body);
    if (!index.ok()) return index.status().WithContext(by_digest.String());
    const Descriptor* match = SelectPlatform(*index, want);
    if (match == nullptr) {
      std::vector<Descriptor> entries;
      for (const Descriptor& entry : index->manifests) {
        if (!entry.IsAttestation()) entries.push_back(entry);
      }
      return NoSuchPlatform(want, reference, entries);
    }
    return PlatformManifest{.platform = match->platform.value_or(want),
                            .digest = match->digest,
                            .media_type = match->media_type};
  }
  Result<PlatformImage> image =
      DescribeManifest(client_, by_digest, *fetched, media_type, std::nullopt);
  if (!image.ok()) return image.status();
  if (!image->config_platform.Matches(want)) {
    return WrongSinglePlatform(want, reference, image->config_platform);
  }
  return PlatformManifest{.platform = image->config_platform,
                          .digest = image->manifest_digest,
                          .media_type = media_type};
}

}  // namespace regdigest
