// ImageVerifier: the one place that decides whether an image digest is
// signed by one of the given keys: finds the signatures in the registry
// (SignatureFinder: cosign's .sig tag first, then sigstore bundle referrers)
// and has common/trust's verifier check them. Used by `verify`, `lock --key`,
// `check --key`, `pin --key` and `record --key`. Also reads --key files.
// Stateless apart from the RegistryClient; Verify may run on several threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/registry/registry_client.h"
#include "client/sys/file_io.h"
#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/reference.h"
#include "common/trust/verifier.h"

namespace regdigest {

struct ImageVerification {
  Digest digest;  // the image digest verified
  bool verified = false;
  std::vector<SignatureCheck> signatures;  // every signature looked at, in order
  // The first valid signature (what lock files record), when verified.
  std::optional<SignatureCheck> by;
  // Why not verified, one line ("no signature found", or the first reason).
  std::string reason;
};

// Request economy: the .sig tag is one manifest GET (+ one blob GET per
// signature layer); only when none of its signatures is valid are sigstore
// bundle referrers looked up (referrers API or fallback tag, then one manifest
// and one blob GET per bundle).
Result<ImageVerification> VerifyImage(RegistryClient& client, const Reference& repository,
                                      const Digest& digest, const VerifyPolicy& policy);

// Reads PEM public key files (--key, --rekor-key). An unreadable file or an
// unsupported key is kUsage naming the file.
Result<std::vector<PublicKey>> LoadPublicKeys(const std::vector<std::string>& paths,
                                              FileSystem& files);

// "text from --annotation k=v" -> (k, v); kUsage without '=' or with an empty key.
Result<std::pair<std::string, std::string>> ParseAnnotationOption(const std::string& text);

}  // namespace regdigest
