// Fuzz target: finding image references in Dockerfiles, compose files and
// Kubernetes manifests (common/image_references.h). The first input byte
// picks the file name (so detection by name and by content both run), the
// rest is the content; each kind's finder also runs on it directly. Every
// occurrence must lie within the content, with the right line, in file order;
// every one pin may replace must point at exactly its text in the content.
#include <string>
#include <vector>

#include "common/pin/image_references.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

constexpr std::string_view kPaths[] = {"Dockerfile",         "compose.yaml",
                                       "deploy.yaml",        "app/Containerfile.dev",
                                       "docker-compose.yml", "notes"};

void CheckOccurrences(std::string_view content, const Result<std::vector<ImageOccurrence>>& found) {
  if (!found.ok()) {
    FUZZ_CHECK(found.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  size_t previous_offset = 0;
  for (const ImageOccurrence& occurrence : *found) {
    FUZZ_CHECK(occurrence.offset <= content.size());
    // pin replaces only occurrences that are not skipped; a skipped one (a
    // YAML block scalar, escapes...) may be reported at its node's start.
    if (occurrence.skipped.empty()) {
      FUZZ_CHECK(occurrence.text.size() <= content.size() - occurrence.offset);
      if (content.substr(occurrence.offset, occurrence.text.size()) != occurrence.text) {
        std::fprintf(stderr, "occurrence \"%s\" at offset %zu is not the content's bytes\n",
                     occurrence.text.c_str(), occurrence.offset);
      }
      FUZZ_CHECK(content.substr(occurrence.offset, occurrence.text.size()) == occurrence.text);
    }
    FUZZ_CHECK(occurrence.line == LineAtOffset(content, occurrence.offset));
    FUZZ_CHECK(occurrence.offset >= previous_offset);
    previous_offset = occurrence.offset;
    (void)FirstVariable(occurrence.text);
  }
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  if (size == 0) return 0;
  const std::string_view path = fuzz::kPaths[data[0] % std::size(fuzz::kPaths)];
  const std::string_view content = fuzz::AsText(data + 1, size - 1);
  fuzz::CheckOccurrences(content, FindImageReferences(path, content));
  for (ImageFileKind kind :
       {ImageFileKind::kDockerfile, ImageFileKind::kCompose, ImageFileKind::kKubernetes}) {
    fuzz::CheckOccurrences(content, FindImageReferences(kind, path, content));
  }
  return 0;
}
