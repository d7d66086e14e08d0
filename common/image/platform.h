// Platform: os/architecture[/variant] of an image, as in OCI image indexes,
// with the normalisation containerd uses to match them (aarch64 -> arm64,
// x86_64 -> amd64, arm64 implies v8, arm implies v7).
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

struct Platform {
  std::string os;            // "linux"
  std::string architecture;  // "amd64"
  std::string variant;       // "v8", or ""

  // "linux/arm64", "linux/arm/v7"; kInvalidArgument with a clear message otherwise.
  static Result<Platform> Parse(std::string_view text);
  // Normalised copy: lowercase, architecture aliases folded, default variants set.
  Platform Normalized() const;
  // "linux/arm64/v8" (variant only when set).
  std::string String() const;
  // True when both normalise to the same os/arch/variant.
  bool Matches(const Platform& other) const;
  // "unknown/unknown" entries of an index (attestations).
  bool IsUnknown() const;

  friend bool operator==(const Platform&, const Platform&) = default;
};

}  // namespace regdigest
