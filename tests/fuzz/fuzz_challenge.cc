// Fuzz target: WWW-Authenticate parsing (common/challenge.h). The input is
// split at '\n' into several header values, as a response with repeated
// WWW-Authenticate headers delivers them. Parsing must never crash; a parsed
// challenge has a lowercase token scheme and lowercase parameter names, and
// FindChallenge finds every parsed scheme.
#include <string>
#include <vector>

#include "common/auth/challenge.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

bool IsLowercase(const std::string& text) {
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  std::vector<std::string> headers;
  std::string_view text = fuzz::AsText(data, size);
  while (true) {
    const size_t newline = text.find('\n');
    headers.emplace_back(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  Result<std::vector<Challenge>> challenges = ParseChallenges(headers);
  if (!challenges.ok()) {
    FUZZ_CHECK(challenges.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!challenges.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!challenges->empty());
  for (const Challenge& challenge : *challenges) {
    FUZZ_CHECK(!challenge.scheme.empty());
    FUZZ_CHECK(IsLowercase(challenge.scheme));
    FUZZ_CHECK(challenge.token68.empty() || challenge.params.empty());
    const Challenge* found = FindChallenge(*challenges, challenge.scheme);
    FUZZ_CHECK(found != nullptr && found->scheme == challenge.scheme);
    for (const auto& [key, value] : challenge.params) {
      FUZZ_CHECK(!key.empty());
      FUZZ_CHECK(IsLowercase(key));
      FUZZ_CHECK(challenge.Param(key) == value);
    }
  }
  return 0;
}
