#include "common/image/digest.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <string>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

// Expected hex length for a supported algorithm, 0 when unsupported.
size_t HexLengthFor(std::string_view algorithm) {
  if (algorithm == "sha256") return 64;
  if (algorithm == "sha512") return 128;
  return 0;
}

std::string HashHex(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest fails only when OpenSSL cannot allocate a context; there is
  // no sensible way to continue without a hash function.
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) {
    std::abort();
  }
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHexDigits[out[i] >> 4]);
    hex.push_back(kHexDigits[out[i] & 0x0f]);
  }
  return hex;
}

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace

Result<Digest> Digest::Parse(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Invalid("digest must be algorithm:hex");
  }
  const std::string_view algorithm = text.substr(0, colon);
  const std::string_view hex = text.substr(colon + 1);
  const size_t want = HexLengthFor(algorithm);
  if (want == 0) {
    return Invalid("unsupported digest algorithm " + Quoted(algorithm));
  }
  if (hex.size() != want) {
    return Invalid(std::string(algorithm) + " digest must have " + std::to_string(want) +
                   " hex characters, got " + std::to_string(hex.size()));
  }
  for (size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[i];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
    const std::string where = " at position " + std::to_string(colon + 1 + i);
    if (c >= 'A' && c <= 'F') {
      return Invalid(std::string(algorithm) + " digest must be lowercase hex, found '" +
                     std::string(1, c) + "'" + where);
    }
    return Invalid(std::string(algorithm) + " digest has a non-hex character '" +
                   std::string(1, c) + "'" + where);
  }
  return Digest(std::string(algorithm), std::string(hex));
}

Digest Digest::Sha256Of(std::string_view bytes) {
  return Digest("sha256", HashHex(EVP_sha256(), bytes));
}

Digest Digest::Sha512Of(std::string_view bytes) {
  return Digest("sha512", HashHex(EVP_sha512(), bytes));
}

bool Digest::Matches(std::string_view bytes) const {
  if (algorithm_ == "sha256") return Sha256Of(bytes) == *this;
  if (algorithm_ == "sha512") return Sha512Of(bytes) == *this;
  return false;  // unreachable: Parse admits only the two above
}

}  // namespace regdigest
