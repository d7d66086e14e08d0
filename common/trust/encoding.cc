#include "common/trust/encoding.h"

#include <charconv>

#include "common/base/base64.h"
#include "common/image/digest.h"

namespace regdigest {

Result<std::string> DecodeSignatureBase64(std::string_view text, std::string_view what) {
  const Status bad(StatusCode::kInvalidArgument, "malformed base64 in " + std::string(what));
  const bool url_safe = text.find_first_of("-_") != std::string_view::npos;
  if (url_safe && text.find_first_of("+/") != std::string_view::npos) return bad;
  std::string standard;
  standard.reserve(text.size());
  for (const char c : text) {
    if (c == '\r' || c == '\n') return bad;  // Base64Decode would skip them
    standard.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  }
  Result<std::string> decoded = Base64Decode(standard);
  if (!decoded.ok()) return bad;
  return std::move(decoded).value();
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0x0f]);
  }
  return hex;
}

std::string Sha256Hex(std::string_view bytes) { return Digest::Sha256Of(bytes).hex(); }

Result<int64_t> ParseDecimalInt64(std::string_view text, std::string_view what) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || text.front() == '+') {
    return Status(StatusCode::kInvalidArgument, std::string(what) + " is not an integer");
  }
  return value;
}

}  // namespace regdigest
