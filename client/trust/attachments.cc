#include "client/trust/attachments.h"

#include "common/image/media_types.h"

namespace regdigest {
namespace {

constexpr const char* kCosignSuffixes[] = {"sig", "att", "sbom"};

std::string Counted(std::size_t n, const std::string& one, const std::string& many,
                    const std::string& tail = "") {
  return std::to_string(n) + " " + (n == 1 ? one : many) + tail;
}

}  // namespace

Result<Attachments> ListAttachments(RegistryClient& client, const Reference& repository,
                                    const Digest& subject, const std::string& artifact_type) {
  Attachments attachments;
  SignatureFinder finder(client);
  if (artifact_type.empty()) {
    for (const char* suffix : kCosignSuffixes) {
      Result<std::optional<CosignTagManifest>> tag =
          finder.FetchCosignTag(repository, subject, suffix);
      if (!tag.ok()) return tag.status();
      if (tag->has_value()) attachments.cosign_tags.push_back(std::move(**tag));
    }
  }
  Result<ReferrerList> referrers = finder.referrers().List(repository, subject, artifact_type);
  if (!referrers.ok()) return referrers.status();
  attachments.referrers = std::move(referrers).value();
  return attachments;
}

std::string CosignTagKind(const CosignTagManifest& tag) {
  const std::size_t dot = tag.tag.rfind('.');
  return dot == std::string::npos ? "" : tag.tag.substr(dot + 1);
}

std::string AttachmentsSummary(const Attachments& attachments) {
  std::vector<std::string> parts;
  for (const CosignTagManifest& tag : attachments.cosign_tags) {
    const std::string kind = CosignTagKind(tag);
    std::size_t layers = tag.layers.size();
    if (kind == "sig") {
      layers = 0;
      for (const Descriptor& layer : tag.layers) {
        layers += BaseMediaType(layer.media_type) == kSimpleSigningMediaType ? 1 : 0;
      }
      parts.push_back(tag.is_index
                          ? "a cosign .sig tag that is an index"
                          : Counted(layers, "cosign signature", "cosign signatures", " (.sig)"));
    } else if (kind == "att") {
      parts.push_back(Counted(layers, "attestation", "attestations", " (.att)"));
    } else {
      parts.push_back(Counted(layers, "SBOM", "SBOMs", " (.sbom)"));
    }
  }
  std::size_t bundles = 0, others = 0;
  for (const Referrer& referrer : attachments.referrers.referrers) {
    (IsSigstoreBundleArtifactType(referrer.artifact_type) ? bundles : others) += 1;
  }
  if (bundles > 0) parts.push_back(Counted(bundles, "sigstore bundle", "sigstore bundles"));
  if (others > 0) parts.push_back(Counted(others, "other referrer", "other referrers"));
  if (parts.empty()) return "none";
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

}  // namespace regdigest
