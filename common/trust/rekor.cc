#include "common/trust/rekor.h"

#include <nlohmann/json.hpp>

#include "common/base/base64.h"
#include "common/base/display_text.h"
#include "common/trust/encoding.h"
#include "common/trust/json_fields.h"
#include "common/trust/simple_signing.h"

namespace regdigest {
namespace {

using nlohmann::json;
using trust_json::Member;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

bool IsLowerHex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !text.empty();
}

// {"algorithm":"sha256","value":"<hex>"}
Status ReadHash(const json* hash, std::string_view what, RekorEntryClaims& out) {
  if (hash == nullptr) return Invalid("tlog entry has no " + std::string(what));
  Result<std::string> algorithm = trust_json::String(*hash, "algorithm", what);
  Result<std::string> value = trust_json::String(*hash, "value", what);
  if (!algorithm.ok()) return algorithm.status();
  if (!value.ok()) return value.status();
  if (!IsLowerHex(*value)) return Invalid("tlog entry " + std::string(what) + " is not hex");
  out.hash_algorithm = std::move(algorithm).value();
  out.hash_hex = std::move(value).value();
  return Status::Ok();
}

Status ReadVerifier(const json& object, std::string_view key, RekorEntryClaims& out) {
  if (Member(object, key) == nullptr) return Status::Ok();
  Result<std::string> pem = trust_json::Bytes(object, key, "tlog entry verifier");
  if (!pem.ok()) return pem.status();
  out.verifier_pem = std::move(pem).value();
  return Status::Ok();
}

Result<RekorEntryClaims> HashedRekord(const json& spec) {
  RekorEntryClaims out;
  const json* data = Member(spec, "data");
  if (Status s = ReadHash(data ? Member(*data, "hash") : nullptr, "data.hash", out); !s.ok()) {
    return s;
  }
  const json* signature = Member(spec, "signature");
  if (signature == nullptr) return Invalid("tlog entry has no signature");
  Result<std::string> content = trust_json::Bytes(*signature, "content", "tlog entry signature");
  if (!content.ok()) return content.status();
  out.signatures.push_back(std::move(content).value());
  if (const json* key = Member(*signature, "publicKey"); key != nullptr) {
    if (Status s = ReadVerifier(*key, "content", out); !s.ok()) return s;
  }
  return out;
}

Result<RekorEntryClaims> Dsse(const json& spec) {
  RekorEntryClaims out;
  if (Status s = ReadHash(Member(spec, "payloadHash"), "payloadHash", out); !s.ok()) return s;
  const json* signatures = Member(spec, "signatures");
  if (signatures == nullptr || !signatures->is_array() || signatures->empty() ||
      signatures->size() > kMaxDsseSignatures) {
    return Invalid("tlog entry has no usable signatures");
  }
  for (const json& entry : *signatures) {
    Result<std::string> sig = trust_json::Bytes(entry, "signature", "tlog entry signature");
    if (!sig.ok()) return sig.status();
    out.signatures.push_back(std::move(sig).value());
    if (Status s = ReadVerifier(entry, "verifier", out); !s.ok()) return s;
  }
  return out;
}

// intoto 0.0.2 writes each signature base64-encoded twice.
Result<RekorEntryClaims> InToto(const json& spec) {
  RekorEntryClaims out;
  const json* content = Member(spec, "content");
  if (content == nullptr) return Invalid("tlog entry has no content");
  if (Status s = ReadHash(Member(*content, "payloadHash"), "payloadHash", out); !s.ok()) return s;
  const json* envelope = Member(*content, "envelope");
  const json* signatures = envelope ? Member(*envelope, "signatures") : nullptr;
  if (signatures == nullptr || !signatures->is_array() || signatures->empty() ||
      signatures->size() > kMaxDsseSignatures) {
    return Invalid("tlog entry has no usable signatures");
  }
  for (const json& entry : *signatures) {
    Result<std::string> once = trust_json::Bytes(entry, "sig", "tlog entry signature");
    if (!once.ok()) return once.status();
    Result<std::string> twice = DecodeSignatureBase64(*once, "tlog entry signature");
    out.signatures.push_back(twice.ok() ? std::move(twice).value() : std::move(once).value());
    if (Status s = ReadVerifier(entry, "publicKey", out); !s.ok()) return s;
  }
  return out;
}

}  // namespace

Result<RekorEntry> ParseCosignRekorBundle(std::string_view text) {
  Result<json> doc = trust_json::Parse(text, kMaxSignaturePayloadBytes, "rekor bundle");
  if (!doc.ok()) return doc.status();
  RekorEntry out;
  const std::string what = "rekor bundle";
  const json* payload = Member(*doc, "Payload");
  if (payload == nullptr || !payload->is_object()) return Invalid(what + " has no Payload");
  Result<std::string> set = trust_json::Bytes(*doc, "SignedEntryTimestamp", what);
  if (!set.ok()) return set.status();
  out.signed_entry_timestamp = std::move(set).value();
  Result<std::string> body = trust_json::Bytes(*payload, "body", what + " Payload");
  Result<int64_t> time = trust_json::Int64(*payload, "integratedTime", what + " Payload");
  Result<int64_t> index = trust_json::Int64(*payload, "logIndex", what + " Payload");
  Result<std::string> log_id = trust_json::String(*payload, "logID", what + " Payload");
  if (!body.ok()) return body.status();
  if (!time.ok()) return time.status();
  if (!index.ok()) return index.status();
  if (!log_id.ok()) return log_id.status();
  if (!IsLowerHex(*log_id)) return Invalid(what + " logID is not lowercase hex");
  out.body = std::move(body).value();
  out.integrated_time = *time;
  out.log_index = *index;
  out.log_id_hex = std::move(log_id).value();
  return out;
}

RekorEntry RekorEntryFromTlog(const TlogEntry& entry) {
  RekorEntry out;
  out.body = entry.canonicalized_body;
  out.integrated_time = entry.integrated_time;
  out.log_index = entry.log_index;
  out.log_id_hex = HexEncode(entry.log_id);
  out.signed_entry_timestamp = entry.signed_entry_timestamp.value_or("");
  return out;
}

std::string SignedEntryTimestampPayload(const RekorEntry& entry) {
  // Written by hand: keys sorted, no blanks, body in padded standard base64
  // (what Rekor signs; json::dump would escape nothing differently here, but
  // the exact bytes matter).
  return "{\"body\":\"" + Base64Encode(entry.body) +
         "\",\"integratedTime\":" + std::to_string(entry.integrated_time) + ",\"logID\":\"" +
         entry.log_id_hex + "\",\"logIndex\":" + std::to_string(entry.log_index) + "}";
}

Status VerifySignedEntryTimestamp(const RekorEntry& entry, const PublicKey& rekor_key) {
  if (entry.signed_entry_timestamp.empty()) return Invalid("no signed entry timestamp");
  if (entry.log_id_hex != Sha256Hex(rekor_key.Der())) {
    return Invalid("tlog entry is from another log (logID " + DisplayText(entry.log_id_hex, 64) +
                   ")");
  }
  if (!rekor_key.Verify(SignedEntryTimestampPayload(entry), entry.signed_entry_timestamp)) {
    return Invalid("signed entry timestamp does not verify with the Rekor key");
  }
  return Status::Ok();
}

Result<RekorEntryClaims> ParseRekorEntryBody(std::string_view body) {
  Result<json> doc = trust_json::Parse(body, kMaxSignaturePayloadBytes, "tlog entry body");
  if (!doc.ok()) return doc.status();
  Result<std::string> kind = trust_json::String(*doc, "kind", "tlog entry body");
  if (!kind.ok()) return kind.status();
  const json* spec = Member(*doc, "spec");
  if (spec == nullptr || !spec->is_object()) return Invalid("tlog entry body has no spec");
  Result<RekorEntryClaims> claims = Invalid("tlog entry kind \"" + DisplayText(*kind, 40) +
                                            "\" is not hashedrekord, dsse or intoto");
  if (*kind == "hashedrekord") claims = HashedRekord(*spec);
  if (*kind == "dsse") claims = Dsse(*spec);
  if (*kind == "intoto") claims = InToto(*spec);
  if (claims.ok()) claims->kind = *kind;
  return claims;
}

Status CheckEntryMatches(const RekorEntryClaims& claims, std::string_view signature,
                         std::string_view signed_sha256_hex) {
  bool logged = false;
  for (const std::string& s : claims.signatures) logged = logged || s == signature;
  if (!logged) return Invalid("tlog entry is for another signature");
  if (claims.hash_algorithm != "sha256" || claims.hash_hex != signed_sha256_hex) {
    return Invalid("tlog entry is for another payload");
  }
  return Status::Ok();
}

}  // namespace regdigest
