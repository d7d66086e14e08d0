// Fuzz target: Docker Engine API bodies (common/engine_json.h). The same
// bytes are parsed as /images/json, /images/{name}/json, /version, /info and
// an error body (message and unknown route); API versions are parsed from the
// input too. Parsed images must have an Id, and ApiVersion must print back to
// what it parsed.
#include <string>

#include "common/engine/engine_json.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

void CheckImage(const EngineImage& image) {
  FUZZ_CHECK(!image.id.empty());
  for (const std::string& tag : image.repo_tags) FUZZ_CHECK(tag != "<none>:<none>");
  for (const std::string& digest : image.repo_digests) FUZZ_CHECK(digest != "<none>@<none>");
}

void CheckApiVersion(std::string_view text) {
  std::optional<ApiVersion> version = ApiVersion::Parse(text);
  if (!version) return;
  FUZZ_CHECK(version->major >= 0 && version->minor >= 0);
  std::optional<ApiVersion> again = ApiVersion::Parse(version->String());
  FUZZ_CHECK(again && *again == *version);
  std::optional<ApiVersion> negotiated = NegotiateApiVersion(text, ApiVersion{1, 41});
  FUZZ_CHECK(negotiated && *negotiated <= ApiVersion{1, 41} && *negotiated <= *version);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view body = fuzz::AsText(data, size);
  if (Result<std::vector<EngineImage>> list = ParseImageList(body); list.ok()) {
    for (const EngineImage& image : *list) fuzz::CheckImage(image);
  } else {
    FUZZ_CHECK(list.status().code() == StatusCode::kProtocol);
  }
  if (Result<EngineImage> image = ParseImageInspect(body); image.ok()) {
    fuzz::CheckImage(*image);
  }
  if (Result<EngineVersion> version = ParseEngineVersion(body); version.ok()) {
    fuzz::CheckApiVersion(version->api_version);
  }
  if (Result<EngineSystemInfo> info = ParseEngineInfo(body); info.ok()) {
    (void)DetectImageStore(*info);
  }
  FUZZ_CHECK(ParseEngineErrorMessage(body).size() <= body.size() + 3);
  // The engine client decides "no such route" from this, never from text elsewhere.
  const EngineError error = ParseEngineError(body);
  FUZZ_CHECK(error.message == ParseEngineErrorMessage(body));
  FUZZ_CHECK(!error.unknown_route || error.message == "page not found" ||
             error.message == "404 page not found");
  if (body.size() <= 16) fuzz::CheckApiVersion(body);
  return 0;
}
