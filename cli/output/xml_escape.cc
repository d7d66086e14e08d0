#include "cli/output/xml_escape.h"

#include <algorithm>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// "&#N;" for the code point of a valid UTF-8 sequence.
std::string CharacterReference(std::string_view sequence) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(sequence[k]) & 0x3F; };
  const auto lead = static_cast<unsigned char>(sequence[0]);
  unsigned code = 0;
  if (sequence.size() == 2) code = ((lead & 0x1Fu) << 6) | b(1);
  if (sequence.size() == 3) code = ((lead & 0x0Fu) << 12) | (b(1) << 6) | b(2);
  if (sequence.size() == 4) code = ((lead & 0x07u) << 18) | (b(1) << 12) | (b(2) << 6) | b(3);
  return "&#" + std::to_string(code) + ";";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = Utf8SequenceLength(text, i);
      const std::string_view sequence = text.substr(i, std::max<std::size_t>(length, 1));
      i += sequence.size();
      if (length == 0 || sequence == "\xEF\xBF\xBE" || sequence == "\xEF\xBF\xBF") {
        out += kReplacement;  // not UTF-8, or U+FFFE/U+FFFF: not XML characters
      } else if (EscapeForTerminal(sequence) != sequence) {
        out += CharacterReference(sequence);  // C1, bidi override: allowed, but not raw
      } else {
        out += sequence;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
        out += "&#9;";  // as references, they survive attribute normalization
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (byte == 0x7F) {
          out += "&#127;";
        } else if (byte < 0x20) {
          out += kReplacement;  // XML 1.0 has no other character below 0x20
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace regdigest
