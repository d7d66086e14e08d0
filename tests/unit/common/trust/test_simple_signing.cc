#include <doctest/doctest.h>

#include <string>

#include "common/trust/dsse.h"
#include "common/trust/sigstore_bundle.h"
#include "common/trust/simple_signing.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

const char* const kDigest =
    "sha256:44f873350dc583a833cd22a0c5056b18b7f665e5cb93c6f8af6b83206a3815e4";

TEST_CASE("ParseSimpleSigningPayload reads cosign's payload") {
  // Bytes signed by real cosign (tests/data/trust/cosign-real).
  Result<SimpleSigningPayload> real =
      ParseSimpleSigningPayload(trust_test::ReadData("cosign-real/payload.json"));
  REQUIRE(real.ok());
  CHECK(real->docker_reference == "localhost:5000/rx-m-cosign");
  CHECK(real->manifest_digest.String() == kDigest);
  CHECK(real->type == kCosignSignatureType);
  CHECK(real->optional.empty());

  Result<SimpleSigningPayload> annotated =
      ParseSimpleSigningPayload(trust_test::ReadData("cosign/annotated/payload.json"));
  REQUIRE(annotated.ok());
  CHECK(annotated->optional ==
        std::map<std::string, std::string>{{"env", "prod"}, {"team", "core"}});
  CHECK(annotated->docker_reference == "registry.example/team/app");
}

TEST_CASE("MakeSimpleSigningPayload writes cosign's exact bytes") {
  // Same bytes as real cosign's payload, so the same hash as its Rekor entry.
  CHECK(MakeSimpleSigningPayload("localhost:5000/rx-m-cosign", *Digest::Parse(kDigest), {}) ==
        trust_test::ReadData("cosign-real/payload.json"));
  const std::string with = MakeSimpleSigningPayload("r/x", *Digest::Parse(kDigest), {{"a", "b"}});
  CHECK(with.find("\"optional\":{\"a\":\"b\"}") != std::string::npos);
  Result<SimpleSigningPayload> back = ParseSimpleSigningPayload(with);
  REQUIRE(back.ok());
  CHECK(back->optional.at("a") == "b");
}

TEST_CASE("ParseSimpleSigningPayload keeps non-string optional values as JSON text") {
  const std::string payload =
      std::string("{\"critical\":{\"identity\":{\"docker-reference\":\"x\"},") +
      "\"image\":{\"docker-manifest-digest\":\"" + kDigest +
      "\"},\"type\":\"Cosign Container Image Signature\"}," +
      "\"optional\":{\"n\":3,\"b\":true,\"o\":{\"k\":\"v\"}}}";
  Result<SimpleSigningPayload> parsed = ParseSimpleSigningPayload(payload);
  REQUIRE(parsed.ok());  // the type compares case-insensitively
  CHECK(parsed->optional.at("n") == "3");
  CHECK(parsed->optional.at("b") == "true");
  CHECK(parsed->optional.at("o") == "{\"k\":\"v\"}");
}

TEST_CASE("ParseSimpleSigningPayload refuses malformed payloads with a reason") {
  const std::string digest = kDigest;
  auto doc = [&](const std::string& critical, const std::string& rest = "") {
    return "{\"critical\":" + critical + rest + "}";
  };
  const std::string identity = "\"identity\":{\"docker-reference\":\"r\"}";
  const std::string image = "\"image\":{\"docker-manifest-digest\":\"" + digest + "\"}";
  const std::string type = "\"type\":\"cosign container image signature\"";
  struct Case {
    std::string payload;
    const char* reason;
  };
  const Case cases[] = {
      {"", "payload is not JSON"},
      {"{\"critical\":", "payload is not JSON"},
      {"[]", "payload is not a JSON object"},
      {"{}", "payload has no critical"},
      {doc("{" + identity + "," + image + "}"), "payload has no critical.type"},
      {doc("{" + identity + "," + image + ",\"type\":\"atomic container signature\"}"),
       "payload type is \"atomic container signature\", not \"cosign container image "
       "signature\""},
      {doc("{" + identity + "," + type + "}"),
       "payload has no critical.image.docker-manifest-digest"},
      {doc("{" + identity + ",\"image\":{\"docker-manifest-digest\":\"sha256:abc\"}," + type + "}"),
       "payload docker-manifest-digest is not a digest"},
      {doc("{" + image + "," + type + "}"), "payload has no critical.identity"},
      {doc("{\"identity\":{\"docker-reference\":7}," + image + "," + type + "}"),
       "payload docker-reference is not a string"},
      {doc("{" + identity + "," + image + "," + type + "}", ",\"optional\":[1]"),
       "payload optional is not an object"},
      {std::string(kMaxSignaturePayloadBytes + 1, ' '), "payload is over 1 MiB"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.payload.substr(0, 200));
    Result<SimpleSigningPayload> parsed = ParseSimpleSigningPayload(c.payload);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
    CHECK(parsed.status().message() == c.reason);
  }
}

}  // namespace
}  // namespace regdigest

namespace regdigest {
namespace {

TEST_CASE("Signature JSON nested deeper than 64 levels is refused before parsing") {
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  const std::string deep = "{\"critical\":" + nested(100000) + "}";
  CHECK(ParseSimpleSigningPayload(deep).status().message() == "payload is nested too deeply");
  CHECK(ParseDsseEnvelope(deep).status().message() == "envelope is nested too deeply");
  CHECK(ParseSigstoreBundle(deep).status().message() == "bundle is nested too deeply");
  // Brackets inside strings do not count; 64 levels are fine.
  CHECK(ParseSimpleSigningPayload("{\"critical\":\"" + std::string(1000, '[') + "\"}")
            .status()
            .message() == "payload has no critical");
  CHECK(ParseSimpleSigningPayload("{\"x\":" + nested(63) + "}").status().message() ==
        "payload has no critical");
}

}  // namespace
}  // namespace regdigest
