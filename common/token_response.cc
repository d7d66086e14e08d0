#include "common/token_response.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace regdigest {
namespace {

using nlohmann::json;

Status Protocol(std::string what) {
  return Status(StatusCode::kProtocol, "token response: " + std::move(what));
}

// Reads exactly `n` digits at `pos`; -1 when they are not all digits.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool Expect(std::string_view s, size_t pos, std::string_view chars) {
  return pos < s.size() && chars.find(s[pos]) != std::string_view::npos;
}

// A token string field: absent or null → "", wrong type → error.
Status StringField(const json& doc, const char* key, std::string& out) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Protocol(std::string("\"") + key + "\" is not a string");
  out = it->get<std::string>();
  return Status::Ok();
}

}  // namespace

Result<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  Status bad(StatusCode::kInvalidArgument,
             "invalid RFC 3339 time \"" + std::string(s.substr(0, 64)) + "\"");
  // YYYY-MM-DDTHH:MM:SS
  int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
  int hour = Digits(s, 11, 2), minute = Digits(s, 14, 2), second = Digits(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return bad;
  if (!Expect(s, 4, "-") || !Expect(s, 7, "-") || !Expect(s, 10, "Tt ") || !Expect(s, 13, ":") ||
      !Expect(s, 16, ":")) {
    return bad;
  }
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return bad;
  size_t pos = 19;
  nanoseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100000000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac += nanoseconds((s[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad;
  }
  seconds offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = Digits(s, pos + 1, 2), om = Digits(s, pos + 4, 2);
    if (oh < 0 || om < 0 || !Expect(s, pos + 3, ":") || oh > 23 || om > 59) return bad;
    offset = hours(oh) + minutes(om);
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return bad;
  }
  if (pos != s.size()) return bad;
  sys_time<nanoseconds> t =
      sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) + frac - offset;
  return time_point_cast<system_clock::duration>(t);
}

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
