// Small encodings shared by the common/trust parsers: base64 in the forms
// signature formats use (standard or URL-safe alphabet, padding optional),
// lowercase hex, SHA-256 as hex, and reading int64 fields that protobuf's JSON
// form writes as strings. Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

// Standard or URL-safe alphabet (not mixed), '=' padding optional, no
// whitespace. kInvalidArgument "malformed base64 in <what>" otherwise.
Result<std::string> DecodeSignatureBase64(std::string_view text, std::string_view what);

std::string HexEncode(std::string_view bytes);
std::string Sha256Hex(std::string_view bytes);

// A decimal int64 ("-12", "345"), as protobuf's JSON form writes int64 values.
Result<int64_t> ParseDecimalInt64(std::string_view text, std::string_view what);

}  // namespace regdigest
