#include "client/trust/signature_finder.h"

#include <spdlog/spdlog.h>

#include "common/image/manifest.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

// Failures that say the content is bad, not that the registry could not be asked.
bool IsContentProblem(const Status& status) {
  return status.code() == StatusCode::kDigestMismatch || status.code() == StatusCode::kProtocol ||
         status.code() == StatusCode::kNotFound;
}

}  // namespace

Result<std::optional<CosignTagManifest>> SignatureFinder::FetchCosignTag(
    const Reference& repository, const Digest& subject, std::string_view suffix) {
  const std::string tag = DigestTag(subject, suffix);
  Result<Reference> tagged = WithTag(repository, tag);
  if (!tagged.ok()) return tagged.status();
  Result<FetchedManifest> fetched = client_.Fetch(*tagged);
  if (!fetched.ok()) {
    if (fetched.status().code() == StatusCode::kNotFound) {
      return std::optional<CosignTagManifest>();
    }
    return fetched.status();
  }
  CosignTagManifest tag_manifest{
      tag, fetched->descriptor.digest, fetched->descriptor.media_type, false, {}, 0};
  if (IsIndexMediaType(tag_manifest.media_type)) {
    tag_manifest.is_index = true;
    Result<ImageIndex> index = ParseImageIndex(fetched->body);
    if (!index.ok()) return index.status().WithContext(tagged->String());
    tag_manifest.index_entries = index->manifests.size();
    return std::optional<CosignTagManifest>(std::move(tag_manifest));
  }
  Result<ImageManifest> manifest = ParseImageManifest(fetched->body);
  if (!manifest.ok()) return manifest.status().WithContext(tagged->String());
  tag_manifest.layers = std::move(manifest->layers);
  return std::optional<CosignTagManifest>(std::move(tag_manifest));
}

Result<std::optional<CosignSignatures>> SignatureFinder::Cosign(const Reference& repository,
                                                                const Digest& subject) {
  Result<std::optional<CosignTagManifest>> tag = FetchCosignTag(repository, subject, "sig");
  if (!tag.ok()) {
    // A .sig whose manifest does not parse is a bad signature, not a failed run.
    if (tag.status().code() != StatusCode::kProtocol) return tag.status();
    CosignSignatures bad{subject, {}, ""};
    bad.problem = "the .sig manifest is malformed: " + tag.status().message();
    return std::optional<CosignSignatures>(std::move(bad));
  }
  if (!tag->has_value()) return std::optional<CosignSignatures>();
  const CosignTagManifest& manifest = **tag;
  CosignSignatures signatures{manifest.digest, {}, ""};
  if (manifest.is_index) {
    signatures.problem = "the .sig tag is an image index, not a signature manifest";
    return std::optional<CosignSignatures>(std::move(signatures));
  }
  std::size_t simple_signing = 0;
  for (const Descriptor& layer : manifest.layers) {
    simple_signing += BaseMediaType(layer.media_type) == kSimpleSigningMediaType ? 1 : 0;
  }
  if (simple_signing > kMaxSignatureLayers) {
    signatures.problem = "the .sig manifest has " + std::to_string(simple_signing) +
                         " signature layers (at most " + std::to_string(kMaxSignatureLayers) +
                         " are read)";
    return std::optional<CosignSignatures>(std::move(signatures));
  }
  for (const Descriptor& layer : manifest.layers) {
    if (BaseMediaType(layer.media_type) != kSimpleSigningMediaType) continue;
    FetchedCosignLayer read{layer.digest, "", layer.annotations, ""};
    if (layer.size > static_cast<int64_t>(kMaxPayloadBytes)) {
      read.problem = "payload of " + std::to_string(layer.size) + " bytes is over the cap of " +
                     std::to_string(kMaxPayloadBytes);
    } else {
      Result<std::string> blob = client_.FetchBlob(repository, layer.digest, kMaxPayloadBytes);
      if (blob.ok()) {
        read.payload = std::move(blob).value();
      } else if (IsContentProblem(blob.status())) {
        read.problem = "payload blob: " + blob.status().message();
      } else {
        return blob.status();
      }
    }
    signatures.layers.push_back(std::move(read));
  }
  if (signatures.layers.empty()) signatures.problem = "the .sig manifest has no signature layer";
  return std::optional<CosignSignatures>(std::move(signatures));
}

Result<BundleReferrer> SignatureFinder::FetchBundle(const Reference& repository,
                                                    const Referrer& referrer) {
  BundleReferrer bundle{referrer.descriptor.digest, referrer.artifact_type, "", ""};
  Result<Reference> by_digest = WithDigest(repository, referrer.descriptor.digest);
  if (!by_digest.ok()) return by_digest.status();
  Result<FetchedManifest> fetched = client_.Fetch(*by_digest);
  if (!fetched.ok()) {
    if (!IsContentProblem(fetched.status())) return fetched.status();
    bundle.problem = "referrer manifest: " + fetched.status().message();
    return bundle;
  }
  Result<ImageManifest> manifest = ParseImageManifest(fetched->body);
  if (!manifest.ok()) {
    bundle.problem = "referrer manifest: " + manifest.status().message();
    return bundle;
  }
  const Descriptor* layer = nullptr;
  int bundle_layers = 0;
  for (const Descriptor& candidate : manifest->layers) {
    if (IsSigstoreBundleArtifactType(candidate.media_type)) {
      layer = &candidate;
      ++bundle_layers;
    }
  }
  if (bundle_layers == 0 && manifest->layers.size() == 1) layer = &manifest->layers.front();
  if (layer == nullptr || bundle_layers > 1) {
    bundle.problem = "the referrer manifest does not hold exactly one bundle layer";
    return bundle;
  }
  if (layer->size > static_cast<int64_t>(kMaxBundleBytes)) {
    bundle.problem = "bundle of " + std::to_string(layer->size) + " bytes is over the cap of " +
                     std::to_string(kMaxBundleBytes);
    return bundle;
  }
  Result<std::string> blob = client_.FetchBlob(repository, layer->digest, kMaxBundleBytes);
  if (!blob.ok()) {
    if (!IsContentProblem(blob.status())) return blob.status();
    bundle.problem = "bundle blob: " + blob.status().message();
    return bundle;
  }
  bundle.bundle_json = std::move(blob).value();
  return bundle;
}

Result<std::vector<BundleReferrer>> SignatureFinder::Bundles(const Reference& repository,
                                                             const Digest& subject) {
  Result<ReferrerList> list = referrers_.List(repository, subject);
  if (!list.ok()) return list.status();
  std::vector<BundleReferrer> bundles;
  for (const Referrer& referrer : list->referrers) {
    if (!IsSigstoreBundleArtifactType(referrer.artifact_type)) continue;
    if (bundles.size() >= kMaxSignatureLayers) {
      spdlog::warn("{}: more than {} sigstore bundles; reading no more", repository.Name(),
                   kMaxSignatureLayers);
      break;
    }
    Result<BundleReferrer> bundle = FetchBundle(repository, referrer);
    if (!bundle.ok()) return bundle.status();
    bundles.push_back(std::move(bundle).value());
  }
  return bundles;
}

}  // namespace regdigest
