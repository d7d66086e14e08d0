// Fuzz target: Reference::Parse on arbitrary bytes. A parsed reference must
// print (String, FamiliarString) to text that parses back to an equal
// reference, and its accessors must agree with each other.
#include <string>

#include "common/image/reference.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

void CheckRoundTrip(const Reference& ref, const std::string& text) {
  Result<Reference> again = Reference::Parse(text);
  if (!again.ok()) {
    std::fprintf(stderr, "printed reference \"%s\" does not parse: %s\n", text.c_str(),
                 again.status().message().c_str());
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == ref);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  Result<Reference> ref = Reference::Parse(fuzz::AsText(data, size));
  if (!ref.ok()) {
    FUZZ_CHECK(ref.status().code() == StatusCode::kInvalidReference);
    FUZZ_CHECK(!ref.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!ref->domain().empty());
  FUZZ_CHECK(!ref->path().empty());
  FUZZ_CHECK(ref->Name().size() <= 255);
  FUZZ_CHECK(ref->String().starts_with(ref->Name()));
  FUZZ_CHECK(!ref->Identifier().empty());
  const Reference with_tag = ref->WithDefaultTag();
  FUZZ_CHECK(with_tag.tag().has_value() || with_tag.digest().has_value());
  fuzz::CheckRoundTrip(*ref, ref->String());
  fuzz::CheckRoundTrip(*ref, ref->FamiliarString());
  fuzz::CheckRoundTrip(with_tag, with_tag.String());
  return 0;
}
