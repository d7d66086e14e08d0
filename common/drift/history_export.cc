#include "common/drift/history_export.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/base/timestamp.h"
#include "common/image/digest.h"
#include "common/image/reference.h"

namespace regdigest {
namespace {

constexpr std::size_t kMaxRunIdBytes = 64;
constexpr std::size_t kMaxShortFieldBytes = 255;

Status Invalid(const std::string& why) { return Status(StatusCode::kInvalidArgument, why); }

std::string Rfc3339(std::int64_t seconds) {
  return FormatRfc3339(WallTime(std::chrono::seconds(seconds)));
}

// Printable ASCII only (media types, statuses, run ids).
bool PrintableAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

Result<std::string> StringField(const nlohmann::json& object, const char* key,
                                std::size_t max_bytes) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return Invalid(std::string(key) + ": not a string");
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes) {
    return Invalid(std::string(key) + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  return value;
}

}  // namespace

std::string FormatHistoryExportLine(const Observation& o) {
  nlohmann::ordered_json line = {
      {"reference", o.reference}, {"observedAt", Rfc3339(o.observed_at)}, {"run", o.run_id}};
  line["digest"] = o.digest ? nlohmann::ordered_json(*o.digest) : nlohmann::ordered_json(nullptr);
  line["mediaType"] = o.media_type;
  line["status"] = o.status;
  line["message"] = o.message;
  line["signatureVerified"] = o.signature_verified ? nlohmann::ordered_json(*o.signature_verified)
                                                   : nlohmann::ordered_json(nullptr);
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Observation> ParseHistoryExportLine(std::string_view line) {
  if (line.size() > kMaxHistoryImportLineBytes) {
    return Invalid("longer than " + std::to_string(kMaxHistoryImportLineBytes) + " bytes");
  }
  const nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return Invalid("not valid JSON");
  if (!object.is_object()) return Invalid("not a JSON object");
  static const std::set<std::string> kKeys = {"reference", "observedAt",       "run",
                                              "digest",    "mediaType",        "status",
                                              "message",   "signatureVerified"};
  for (const auto& [key, value] : object.items()) {
    if (kKeys.count(key) == 0) return Invalid("unknown field \"" + key.substr(0, 64) + "\"");
  }
  Observation o;
  Result<std::string> reference = StringField(object, "reference", kMaxShortFieldBytes);
  if (!reference.ok()) return reference.status();
  Result<Reference> parsed = Reference::Parse(*reference);
  if (!parsed.ok() || (parsed->tag() && parsed->digest()) ||
      parsed->WithDefaultTag().String() != *reference) {
    return Invalid("reference: not a canonical image reference");
  }
  o.reference = *reference;
  Result<std::string> time = StringField(object, "observedAt", 64);
  if (!time.ok()) return time.status();
  Result<WallTime> when = ParseRfc3339(*time);
  if (!when.ok()) return Invalid("observedAt: not an RFC 3339 time");
  o.observed_at =
      std::chrono::duration_cast<std::chrono::seconds>(when->time_since_epoch()).count();
  Result<std::string> run = StringField(object, "run", kMaxRunIdBytes);
  if (!run.ok()) return run.status();
  if (run->empty() || !PrintableAscii(*run) || run->find(' ') != std::string::npos) {
    return Invalid("run: empty or not printable ASCII without spaces");
  }
  o.run_id = *run;
  const auto digest = object.find("digest");
  if (digest == object.end() || !(digest->is_null() || digest->is_string())) {
    return Invalid("digest: not a string or null");
  }
  if (digest->is_string()) {
    Result<Digest> valid = Digest::Parse(digest->get<std::string>());
    if (!valid.ok()) return Invalid("digest: " + valid.status().message());
    o.digest = valid->String();
  }
  Result<std::string> media_type = StringField(object, "mediaType", kMaxShortFieldBytes);
  if (!media_type.ok()) return media_type.status();
  if (!PrintableAscii(*media_type)) return Invalid("mediaType: not printable ASCII");
  o.media_type = *media_type;
  Result<std::string> status = StringField(object, "status", 64);
  if (!status.ok()) return status.status();
  if (status->empty() || !PrintableAscii(*status)) return Invalid("status: empty or not ASCII");
  o.status = *status;
  if ((o.status == kObservationOk) != o.digest.has_value()) {
    return Invalid("status \"ok\" goes with a digest, any other status with null");
  }
  Result<std::string> message = StringField(object, "message", kMaxObservationMessageBytes);
  if (!message.ok()) return message.status();
  if (message->find('\0') != std::string::npos) return Invalid("message: contains NUL");
  o.message = *message;
  const auto verified = object.find("signatureVerified");
  if (verified != object.end() && !verified->is_null()) {
    if (!verified->is_boolean()) return Invalid("signatureVerified: not a boolean or null");
    o.signature_verified = verified->get<bool>();
  }
  return o;
}

}  // namespace regdigest
