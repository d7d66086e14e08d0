// Fuzz target: DSSE envelopes (common/trust/dsse.h) and in-toto Statements
// (common/trust/sigstore_bundle.h). A parsed envelope has 1 to
// kMaxDsseSignatures non-empty signatures and a pre-authentication encoding
// that starts with "DSSEv1 " and ends with the payload; a parsed statement has
// at least one subject and no more than the cap.
#include <string>

#include "common/trust/dsse.h"
#include "common/trust/sigstore_bundle.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

void CheckStatement(std::string_view text) {
  Result<InTotoStatement> statement = ParseInTotoStatement(text);
  if (!statement.ok()) {
    FUZZ_CHECK(statement.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(!statement->subjects.empty());
  FUZZ_CHECK(statement->subjects.size() <= kMaxStatementSubjects);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  fuzz::CheckStatement(text);
  Result<DsseEnvelope> envelope = ParseDsseEnvelope(text);
  if (!envelope.ok()) {
    FUZZ_CHECK(envelope.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!envelope.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(!envelope->signatures.empty());
  FUZZ_CHECK(envelope->signatures.size() <= kMaxDsseSignatures);
  for (const DsseSignature& s : envelope->signatures) FUZZ_CHECK(!s.sig.empty());
  const std::string pae = PreAuthEncoding(envelope->payload_type, envelope->payload);
  FUZZ_CHECK(pae.rfind("DSSEv1 ", 0) == 0);
  FUZZ_CHECK(pae.size() >= envelope->payload.size() + envelope->payload_type.size() + 10);
  FUZZ_CHECK(pae.compare(pae.size() - envelope->payload.size(), std::string::npos,
                         envelope->payload) == 0);
  fuzz::CheckStatement(envelope->payload);
  return 0;
}
