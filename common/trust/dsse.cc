#include "common/trust/dsse.h"

#include "common/trust/json_fields.h"
#include "common/trust/simple_signing.h"

namespace regdigest {

Result<DsseEnvelope> ParseDsseEnvelope(std::string_view json) {
  Result<nlohmann::json> doc = trust_json::Parse(json, kMaxSignaturePayloadBytes, "envelope");
  if (!doc.ok()) return doc.status();
  return trust_json::Envelope(*doc);
}

std::string PreAuthEncoding(std::string_view payload_type, std::string_view body) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += std::to_string(body.size());
  out += ' ';
  out += body;
  return out;
}

}  // namespace regdigest
