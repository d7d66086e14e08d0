#include "cli/lock/signing_keys.h"

#include "client/sys/file_io.h"
#include "client/trust/image_verifier.h"

namespace regdigest {

void AddKeyOptions(CLI::App& command, KeyOptions& options, const std::string& what) {
  command
      .add_option("--key", options.keys,
                  "PEM public key (ECDSA P-256/384/521, RSA, Ed25519); repeatable. " + what)
      ->type_name("FILE")
      ->allow_extra_args(false)  // one FILE per occurrence: never a following reference
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option("--rekor-key", options.rekor_key,
                  "Rekor's PEM public key: verify the transparency-log entry of each "
                  "signature offline (else tlog is 'not verified')")
      ->type_name("FILE");
}

Result<std::optional<VerifyPolicy>> PolicyFromKeyOptions(const KeyOptions& options) {
  if (!options.enabled()) {
    if (!options.rekor_key.empty()) return Status(StatusCode::kUsage, "--rekor-key needs --key");
    return std::optional<VerifyPolicy>();
  }
  VerifyPolicy policy;
  Result<std::vector<PublicKey>> keys = LoadPublicKeys(options.keys, RealFiles());
  if (!keys.ok()) return keys.status();
  policy.keys = std::move(keys).value();
  if (!options.rekor_key.empty()) {
    Result<std::vector<PublicKey>> rekor = LoadPublicKeys({options.rekor_key}, RealFiles());
    if (!rekor.ok()) return rekor.status();
    policy.rekor_key = rekor->front();
  }
  for (const std::string& text : options.annotations) {
    Result<std::pair<std::string, std::string>> annotation = ParseAnnotationOption(text);
    if (!annotation.ok()) return annotation.status();
    policy.required_annotations[annotation->first] = annotation->second;
  }
  return std::optional<VerifyPolicy>(std::move(policy));
}

}  // namespace regdigest
