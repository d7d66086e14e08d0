// Base64 (RFC 4648, standard alphabet) for Docker's "auth" fields and Basic
// credentials. Pure functions: no I/O.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

// Encodes with the standard alphabet and '=' padding.
std::string Base64Encode(std::string_view bytes);

// Decodes the standard alphabet. Padding is optional ("dXNlcg" and "dXNlcg=="
// both decode to "user"); CR and LF are ignored, as Go's decoder does. Any
// other character, misplaced padding or an impossible length is
// kInvalidArgument (the message never repeats the input).
Result<std::string> Base64Decode(std::string_view text);

}  // namespace regdigest
