// CountText: "1 error", "2 errors", "0 errors" for the summary lines every
// command prints, so that no line says "1 errors" or "error(s)". English
// plurals by adding "s" unless a plural is given. Pure, safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regdigest {

inline std::string CountText(std::size_t n, std::string_view singular,
                             std::string_view plural = {}) {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out.append(singular);
  if (!plural.empty()) return out.append(plural);
  return out.append(singular).append("s");
}

}  // namespace regdigest
