// Internal to common/trust: reading fields of untrusted JSON documents
// (nlohmann::json) with one-line reasons, shared by the DSSE, bundle and
// Rekor parsers. Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/trust/dsse.h"

namespace regdigest::trust_json {

// The member, or nullptr when `object` is not an object or lacks it.
const nlohmann::json* Member(const nlohmann::json& object, std::string_view key);

// A string member; kInvalidArgument "<what> has no <key>" when missing or not a string.
Result<std::string> String(const nlohmann::json& object, std::string_view key,
                           std::string_view what);
// A base64 string member, decoded (standard or URL-safe alphabet).
Result<std::string> Bytes(const nlohmann::json& object, std::string_view key,
                          std::string_view what);
// An int64 member written as a JSON integer or a decimal string.
Result<int64_t> Int64(const nlohmann::json& object, std::string_view key, std::string_view what);

// JSON nested deeper than this is refused before parsing (nlohmann's dump and
// comparisons recurse; no signature format nests beyond 8 levels).
inline constexpr int kMaxJsonDepth = 64;

// Parses text with a size and depth cap; kInvalidArgument "<what> is not
// JSON", "<what> is over N KiB" or "<what> is nested too deeply".
Result<nlohmann::json> Parse(std::string_view text, size_t cap, std::string_view what);

// A DSSE envelope from its JSON object (ParseDsseEnvelope's rules).
Result<DsseEnvelope> Envelope(const nlohmann::json& object);

}  // namespace regdigest::trust_json
