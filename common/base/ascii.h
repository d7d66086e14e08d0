// ASCII case folding for protocol text: header names, auth schemes and
// parameters, host names, OS/architecture names, Dockerfile keywords.
// Locale-independent by design: only 'A'-'Z' change, every other byte
// (including UTF-8 and other bytes >= 0x80) is left as it is. Never use
// std::tolower for this: it depends on the global locale and is undefined
// for negative char values. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace regdigest {

// 'A'-'Z' to 'a'-'z'; any other byte unchanged.
constexpr char AsciiToLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// A copy of `text` with AsciiToLower applied to every byte.
std::string AsciiLower(std::string_view text);

// True when `a` and `b` have the same length and are equal byte by byte
// after AsciiToLower ("Content-Type" and "content-type").
bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace regdigest
