#include "common/base/base64.h"

#include <openssl/evp.h>

namespace regdigest {
namespace {

// EVP_*Block take an int length; larger inputs go through in chunks that keep
// whole 3-byte groups (encoding) or 4-symbol quanta (decoding).
constexpr size_t kEncodeChunk = 3 * 16384;
constexpr size_t kDecodeChunk = 4 * 16384;

bool IsBase64Symbol(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

Status Invalid(std::string what) {
  return Status(StatusCode::kInvalidArgument, "invalid base64: " + std::move(what));
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  for (size_t at = 0; at < bytes.size(); at += kEncodeChunk) {
    const std::string_view chunk = bytes.substr(at, kEncodeChunk);
    const size_t start = out.size();
    out.resize(start + (chunk.size() + 2) / 3 * 4 + 1);  // + the NUL OpenSSL writes
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + start),
                                        Bytes(chunk), static_cast<int>(chunk.size()));
    out.resize(start + static_cast<size_t>(written));
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  // Symbols without CR/LF, checked here because EVP_DecodeBlock is lenient.
  std::string symbols;
  symbols.reserve(text.size() + 3);
  size_t padding = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return Invalid("data after '=' padding at offset " + std::to_string(pos));
    if (!IsBase64Symbol(c)) return Invalid("unexpected character at offset " + std::to_string(pos));
    symbols += c;
  }
  const size_t partial = symbols.size() % 4;  // symbols in the last quantum
  if (partial == 1) return Invalid("truncated input (length is not possible)");
  if (padding > 0 && (partial == 0 || partial + padding != 4)) {
    return Invalid("wrong amount of '=' padding");
  }
  const size_t pad = partial == 0 ? 0 : 4 - partial;  // what the text had or omitted
  symbols.append(pad, '=');

  std::string out(symbols.size() / 4 * 3, '\0');
  size_t written = 0;
  for (size_t at = 0; at < symbols.size(); at += kDecodeChunk) {
    const std::string_view chunk = std::string_view(symbols).substr(at, kDecodeChunk);
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                  Bytes(chunk), static_cast<int>(chunk.size()));
    if (n < 0) return Invalid("rejected by the decoder");  // not reached after the checks above
    written += static_cast<size_t>(n);
  }
  out.resize(written - pad);  // EVP_DecodeBlock returns each '=' as a zero byte
  return out;
}

}  // namespace regdigest
