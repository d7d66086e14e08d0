// DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1.0): the
// envelope {"payloadType","payload","signatures":[{"keyid","sig"}]} that a
// sigstore bundle holds, and the pre-authentication encoding its signatures
// cover. Parsing only; pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

// Envelopes with more signatures than this are refused.
inline constexpr size_t kMaxDsseSignatures = 16;
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

struct DsseSignature {
  std::string keyid;  // may be ""
  std::string sig;    // decoded bytes
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // decoded bytes
  std::vector<DsseSignature> signatures;
};

// kInvalidArgument with a short reason ("envelope is not JSON", "malformed
// base64 in envelope payload", "envelope has no signatures", ...). Base64 is
// the standard or the URL-safe alphabet, padding optional (both are allowed by
// the DSSE spec). Inputs over kMaxSignaturePayloadBytes are refused.
Result<DsseEnvelope> ParseDsseEnvelope(std::string_view json);

// "DSSEv1 <len(type)> <type> <len(body)> <body>" (lengths in ASCII decimal).
std::string PreAuthEncoding(std::string_view payload_type, std::string_view body);

}  // namespace regdigest
