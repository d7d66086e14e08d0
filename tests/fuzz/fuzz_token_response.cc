// Fuzz target: token server answers (common/token_response.h) and the RFC
// 3339 times they carry (common/timestamp.h). A parsed response has a token
// and an expiry of at least 60 s; a parsed time prints (whole seconds, UTC)
// to text that parses back to the same second. A parse error never depends on the secrets in the
// body: the same document with every token value replaced gives the same message.
#include <nlohmann/json.hpp>
#include <string>

#include "common/auth/token_response.h"
#include "common/base/timestamp.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

// Checks that the error for `doc` is the same when its secrets change.
void CheckErrorIgnoresSecrets(nlohmann::json doc) {
  const std::string original = doc.dump();
  bool replaced = false;
  for (const char* key : {"token", "access_token", "refresh_token"}) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string()) continue;
    std::string secret = it->get<std::string>();
    if (secret.empty()) continue;
    // Other letters, but the same validity: spaces and control characters,
    // which make a token unusable in a header, stay where they are.
    for (char& c : secret) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte <= 0x20 || byte == 0x7f) continue;
      c = (c == 'x') ? 'y' : 'x';
    }
    *it = secret;
    replaced = true;
  }
  if (!replaced) return;
  Result<TokenResponse> first = ParseTokenResponse(original);
  Result<TokenResponse> second = ParseTokenResponse(doc.dump());
  FUZZ_CHECK(first.ok() == second.ok());
  if (!first.ok()) FUZZ_CHECK(first.status().message() == second.status().message());
}

void CheckTimeRoundTrip(std::string_view text) {
  using namespace std::chrono;
  Result<WallTime> time = ParseRfc3339(text);
  if (!time.ok()) {
    FUZZ_CHECK(time.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  const auto second = floor<seconds>(*time);
  const year_month_day day(floor<days>(second));
  if (day.year() < year(1) || day.year() > year(9999)) return;  // not printable as YYYY
  const std::string printed = FormatRfc3339(*time);
  Result<WallTime> again = ParseRfc3339(printed);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == second);
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view body = fuzz::AsText(data, size);
  Result<TokenResponse> response = ParseTokenResponse(body);
  if (response.ok()) {
    FUZZ_CHECK(!response->token.empty());
    FUZZ_CHECK(response->expires_in >= std::chrono::seconds(60));
  } else {
    FUZZ_CHECK(response.status().code() == StatusCode::kProtocol);
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object()) fuzz::CheckErrorIgnoresSecrets(std::move(doc));
  }
  fuzz::CheckTimeRoundTrip(body);
  return 0;
}
