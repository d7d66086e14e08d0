#include "common/trust/simple_signing.h"

#include <nlohmann/json.hpp>

#include "common/base/ascii.h"
#include "common/base/display_text.h"
#include "common/trust/json_fields.h"

namespace regdigest {
namespace {

using nlohmann::json;
using trust_json::Member;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<SimpleSigningPayload> ParseSimpleSigningPayload(std::string_view payload) {
  if (payload.size() > kMaxSignaturePayloadBytes) return Invalid("payload is over 1 MiB");
  Result<json> parsed_doc = trust_json::Parse(payload, kMaxSignaturePayloadBytes, "payload");
  if (!parsed_doc.ok()) return parsed_doc.status();
  const json& doc = *parsed_doc;
  if (!doc.is_object()) return Invalid("payload is not a JSON object");
  const json* critical = Member(doc, "critical");
  if (critical == nullptr || !critical->is_object()) return Invalid("payload has no critical");
  const json* type = Member(*critical, "type");
  if (type == nullptr || !type->is_string()) return Invalid("payload has no critical.type");
  SimpleSigningPayload out;
  out.type = type->get<std::string>();
  if (!AsciiEqualsIgnoreCase(out.type, kCosignSignatureType)) {
    return Invalid("payload type is \"" + DisplayText(out.type, 80) + "\", not \"" +
                   std::string(kCosignSignatureType) + "\"");
  }
  const json* image = Member(*critical, "image");
  const json* digest = image == nullptr ? nullptr : Member(*image, "docker-manifest-digest");
  if (digest == nullptr || !digest->is_string()) {
    return Invalid("payload has no critical.image.docker-manifest-digest");
  }
  Result<Digest> parsed = Digest::Parse(digest->get<std::string>());
  if (!parsed.ok()) return Invalid("payload docker-manifest-digest is not a digest");
  out.manifest_digest = *parsed;
  const json* identity = Member(*critical, "identity");
  if (identity == nullptr || !identity->is_object()) {
    return Invalid("payload has no critical.identity");
  }
  if (const json* ref = Member(*identity, "docker-reference"); ref != nullptr) {
    if (!ref->is_string()) return Invalid("payload docker-reference is not a string");
    out.docker_reference = ref->get<std::string>();
  }
  if (const json* optional = Member(doc, "optional"); optional != nullptr && !optional->is_null()) {
    if (!optional->is_object()) return Invalid("payload optional is not an object");
    for (const auto& [key, value] : optional->items()) {
      out.optional[key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  return out;
}

std::string MakeSimpleSigningPayload(std::string_view docker_reference, const Digest& digest,
                                     const std::map<std::string, std::string>& optional) {
  // nlohmann::json sorts keys; cosign's Go structs write them in this order,
  // which happens to be sorted too (critical < optional, identity < image < type).
  json doc = {{"critical",
               {{"identity", {{"docker-reference", std::string(docker_reference)}}},
                {"image", {{"docker-manifest-digest", digest.String()}}},
                {"type", std::string(kCosignSignatureType)}}}};
  doc["optional"] = nullptr;
  if (!optional.empty()) doc["optional"] = optional;
  return doc.dump();
}

}  // namespace regdigest
