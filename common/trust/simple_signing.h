// The cosign "simple signing" payload: the JSON document a cosign .sig layer
// holds and its signature covers, byte for byte (containers/image's
// signature format as cosign writes it, sigstore/sigstore pkg/signature/payload):
//   {"critical":{"identity":{"docker-reference":"..."},
//                "image":{"docker-manifest-digest":"sha256:..."},
//                "type":"cosign container image signature"},
//    "optional":{...}}
// Parsing only; pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/image/digest.h"

namespace regdigest {

inline constexpr std::string_view kCosignSignatureType = "cosign container image signature";
// Payloads bigger than this are refused before parsing (cosign's are < 1 KiB).
inline constexpr size_t kMaxSignaturePayloadBytes = 1 << 20;

struct SimpleSigningPayload {
  std::string docker_reference;                   // as written, may be ""
  Digest manifest_digest = Digest::Sha256Of("");  // critical.image.docker-manifest-digest
  std::string type;                               // critical.type (checked: see Parse)
  // "optional": string values as they are, other JSON values as compact JSON
  // text (numbers, booleans, objects). Empty when absent or null.
  std::map<std::string, std::string> optional;
};

// kInvalidArgument with a short reason ("payload is not JSON", "payload has
// no critical.image.docker-manifest-digest", "payload type is \"x\"", ...) when
// the payload is malformed, too big, or its critical.type is not
// kCosignSignatureType (compared case-insensitively, as containers/image does).
Result<SimpleSigningPayload> ParseSimpleSigningPayload(std::string_view payload);

// The payload cosign would sign for this image (keys in cosign's order,
// compact JSON; "optional" is null when empty, else a map of strings).
std::string MakeSimpleSigningPayload(std::string_view docker_reference, const Digest& digest,
                                     const std::map<std::string, std::string>& optional);

}  // namespace regdigest
