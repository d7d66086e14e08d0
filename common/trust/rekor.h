// Rekor transparency-log evidence, checked offline with the log's public key
// (--rekor-key): the signed entry timestamp (SET, Rekor's "inclusion promise")
// and the entry body, which must name the very signature and payload being
// verified. Sources: cosign's dev.sigstore.cosign/bundle layer annotation
//   {"SignedEntryTimestamp":"<b64 DER>","Payload":{"body":"<b64>",
//    "integratedTime":N,"logIndex":N,"logID":"<hex>"}}
// and a sigstore bundle's tlogEntries[i] (see sigstore_bundle.h).
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/trust/public_key.h"
#include "common/trust/sigstore_bundle.h"

namespace regdigest {

struct RekorEntry {
  std::string body;  // canonicalized entry body, decoded bytes (JSON)
  int64_t integrated_time = 0;
  int64_t log_index = 0;
  std::string log_id_hex;              // lowercase hex of the log ID
  std::string signed_entry_timestamp;  // DER ECDSA signature, decoded; "" if none
};

// Parses cosign's dev.sigstore.cosign/bundle annotation (kInvalidArgument with
// a reason when malformed).
Result<RekorEntry> ParseCosignRekorBundle(std::string_view json);
// The same fields from a sigstore bundle's tlog entry.
RekorEntry RekorEntryFromTlog(const TlogEntry& entry);

// What the SET signs: canonical JSON (RFC 8785 for these four fields: sorted
// keys, no blanks) {"body":"<b64 body>","integratedTime":N,"logID":"<hex>",
// "logIndex":N}.
std::string SignedEntryTimestampPayload(const RekorEntry& entry);

// Ok when the entry has a SET, its log ID is the SHA-256 of rekor_key's DER,
// and the SET verifies with rekor_key; else kInvalidArgument "no signed entry
// timestamp" / "tlog entry is from another log" / "signed entry timestamp does
// not verify with the Rekor key".
Status VerifySignedEntryTimestamp(const RekorEntry& entry, const PublicKey& rekor_key);

// What an entry body claims (kinds hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2).
struct RekorEntryClaims {
  std::string kind;
  std::vector<std::string> signatures;  // decoded signature bytes the entry logged
  // hashedrekord: hash of the signed data; dsse/intoto: hash of the payload.
  std::string hash_algorithm;               // "sha256"
  std::string hash_hex;                     // lowercase hex
  std::optional<std::string> verifier_pem;  // public key or certificate, PEM
};

// kInvalidArgument with a reason for bodies of other kinds or malformed ones.
Result<RekorEntryClaims> ParseRekorEntryBody(std::string_view body);

// Ok when the body logs this signature (one of its signatures) over data whose SHA-256 is
// `signed_sha256_hex` (for hashedrekord: the signed payload; for dsse and
// intoto: the envelope payload); else kInvalidArgument "tlog entry is for
// another signature" / "... another payload".
Status CheckEntryMatches(const RekorEntryClaims& claims, std::string_view signature,
                         std::string_view signed_sha256_hex);

}  // namespace regdigest
