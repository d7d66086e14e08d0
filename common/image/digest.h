// Digest: a content address "algorithm:hex" (sha256 or sha512), parsed once
// and compared as a value, never as a raw string. Computed with OpenSSL.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

class Digest {
 public:
  // Accepts "sha256:<64 lowercase hex>" and "sha512:<128 lowercase hex>".
  // Anything else is kInvalidArgument with a message saying what is wrong.
  static Result<Digest> Parse(std::string_view text);

  static Digest Sha256Of(std::string_view bytes);
  static Digest Sha512Of(std::string_view bytes);

  const std::string& algorithm() const { return algorithm_; }
  const std::string& hex() const { return hex_; }
  std::string String() const { return algorithm_ + ":" + hex_; }
  // First 12 hex characters, as `docker images` shows an image ID.
  std::string ShortHex() const { return hex_.substr(0, 12); }

  // True when bytes hash (with this digest's algorithm) to this digest.
  bool Matches(std::string_view bytes) const;

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  Digest(std::string algorithm, std::string hex)
      : algorithm_(std::move(algorithm)), hex_(std::move(hex)) {}

  std::string algorithm_;
  std::string hex_;
};

}  // namespace regdigest
