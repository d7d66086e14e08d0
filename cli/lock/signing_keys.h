// --key FILE (repeatable) and --rekor-key FILE, shared by `verify`, `lock`,
// `check`, `pin` and `record`: the options and the VerifyPolicy they make.
// A key file that cannot be read or holds no supported public key is kUsage
// (exit status 2), before any request is sent.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/trust/verifier.h"

namespace regdigest {

struct KeyOptions {
  std::vector<std::string> keys;         // --key
  std::string rekor_key;                 // --rekor-key ("" = none)
  std::vector<std::string> annotations;  // --annotation k=v (verify only)
  bool match_reference = false;          // --match-reference (verify only)

  bool enabled() const { return !keys.empty(); }
};

// Adds --key and --rekor-key to `command`; `what` ends the --key help text.
void AddKeyOptions(CLI::App& command, KeyOptions& options, const std::string& what);

// The policy for the given options (keys read now); nullopt without --key.
Result<std::optional<VerifyPolicy>> PolicyFromKeyOptions(const KeyOptions& options);

}  // namespace regdigest
