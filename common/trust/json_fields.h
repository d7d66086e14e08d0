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

// Parses text with a size cap; kInvalidArgument "<what> is not JSON".
Result<nlohmann::json> Parse(std::string_view text, size_t cap, std::string_view what);

// A DSSE envelope from its JSON object (ParseDsseEnvelope's rules).
Result<DsseEnvelope> Envelope(const nlohmann::json& object);

}  // namespace regdigest::trust_json
