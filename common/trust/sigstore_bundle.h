// Sigstore bundles (media types application/vnd.dev.sigstore.bundle+json;
// version=0.1 / 0.2 and application/vnd.dev.sigstore.bundle.v0.3+json, the
// protobuf-specs Bundle message in its JSON form) and the in-toto Statement a
// DSSE bundle carries. Parsing only, no verification (see verifier.h); pure
// functions, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/trust/dsse.h"

namespace regdigest {

inline constexpr std::string_view kSigstoreBundleV03MediaType =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kCosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1";
// Caps on untrusted bundles.
inline constexpr size_t kMaxBundleBytes = 1 << 20;
inline constexpr size_t kMaxCertificateChain = 10;
inline constexpr size_t kMaxTlogEntries = 16;
inline constexpr size_t kMaxStatementSubjects = 1024;

// One transparency log entry (protobuf-specs TransparencyLogEntry).
struct TlogEntry {
  int64_t log_index = 0;
  std::string log_id;  // logId.keyId, decoded bytes (SHA-256 of the log's key)
  std::string kind;    // kindVersion.kind: "hashedrekord", "dsse", "intoto"
  std::string version;
  int64_t integrated_time = 0;                        // seconds since the epoch
  std::optional<std::string> signed_entry_timestamp;  // inclusionPromise, DER
  std::string canonicalized_body;                     // decoded bytes (JSON)
};

// messageSignature: a signature over an artifact digest (cosign sign-blob).
struct MessageSignature {
  std::string digest_algorithm;  // "SHA2_256", ... ("" when absent)
  std::string digest;            // decoded bytes
  std::string signature;         // decoded bytes
};

struct SigstoreBundle {
  std::string media_type;
  // verificationMaterial: exactly one of these three kinds is set.
  std::optional<std::string> public_key_hint;  // publicKey.hint (may be "")
  std::vector<std::string> certificates;       // DER, leaf first (chain or certificate)
  std::vector<TlogEntry> tlog_entries;
  // content: exactly one of these is set.
  std::optional<DsseEnvelope> dsse_envelope;
  std::optional<MessageSignature> message_signature;
};

// kInvalidArgument with a short reason ("bundle is not JSON", "unsupported
// bundle media type \"x\"", "malformed base64 in bundle field tlogEntries[0]
// .canonicalizedBody", "bundle has neither dsseEnvelope nor messageSignature",
// "certificate chain longer than 10", ...). int64 fields are accepted both as
// JSON numbers and as decimal strings (protobuf's JSON form).
Result<SigstoreBundle> ParseSigstoreBundle(std::string_view json);

struct InTotoSubject {
  std::string name;
  std::map<std::string, std::string> digest;  // algorithm -> lowercase hex
};

struct InTotoStatement {
  std::string type;  // "_type": https://in-toto.io/Statement/v0.1 or v1
  std::string predicate_type;
  std::vector<InTotoSubject> subjects;
  // The predicate's top-level string members (what --annotation checks).
  std::map<std::string, std::string> predicate_strings;
};

// kInvalidArgument with a short reason when the payload is not an in-toto
// Statement (v0.1 or v1) with at least one subject.
Result<InTotoStatement> ParseInTotoStatement(std::string_view json);

}  // namespace regdigest
