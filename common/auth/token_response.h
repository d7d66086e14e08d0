// The token server's answer in Docker's token authentication spec
// (distribution/docs/spec/auth/token.md) and its OAuth2 variant. Pure parser.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

struct TokenResponse {
  std::string token;                    // "token", else "access_token"
  std::chrono::seconds expires_in{60};  // absent or < 60 → 60 (as Docker does)
  std::optional<std::chrono::system_clock::time_point> issued_at;  // RFC 3339 "issued_at"
  std::string refresh_token;                                       // empty when absent
};

// kProtocol when the body is not a JSON object, has no non-empty "token" or
// "access_token", the token has a space or control character, or a known field has the wrong type
// or an unparsable "issued_at". Error messages never include the body (it holds secrets).
Result<TokenResponse> ParseTokenResponse(std::string_view body);

}  // namespace regdigest
