// An image reference as written in a file, split into the parts `pin`
// rewrites: the name stays exactly as written (a familiar "nginx" stays
// "nginx"), the tag is kept, and the digest is added or replaced.
#pragma once

#include <string>
#include <string_view>

#include "common/image/digest.h"

namespace regdigest {

struct WrittenReference {
  std::string name;    // as written: "nginx", "127.0.0.1:5000/team/app"
  std::string tag;     // "" when none is written
  std::string digest;  // "sha256:..." as written; "" when none
};

// Splits at the first '@' (digest) and at the last ':' after the last '/'
// (tag), so a registry port is not taken for a tag. No validation: callers
// parse the text with Reference::Parse first.
WrittenReference SplitWrittenReference(std::string_view text);

// "name:tag@digest": the written name and tag ("latest" when none is written,
// which is what it resolved to) with `digest` added or replacing the written one.
std::string PinnedReferenceText(std::string_view written, const Digest& digest);

// The written reference without its digest: what to resolve to see where the
// tag points now ("nginx:1.25@sha256:..." -> "nginx:1.25").
std::string TagPartOf(std::string_view written);

}  // namespace regdigest
