#include <doctest/doctest.h>

#include <string>

#include "common/base/base64.h"
#include "common/trust/dsse.h"

namespace regdigest {
namespace {

TEST_CASE("PreAuthEncoding follows the DSSE v1 spec") {
  // The spec's example: DSSEv1 29 http://example.com/HelloWorld 11 hello world
  CHECK(PreAuthEncoding("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(PreAuthEncoding("", "") == "DSSEv1 0  0 ");
  CHECK(PreAuthEncoding("t", std::string("a\0b", 3)) == std::string("DSSEv1 1 t 3 a\0b", 16));
}

TEST_CASE("ParseDsseEnvelope decodes payload and signatures in either base64 alphabet") {
  struct Case {
    std::string json;
    std::string payload;
    std::string sig;
    std::string keyid;
  };
  const Case cases[] = {
      {R"({"payloadType":"t","payload":"aGk=","signatures":[{"keyid":"k1","sig":"+/8="}]})", "hi",
       "\xfb\xff", "k1"},
      {R"({"payloadType":"t","payload":"aGk","signatures":[{"sig":"-_8"}]})", "hi", "\xfb\xff",
       ""},  // URL-safe, no padding, keyid absent
      {R"({"payloadType":"t","payload":"","signatures":[{"keyid":null,"sig":"AA=="}]})", "",
       std::string(1, '\0'), ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    Result<DsseEnvelope> envelope = ParseDsseEnvelope(c.json);
    REQUIRE(envelope.ok());
    CHECK(envelope->payload_type == "t");
    CHECK(envelope->payload == c.payload);
    REQUIRE(envelope->signatures.size() == 1);
    CHECK(envelope->signatures[0].sig == c.sig);
    CHECK(envelope->signatures[0].keyid == c.keyid);
  }
}

TEST_CASE("ParseDsseEnvelope refuses malformed envelopes with a reason") {
  std::string many = R"({"payloadType":"t","payload":"","signatures":[)";
  for (int i = 0; i <= static_cast<int>(kMaxDsseSignatures); ++i) many += R"({"sig":"AA=="},)";
  many.back() = ']';
  many += "}";
  struct Case {
    std::string json;
    const char* reason;
  };
  const Case cases[] = {
      {"", "envelope is not JSON"},
      {"[1]", "envelope is not a JSON object"},
      {R"({"payload":"","signatures":[{"sig":"AA=="}]})", "envelope has no payloadType"},
      {R"({"payloadType":"t","signatures":[{"sig":"AA=="}]})", "envelope has no payload"},
      {R"({"payloadType":"t","payload":"a b","signatures":[{"sig":"AA=="}]})",
       "malformed base64 in envelope.payload"},
      {R"({"payloadType":"t","payload":"aGk+-w","signatures":[{"sig":"AA=="}]})",
       "malformed base64 in envelope.payload"},  // mixed alphabets
      {R"({"payloadType":"t","payload":"aGk=\n","signatures":[{"sig":"AA=="}]})",
       "malformed base64 in envelope.payload"},
      {R"({"payloadType":"t","payload":""})", "envelope has no signatures"},
      {R"({"payloadType":"t","payload":"","signatures":[]})", "envelope has no signatures"},
      {R"({"payloadType":"t","payload":"","signatures":["x"]})",
       "envelope signature is not an object"},
      {R"({"payloadType":"t","payload":"","signatures":[{"sig":""}]})",
       "envelope signature is empty"},
      {R"({"payloadType":"t","payload":"","signatures":[{"sig":"A"}]})",
       "malformed base64 in envelope signature.sig"},
      {R"({"payloadType":"t","payload":"","signatures":[{"keyid":1,"sig":"AA=="}]})",
       "envelope signature keyid is not a string"},
      {many, "envelope has over 16 signatures"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json.substr(0, 120));
    Result<DsseEnvelope> envelope = ParseDsseEnvelope(c.json);
    REQUIRE_FALSE(envelope.ok());
    CHECK(envelope.status().code() == StatusCode::kInvalidArgument);
    CHECK(envelope.status().message() == c.reason);
  }
}

}  // namespace
}  // namespace regdigest
