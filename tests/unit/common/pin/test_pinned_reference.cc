// Tests for common/pinned_reference.h: name and tag as written, digest added.
#include <doctest/doctest.h>

#include <string>

#include "common/pin/pinned_reference.h"

namespace regdigest {
namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');

TEST_CASE("SplitWrittenReference keeps the parts as written") {
  struct Case {
    std::string text, name, tag, digest;
  };
  const Case cases[] = {
      {"nginx", "nginx", "", ""},
      {"nginx:1.25", "nginx", "1.25", ""},
      {"nginx@" + kOld, "nginx", "", kOld},
      {"nginx:1.25@" + kOld, "nginx", "1.25", kOld},
      {"127.0.0.1:5000/team/app", "127.0.0.1:5000/team/app", "", ""},
      {"127.0.0.1:5000/team/app:v1@" + kOld, "127.0.0.1:5000/team/app", "v1", kOld},
      {"[::1]:5000/app:v1", "[::1]:5000/app", "v1", ""},
      {"docker.io/library/nginx:latest", "docker.io/library/nginx", "latest", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const WrittenReference parts = SplitWrittenReference(c.text);
    CHECK(parts.name == c.name);
    CHECK(parts.tag == c.tag);
    CHECK(parts.digest == c.digest);
  }
}

TEST_CASE("PinnedReferenceText and TagPartOf") {
  const Digest digest = Digest::Parse(kNew).value();
  struct Case {
    std::string written, pinned, tag_part;
  };
  const Case cases[] = {
      {"nginx:1.25", "nginx:1.25@" + kNew, "nginx:1.25"},
      {"nginx", "nginx:latest@" + kNew, "nginx"},
      {"nginx:1.25@" + kOld, "nginx:1.25@" + kNew, "nginx:1.25"},
      {"localhost:5000/app", "localhost:5000/app:latest@" + kNew, "localhost:5000/app"},
      {"ghcr.io/o/r:v1.2.3", "ghcr.io/o/r:v1.2.3@" + kNew, "ghcr.io/o/r:v1.2.3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.written);
    CHECK(PinnedReferenceText(c.written, digest) == c.pinned);
    CHECK(TagPartOf(c.written) == c.tag_part);
  }
}

}  // namespace
}  // namespace regdigest
