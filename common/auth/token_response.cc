#include "common/auth/token_response.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/base/timestamp.h"

namespace regdigest {
namespace {

using nlohmann::json;

Status Protocol(std::string what) {
  return Status(StatusCode::kProtocol, "token response: " + std::move(what));
}

// A token string field: absent or null → "", wrong type → error.
Status StringField(const json& doc, const char* key, std::string& out) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Protocol(std::string("\"") + key + "\" is not a string");
  out = it->get<std::string>();
  return Status::Ok();
}

bool IsHeaderSafeToken(std::string_view token) {
  for (const char c : token) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<TokenResponse> ParseTokenResponse(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Protocol("not valid JSON");
  if (!doc.is_object()) return Protocol("not a JSON object");

  TokenResponse out;
  std::string access_token;
  if (Status st = StringField(doc, "token", out.token); !st.ok()) return st;
  if (Status st = StringField(doc, "access_token", access_token); !st.ok()) return st;
  if (out.token.empty()) out.token = std::move(access_token);
  if (out.token.empty()) return Protocol("no \"token\" or \"access_token\"");
  // The token goes into an Authorization header: no spaces or control
  // characters (which could also smuggle in another header line).
  if (!IsHeaderSafeToken(out.token)) {
    return Protocol("the token contains characters not allowed in an HTTP header");
  }
  if (Status st = StringField(doc, "refresh_token", out.refresh_token); !st.ok()) return st;

  if (auto it = doc.find("expires_in"); it != doc.end() && !it->is_null()) {
    if (!it->is_number()) return Protocol("\"expires_in\" is not a number");
    double secs = it->get<double>();
    // Clamp huge values to ten years rather than overflow.
    constexpr double kMax = 10.0 * 365 * 24 * 3600;
    if (secs > kMax) secs = kMax;
    if (secs >= 60) out.expires_in = std::chrono::seconds(static_cast<int64_t>(std::floor(secs)));
  }

  if (auto it = doc.find("issued_at"); it != doc.end() && !it->is_null()) {
    if (!it->is_string()) return Protocol("\"issued_at\" is not a string");
    auto issued = ParseRfc3339(it->get_ref<const std::string&>());
    if (!issued.ok()) return Protocol("\"issued_at\" is not an RFC 3339 time");
    out.issued_at = *issued;
  }
  return out;
}

}  // namespace regdigest
