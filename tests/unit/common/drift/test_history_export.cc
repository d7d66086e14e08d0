// Tests for common/drift/history_export.h: the export line format and the
// validation of untrusted import lines.
#include <doctest/doctest.h>

#include <string>

#include "common/drift/history_export.h"

namespace regdigest {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

std::string Line(const std::string& fields) {
  return "{\"reference\":\"docker.io/library/nginx:1.25\",\"observedAt\":\"2026-11-30T12:00:00Z\","
         "\"run\":\"r1\"," +
         fields + "}";
}

TEST_CASE("An export line round-trips every field, keys in a fixed order") {
  Observation o;
  o.reference = "docker.io/library/nginx:1.25";
  o.observed_at = 1764504000;  // 2025-11-30T12:00:00Z
  o.run_id = "0123abcd";
  o.digest = kDigest;
  o.media_type = "application/vnd.oci.image.index.v1+json";
  o.signature_verified = true;
  const std::string line = FormatHistoryExportLine(o);
  CHECK(line ==
        "{\"reference\":\"docker.io/library/nginx:1.25\",\"observedAt\":"
        "\"2025-11-30T12:00:00Z\",\"run\":\"0123abcd\",\"digest\":\"" +
            kDigest +
            "\",\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"status\":"
            "\"ok\",\"message\":\"\",\"signatureVerified\":true}");
  Result<Observation> back = ParseHistoryExportLine(line);
  REQUIRE(back.ok());
  CHECK(back->reference == o.reference);
  CHECK(back->observed_at == o.observed_at);
  CHECK(back->run_id == o.run_id);
  CHECK(back->digest == o.digest);
  CHECK(back->media_type == o.media_type);
  CHECK(back->status == "ok");
  CHECK(back->signature_verified == std::optional<bool>(true));
  CHECK(FormatHistoryExportLine(*back) == line);
}

TEST_CASE("Import lines are validated field by field") {
  const std::string ok_fields =
      "\"digest\":\"" + kDigest + "\",\"mediaType\":\"m\",\"status\":\"ok\",\"message\":\"\"";
  struct Case {
    std::string name, line, want;  // want: "" accepted, else part of the error
  };
  const Case cases[] = {
      {"valid", Line(ok_fields), ""},
      {"valid failure",
       Line("\"digest\":null,\"mediaType\":\"\",\"status\":\"not found\","
            "\"message\":\"no such tag\",\"signatureVerified\":null"),
       ""},
      {"not JSON", "{\"reference\":", "not valid JSON"},
      {"not an object", "[1,2]", "not a JSON object"},
      {"unknown field", Line(ok_fields + ",\"extra\":1"), "unknown field \"extra\""},
      {"missing digest", Line("\"mediaType\":\"m\",\"status\":\"ok\",\"message\":\"\""),
       "digest: not a string or null"},
      {"bad digest",
       Line("\"digest\":\"sha256:zz\",\"mediaType\":\"m\",\"status\":\"ok\","
            "\"message\":\"\""),
       "digest:"},
      {"ok without digest",
       Line("\"digest\":null,\"mediaType\":\"m\",\"status\":\"ok\",\"message\":\"\""),
       "status \"ok\" goes with a digest"},
      {"non-canonical reference",
       "{\"reference\":\"nginx\",\"observedAt\":\"2026-11-30T12:00:00Z\",\"run\":\"r\"," +
           ok_fields + "}",
       "reference: not a canonical image reference"},
      {"bad time",
       "{\"reference\":\"docker.io/library/nginx:1.25\",\"observedAt\":\"yesterday\",\"run\":"
       "\"r\"," +
           ok_fields + "}",
       "observedAt: not an RFC 3339 time"},
      {"run with a space",
       "{\"reference\":\"docker.io/library/nginx:1.25\",\"observedAt\":\"2026-11-30T12:00:00Z\","
       "\"run\":\"a b\"," +
           ok_fields + "}",
       "run: empty or not printable"},
      {"control character in media type",
       Line("\"digest\":\"" + kDigest +
            "\",\"mediaType\":\"a\\u001bb\",\"status\":\"ok\",\"message\":\"\""),
       "mediaType: not printable ASCII"},
      {"huge message",
       Line("\"digest\":null,\"mediaType\":\"\",\"status\":\"x\",\"message\":\"" +
            std::string(kMaxObservationMessageBytes + 1, 'm') + "\""),
       "message: longer than"},
      {"signatureVerified not a boolean", Line(ok_fields + ",\"signatureVerified\":\"yes\""),
       "signatureVerified: not a boolean"},
      {"line too long", std::string(kMaxHistoryImportLineBytes + 1, ' '), "longer than"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<Observation> parsed = ParseHistoryExportLine(c.line);
    if (c.want.empty()) {
      CHECK_MESSAGE(parsed.ok(), parsed.status().ToString());
    } else {
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
      CHECK_MESSAGE(parsed.status().message().find(c.want) != std::string::npos,
                    parsed.status().message());
    }
  }
}

}  // namespace
}  // namespace regdigest
