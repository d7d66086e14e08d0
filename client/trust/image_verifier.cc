#include "client/trust/image_verifier.h"

#include "client/trust/signature_finder.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

SignatureCheck Invalid(SignatureFormat format, const Digest& manifest, std::string reason) {
  SignatureCheck check;
  check.format = format;
  check.manifest_digest = manifest;
  check.valid = false;
  check.reason = std::move(reason);
  check.tlog = std::string(kTlogNotVerified);
  return check;
}

// The .sig manifest's signatures, checked; layers that could not be read are
// invalid with their problem as the reason.
void CheckCosign(const Digest& digest, const CosignSignatures& found, const VerifyPolicy& policy,
                 std::vector<SignatureCheck>& into) {
  if (!found.problem.empty()) {
    into.push_back(Invalid(SignatureFormat::kCosignSig, found.manifest_digest, found.problem));
    return;
  }
  std::vector<CosignLayer> readable;
  for (const FetchedCosignLayer& layer : found.layers) {
    if (!layer.problem.empty()) {
      into.push_back(Invalid(SignatureFormat::kCosignSig, found.manifest_digest, layer.problem));
      continue;
    }
    readable.push_back(
        CosignLayer{std::string(kCosignSimpleSigningMediaType), layer.payload, layer.annotations});
  }
  if (readable.empty()) return;
  for (SignatureCheck& check :
       VerifyCosignSignatures(digest, found.manifest_digest, readable, policy)) {
    into.push_back(std::move(check));
  }
}

bool AnyValid(const std::vector<SignatureCheck>& checks) {
  for (const SignatureCheck& check : checks) {
    if (check.valid) return true;
  }
  return false;
}

}  // namespace

Result<ImageVerification> VerifyImage(RegistryClient& client, const Reference& repository,
                                      const Digest& digest, const VerifyPolicy& policy) {
  ImageVerification result{digest, false, {}, std::nullopt, ""};
  SignatureFinder finder(client);
  Result<std::optional<CosignSignatures>> cosign = finder.Cosign(repository, digest);
  if (!cosign.ok()) return cosign.status();
  if (cosign->has_value()) CheckCosign(digest, **cosign, policy, result.signatures);
  if (!AnyValid(result.signatures)) {
    Result<std::vector<BundleReferrer>> bundles = finder.Bundles(repository, digest);
    if (!bundles.ok()) return bundles.status();
    for (const BundleReferrer& bundle : *bundles) {
      if (!bundle.problem.empty()) {
        result.signatures.push_back(
            Invalid(SignatureFormat::kSigstoreBundle, bundle.digest, bundle.problem));
        continue;
      }
      result.signatures.push_back(
          VerifySigstoreBundle(digest, bundle.digest, bundle.bundle_json, policy));
    }
  }
  for (const SignatureCheck& check : result.signatures) {
    if (check.valid && check.key) {
      result.verified = true;
      result.by = check;
      break;
    }
  }
  if (!result.verified) {
    if (result.signatures.empty()) {
      result.reason = "no signature found";
    } else {
      result.reason = result.signatures.front().reason;
      if (result.signatures.size() > 1) {
        result.reason += " (and " + std::to_string(result.signatures.size() - 1) +
                         " other signature" + (result.signatures.size() > 2 ? "s" : "") +
                         " not valid)";
      }
    }
  }
  return result;
}

Result<std::vector<PublicKey>> LoadPublicKeys(const std::vector<std::string>& paths,
                                              FileSystem& files) {
  std::vector<PublicKey> keys;
  for (const std::string& path : paths) {
    Result<std::optional<std::string>> text = files.ReadFileIfExists(path);
    if (!text.ok()) {
      return Status(StatusCode::kUsage,
                    "key file " + DisplayText(path) + ": " + text.status().message());
    }
    if (!text->has_value()) {
      return Status(StatusCode::kUsage, "key file " + DisplayText(path) + " does not exist");
    }
    Result<PublicKey> key = PublicKey::FromPem(**text, DisplayText(path));
    if (!key.ok()) return Status(StatusCode::kUsage, key.status().message());
    keys.push_back(std::move(key).value());
  }
  return keys;
}

Result<std::pair<std::string, std::string>> ParseAnnotationOption(const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status(StatusCode::kUsage,
                  "--annotation " + DisplayText(text) + ": expected KEY=VALUE with a key");
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

}  // namespace regdigest
