#include "common/trust/sigstore_bundle.h"

#include <array>

#include "common/base/display_text.h"
#include "common/trust/json_fields.h"

namespace regdigest {
namespace {

using nlohmann::json;
using trust_json::Member;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

constexpr std::array<std::string_view, 4> kBundleMediaTypes = {
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    kSigstoreBundleV03MediaType,
};

Result<std::string> Certificate(const json& object, std::string_view what) {
  return trust_json::Bytes(object, "rawBytes", what);
}

Status ParseVerificationMaterial(const json& material, SigstoreBundle& out) {
  if (!material.is_object()) return Invalid("bundle has no verificationMaterial");
  const json* key = Member(material, "publicKey");
  const json* chain = Member(material, "x509CertificateChain");
  const json* cert = Member(material, "certificate");
  if ((key != nullptr) + (chain != nullptr) + (cert != nullptr) != 1) {
    return Invalid("bundle verificationMaterial needs one of publicKey, certificate, chain");
  }
  if (key != nullptr) {
    if (!key->is_object()) return Invalid("bundle publicKey is not an object");
    out.public_key_hint = "";
    if (const json* hint = Member(*key, "hint"); hint != nullptr) {
      if (!hint->is_string()) return Invalid("bundle publicKey.hint is not a string");
      out.public_key_hint = hint->get<std::string>();
    }
  } else if (cert != nullptr) {
    Result<std::string> der = Certificate(*cert, "bundle certificate");
    if (!der.ok()) return der.status();
    out.certificates.push_back(std::move(der).value());
  } else {
    const json* certs = Member(*chain, "certificates");
    if (certs == nullptr || !certs->is_array() || certs->empty()) {
      return Invalid("bundle x509CertificateChain has no certificates");
    }
    if (certs->size() > kMaxCertificateChain) {
      return Invalid("certificate chain longer than " + std::to_string(kMaxCertificateChain));
    }
    for (const json& c : *certs) {
      Result<std::string> der = Certificate(c, "bundle chain certificate");
      if (!der.ok()) return der.status();
      out.certificates.push_back(std::move(der).value());
    }
  }
  const json* entries = Member(material, "tlogEntries");
  if (entries == nullptr || entries->is_null()) return Status::Ok();
  if (!entries->is_array()) return Invalid("bundle tlogEntries is not an array");
  if (entries->size() > kMaxTlogEntries) {
    return Invalid("bundle has over " + std::to_string(kMaxTlogEntries) + " tlog entries");
  }
  for (const json& e : *entries) {
    TlogEntry entry;
    const std::string what = "bundle tlog entry";
    Result<int64_t> index = trust_json::Int64(e, "logIndex", what);
    if (!index.ok()) return index.status();
    entry.log_index = *index;
    const json* log_id = Member(e, "logId");
    Result<std::string> key_id = log_id == nullptr
                                     ? Result<std::string>(Invalid(what + " has no logId"))
                                     : trust_json::Bytes(*log_id, "keyId", what + " logId");
    if (!key_id.ok()) return key_id.status();
    entry.log_id = std::move(key_id).value();
    const json* kind = Member(e, "kindVersion");
    if (kind == nullptr) return Invalid(what + " has no kindVersion");
    Result<std::string> kind_name = trust_json::String(*kind, "kind", what + " kindVersion");
    Result<std::string> version = trust_json::String(*kind, "version", what + " kindVersion");
    if (!kind_name.ok()) return kind_name.status();
    if (!version.ok()) return version.status();
    entry.kind = std::move(kind_name).value();
    entry.version = std::move(version).value();
    // Rekor v2 entries have no integratedTime (0 is omitted in protobuf JSON).
    if (Member(e, "integratedTime") != nullptr) {
      Result<int64_t> time = trust_json::Int64(e, "integratedTime", what);
      if (!time.ok()) return time.status();
      entry.integrated_time = *time;
    }
    if (const json* promise = Member(e, "inclusionPromise"); promise != nullptr) {
      Result<std::string> set =
          trust_json::Bytes(*promise, "signedEntryTimestamp", what + " inclusionPromise");
      if (!set.ok()) return set.status();
      entry.signed_entry_timestamp = std::move(set).value();
    }
    Result<std::string> body = trust_json::Bytes(e, "canonicalizedBody", what);
    if (!body.ok()) return body.status();
    entry.canonicalized_body = std::move(body).value();
    out.tlog_entries.push_back(std::move(entry));
  }
  return Status::Ok();
}

Result<MessageSignature> ParseMessageSignature(const json& object) {
  MessageSignature out;
  if (!object.is_object()) return Invalid("bundle messageSignature is not an object");
  if (const json* digest = Member(object, "messageDigest"); digest != nullptr) {
    Result<std::string> algorithm = trust_json::String(*digest, "algorithm", "messageDigest");
    Result<std::string> bytes = trust_json::Bytes(*digest, "digest", "messageDigest");
    if (!algorithm.ok()) return algorithm.status();
    if (!bytes.ok()) return bytes.status();
    out.digest_algorithm = std::move(algorithm).value();
    out.digest = std::move(bytes).value();
  }
  Result<std::string> signature = trust_json::Bytes(object, "signature", "messageSignature");
  if (!signature.ok()) return signature.status();
  out.signature = std::move(signature).value();
  return out;
}

}  // namespace

Result<SigstoreBundle> ParseSigstoreBundle(std::string_view text) {
  Result<json> doc = trust_json::Parse(text, kMaxBundleBytes, "bundle");
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return Invalid("bundle is not a JSON object");
  SigstoreBundle out;
  Result<std::string> media_type = trust_json::String(*doc, "mediaType", "bundle");
  if (!media_type.ok()) return media_type.status();
  out.media_type = std::move(media_type).value();
  bool known = false;
  for (std::string_view t : kBundleMediaTypes) known = known || out.media_type == t;
  if (!known) {
    return Invalid("unsupported bundle media type \"" + DisplayText(out.media_type, 80) + "\"");
  }
  const json* material = Member(*doc, "verificationMaterial");
  if (material == nullptr) return Invalid("bundle has no verificationMaterial");
  if (Status status = ParseVerificationMaterial(*material, out); !status.ok()) return status;
  const json* envelope = Member(*doc, "dsseEnvelope");
  const json* message = Member(*doc, "messageSignature");
  if ((envelope != nullptr) == (message != nullptr)) {
    return Invalid("bundle needs one of dsseEnvelope and messageSignature");
  }
  if (envelope != nullptr) {
    Result<DsseEnvelope> parsed = trust_json::Envelope(*envelope);
    if (!parsed.ok()) return parsed.status();
    out.dsse_envelope = std::move(parsed).value();
  } else {
    Result<MessageSignature> parsed = ParseMessageSignature(*message);
    if (!parsed.ok()) return parsed.status();
    out.message_signature = std::move(parsed).value();
  }
  return out;
}

Result<InTotoStatement> ParseInTotoStatement(std::string_view text) {
  Result<json> doc = trust_json::Parse(text, kMaxBundleBytes, "statement");
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return Invalid("statement is not a JSON object");
  InTotoStatement out;
  Result<std::string> type = trust_json::String(*doc, "_type", "statement");
  if (!type.ok()) return type.status();
  out.type = std::move(type).value();
  if (out.type != "https://in-toto.io/Statement/v0.1" &&
      out.type != "https://in-toto.io/Statement/v1") {
    return Invalid("statement _type is \"" + DisplayText(out.type, 80) + "\"");
  }
  Result<std::string> predicate_type = trust_json::String(*doc, "predicateType", "statement");
  if (!predicate_type.ok()) return predicate_type.status();
  out.predicate_type = std::move(predicate_type).value();
  const json* subjects = Member(*doc, "subject");
  if (subjects == nullptr || !subjects->is_array() || subjects->empty()) {
    return Invalid("statement has no subject");
  }
  if (subjects->size() > kMaxStatementSubjects) {
    return Invalid("statement has over " + std::to_string(kMaxStatementSubjects) + " subjects");
  }
  for (const json& s : *subjects) {
    if (!s.is_object()) return Invalid("statement subject is not an object");
    InTotoSubject subject;
    if (const json* name = Member(s, "name"); name != nullptr && name->is_string()) {
      subject.name = name->get<std::string>();
    }
    const json* digest = Member(s, "digest");
    if (digest == nullptr || !digest->is_object())
      return Invalid("statement subject has no digest");
    for (const auto& [algorithm, value] : digest->items()) {
      if (!value.is_string()) return Invalid("statement subject digest is not a string");
      subject.digest[algorithm] = value.get<std::string>();
    }
    out.subjects.push_back(std::move(subject));
  }
  if (const json* predicate = Member(*doc, "predicate"); predicate && predicate->is_object()) {
    for (const auto& [key, value] : predicate->items()) {
      if (value.is_string()) out.predicate_strings[key] = value.get<std::string>();
    }
  }
  return out;
}

}  // namespace regdigest
