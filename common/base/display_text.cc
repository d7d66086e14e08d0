#include "common/base/display_text.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace regdigest {

std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t b0 = byte(i);
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

namespace {

// C1 controls (U+0080-U+009F) and the bidirectional embeddings, overrides and
// isolates (U+202A-U+202E, U+2066-U+2069), which reorder what a terminal shows.
bool IsUnsafeCodePoint(std::string_view sequence) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(sequence[k]); };
  if (sequence.size() == 2) return byte(0) == 0xC2 && byte(1) <= 0x9F;
  if (sequence.size() == 3 && byte(0) == 0xE2) {
    if (byte(1) == 0x80) return byte(2) >= 0xAA && byte(2) <= 0xAE;
    if (byte(1) == 0x81) return byte(2) >= 0xA6 && byte(2) <= 0xA9;
  }
  return false;
}

void AppendEscaped(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : bytes) {
    const auto b = static_cast<std::uint8_t>(c);
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7F) {
        AppendEscaped(out, text.substr(i, 1));
      } else {
        out += text[i];
      }
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      AppendEscaped(out, text.substr(i, 1));
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    if (IsUnsafeCodePoint(sequence)) {
      AppendEscaped(out, sequence);
    } else {
      out += sequence;
    }
    i += length;
  }
  return out;
}

namespace {

std::size_t CutPoint(std::string_view text, std::size_t cap) {
  std::size_t cut = cap;
  // Back up over UTF-8 continuation bytes so no character is split (at most 3).
  for (int k = 0; k < 3 && cut > 0 && (static_cast<std::uint8_t>(text[cut]) & 0xC0) == 0x80; ++k) {
    --cut;
  }
  return cut;
}

std::string CutSuffix(std::size_t size) {
  return "\xE2\x80\xA6 (" + std::to_string(size) + " bytes)";
}

}  // namespace

std::string DisplayText(std::string_view text, std::size_t cap) {
  if (text.size() <= cap) return EscapeForTerminal(text);
  return EscapeForTerminal(text.substr(0, CutPoint(text, cap))) + CutSuffix(text.size());
}

std::string CapText(std::string_view text, std::size_t cap) {
  if (text.size() <= cap) return std::string(text);
  return std::string(text.substr(0, CutPoint(text, cap))) + CutSuffix(text.size());
}

std::string Quoted(std::string_view text, std::size_t cap) {
  return "\"" + DisplayText(text, cap) + "\"";
}

std::size_t DisplayWidth(std::string_view safe_text) {
  std::size_t width = 0;
  for (const char c : safe_text) {
    if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string ColumnText(std::string_view text, std::size_t width) {
  // Escape one character (or invalid byte) at a time, so a cut never splits
  // an escape; `fits` remembers where the text stood at each character.
  std::string out;
  std::vector<std::pair<std::size_t, std::size_t>> fits;  // (out size, width) before each
  std::size_t used = 0, i = 0;
  while (i < text.size()) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    const std::size_t length = b < 0x80 ? 1 : std::max<std::size_t>(Utf8SequenceLength(text, i), 1);
    const std::string unit = EscapeForTerminal(text.substr(i, length));
    fits.emplace_back(out.size(), used);
    used += DisplayWidth(unit);
    out += unit;
    i += length;
    if (used <= width) continue;
    // Too wide: drop characters until "…" fits too.
    while (!fits.empty() && fits.back().second + 1 > width) fits.pop_back();
    if (fits.empty()) return "";
    out.resize(fits.back().first);
    return out + "\xE2\x80\xA6";
  }
  return out;
}

std::string PadRight(std::string safe_text, std::size_t width) {
  const std::size_t current = DisplayWidth(safe_text);
  if (current < width) safe_text.append(width - current, ' ');
  return safe_text;
}

}  // namespace regdigest
