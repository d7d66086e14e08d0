// Attachments: everything attached to an image digest in its repository, for
// `referrers` (the tree) and `inspect` (one summary line): cosign's
// sha256-<hex>.sig/.att/.sbom tags (one manifest GET each) and the OCI
// referrers (API or fallback tag). No verification: nothing here needs a key.
#pragma once

#include <string>
#include <vector>

#include "client/registry/registry_client.h"
#include "client/trust/referrers.h"
#include "client/trust/signature_finder.h"

namespace regdigest {

struct Attachments {
  std::vector<CosignTagManifest> cosign_tags;  // those that exist, in .sig, .att, .sbom order
  ReferrerList referrers;
};

// With `artifact_type`, only referrers of that type, and no cosign tags.
Result<Attachments> ListAttachments(RegistryClient& client, const Reference& repository,
                                    const Digest& subject, const std::string& artifact_type = "");

// "sig", "att" or "sbom" from a tag sha256-<hex>.<suffix>.
std::string CosignTagKind(const CosignTagManifest& tag);

// "2 cosign signatures (.sig), 1 sigstore bundle, 1 attestation (.att), 1 other referrer",
// or "none".
std::string AttachmentsSummary(const Attachments& attachments);

}  // namespace regdigest
