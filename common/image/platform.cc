#include "common/image/platform.h"

#include <string>
#include <vector>

#include "common/base/ascii.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

Status Bad(std::string_view text, std::string what) {
  return Status(StatusCode::kInvalidArgument, "platform " + Quoted(text) + " " + std::move(what));
}

bool IsPlatformChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

std::vector<std::string_view> Split(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

Result<Platform> Platform::Parse(std::string_view text) {
  std::vector<std::string_view> parts = Split(text);
  if (parts.size() < 2 || parts.size() > 3) return Bad(text, "must be os/arch[/variant]");
  static constexpr const char* kNames[] = {"os", "architecture", "variant"};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) return Bad(text, std::string("has an empty ") + kNames[i]);
    for (char c : parts[i]) {
      if (!IsPlatformChar(c)) {
        return Bad(text, std::string("has an invalid ") + kNames[i] + " " + Quoted(parts[i]) +
                             ": only lowercase letters, digits and _ are allowed");
      }
    }
  }
  Platform p;
  p.os = std::string(parts[0]);
  p.architecture = std::string(parts[1]);
  if (parts.size() == 3) p.variant = std::string(parts[2]);
  return p;
}

// Mirrors containerd's platforms.Normalize (normalizeOS / normalizeArch).
Platform Platform::Normalized() const {
  Platform p{AsciiLower(os), AsciiLower(architecture), AsciiLower(variant)};
  if (p.os == "macos") p.os = "darwin";
  std::string& arch = p.architecture;
  std::string& var = p.variant;
  if (arch == "i386" || arch == "386") {
    arch = "386";
    var = "";
  } else if (arch == "x86_64" || arch == "x86-64" || arch == "amd64") {
    arch = "amd64";
    if (var == "v1") var = "";
  } else if (arch == "aarch64" || arch == "arm64") {
    arch = "arm64";
    if (var.empty() || var == "8" || var == "v8.0") var = "v8";
  } else if (arch == "armhf") {
    arch = "arm";
    var = "v7";
  } else if (arch == "armel") {
    arch = "arm";
    var = "v6";
  } else if (arch == "arm") {
    if (var.empty() || var == "7") {
      var = "v7";
    } else if (var == "5" || var == "6" || var == "8") {
      var = "v" + var;
    }
  }
  return p;
}

std::string Platform::String() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

bool Platform::Matches(const Platform& other) const { return Normalized() == other.Normalized(); }

bool Platform::IsUnknown() const {
  return AsciiLower(os) == "unknown" || AsciiLower(architecture) == "unknown";
}

}  // namespace regdigest
