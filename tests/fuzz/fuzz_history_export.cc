// Fuzz target: history import lines (common/drift/history_export.h), which
// `regdigest history --import` reads from untrusted files. A line either is
// refused with kInvalidArgument and a message, or parses to an observation
// that formats to a line parsing to the same observation, and formatting is
// stable: format(parse(format(x))) == format(x).
#include <string>

#include "common/drift/history_export.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  Result<Observation> parsed = ParseHistoryExportLine(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!parsed.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!parsed->run_id.empty());
  FUZZ_CHECK((parsed->status == kObservationOk) == parsed->digest.has_value());
  const std::string line = FormatHistoryExportLine(*parsed);
  FUZZ_CHECK(line.find('\n') == std::string::npos);
  Result<Observation> again = ParseHistoryExportLine(line);
  if (!again.ok()) {
    std::fprintf(stderr, "formatted line does not parse: %s\n", again.status().message().c_str());
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->reference == parsed->reference);
  FUZZ_CHECK(again->observed_at == parsed->observed_at);
  FUZZ_CHECK(again->run_id == parsed->run_id);
  FUZZ_CHECK(again->digest == parsed->digest);
  FUZZ_CHECK(again->media_type == parsed->media_type);
  FUZZ_CHECK(again->status == parsed->status);
  FUZZ_CHECK(again->message == parsed->message);
  FUZZ_CHECK(again->signature_verified == parsed->signature_verified);
  FUZZ_CHECK(FormatHistoryExportLine(*again) == line);
  return 0;
}
