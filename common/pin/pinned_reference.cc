#include "common/pin/pinned_reference.h"

namespace regdigest {

WrittenReference SplitWrittenReference(std::string_view text) {
  WrittenReference parts;
  const std::size_t at = text.find('@');
  if (at != std::string_view::npos) {
    parts.digest = std::string(text.substr(at + 1));
    text = text.substr(0, at);
  }
  const std::size_t colon = text.find_last_of(':');
  const std::size_t slash = text.find_last_of('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    parts.tag = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  parts.name = std::string(text);
  return parts;
}

std::string PinnedReferenceText(std::string_view written, const Digest& digest) {
  const WrittenReference parts = SplitWrittenReference(written);
  return parts.name + ":" + (parts.tag.empty() ? "latest" : parts.tag) + "@" + digest.String();
}

std::string TagPartOf(std::string_view written) {
  return std::string(written.substr(0, written.find('@')));
}

}  // namespace regdigest
