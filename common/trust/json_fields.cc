#include "common/trust/json_fields.h"

#include <algorithm>

#include "common/trust/encoding.h"

namespace regdigest::trust_json {
namespace {

using nlohmann::json;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// The deepest nesting of arrays and objects, counted outside strings.
int MaxDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

const json* Member(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> String(const json& object, std::string_view key, std::string_view what) {
  const json* value = Member(object, key);
  if (value == nullptr || !value->is_string()) {
    return Invalid(std::string(what) + " has no " + std::string(key));
  }
  return value->get<std::string>();
}

Result<std::string> Bytes(const json& object, std::string_view key, std::string_view what) {
  Result<std::string> text = String(object, key, what);
  if (!text.ok()) return text.status();
  return DecodeSignatureBase64(*text, std::string(what) + "." + std::string(key));
}

Result<int64_t> Int64(const json& object, std::string_view key, std::string_view what) {
  const json* value = Member(object, key);
  const std::string name = std::string(what) + "." + std::string(key);
  if (value == nullptr) return Invalid(std::string(what) + " has no " + std::string(key));
  if (value->is_number_integer()) return value->get<int64_t>();
  if (value->is_string()) return ParseDecimalInt64(value->get_ref<const std::string&>(), name);
  return Invalid(name + " is not an integer");
}

Result<json> Parse(std::string_view text, size_t cap, std::string_view what) {
  if (text.size() > cap) {
    return Invalid(std::string(what) + " is over " + std::to_string(cap / 1024) + " KiB");
  }
  if (MaxDepth(text) > kMaxJsonDepth) {
    return Invalid(std::string(what) + " is nested too deeply");
  }
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Invalid(std::string(what) + " is not JSON");
  return doc;
}

Result<DsseEnvelope> Envelope(const json& object) {
  if (!object.is_object()) return Invalid("envelope is not a JSON object");
  DsseEnvelope out;
  Result<std::string> type = String(object, "payloadType", "envelope");
  if (!type.ok()) return type.status();
  out.payload_type = std::move(type).value();
  Result<std::string> payload = Bytes(object, "payload", "envelope");
  if (!payload.ok()) return payload.status();
  out.payload = std::move(payload).value();
  const json* signatures = Member(object, "signatures");
  if (signatures == nullptr || !signatures->is_array()) {
    return Invalid("envelope has no signatures");
  }
  if (signatures->empty()) return Invalid("envelope has no signatures");
  if (signatures->size() > kMaxDsseSignatures) {
    return Invalid("envelope has over " + std::to_string(kMaxDsseSignatures) + " signatures");
  }
  for (const json& entry : *signatures) {
    DsseSignature signature;
    if (!entry.is_object()) return Invalid("envelope signature is not an object");
    if (const json* keyid = Member(entry, "keyid"); keyid != nullptr && !keyid->is_null()) {
      if (!keyid->is_string()) return Invalid("envelope signature keyid is not a string");
      signature.keyid = keyid->get<std::string>();
    }
    Result<std::string> sig = Bytes(entry, "sig", "envelope signature");
    if (!sig.ok()) return sig.status();
    if (sig->empty()) return Invalid("envelope signature is empty");
    signature.sig = std::move(sig).value();
    out.signatures.push_back(std::move(signature));
  }
  return out;
}

}  // namespace regdigest::trust_json
