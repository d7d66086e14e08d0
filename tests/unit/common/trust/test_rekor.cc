#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/trust/encoding.h"
#include "common/trust/rekor.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::ReadData;

PublicKey RealRekorKey() {
  Result<PublicKey> key =
      PublicKey::FromPem(ReadData("cosign-real/rekor-public-good.pub"), "rekor.pub");
  REQUIRE(key.ok());
  return *key;
}

TEST_CASE("A real public-Rekor signed entry timestamp verifies offline") {
  Result<RekorEntry> entry = ParseCosignRekorBundle(ReadData("cosign-real/bundle-annotation.json"));
  REQUIRE(entry.ok());
  CHECK(entry->integrated_time == 1729115809);
  CHECK(entry->log_index == 140760422);
  CHECK(entry->log_id_hex == "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
  CHECK(VerifySignedEntryTimestamp(*entry, RealRekorKey()).ok());

  // The entry logs real cosign's signature over the exact payload bytes.
  Result<RekorEntryClaims> claims = ParseRekorEntryBody(entry->body);
  REQUIRE(claims.ok());
  CHECK(claims->kind == "hashedrekord");
  REQUIRE(claims->verifier_pem.has_value());
  CHECK(*claims->verifier_pem == ReadData("cosign-real/signer.pub"));
  Result<std::string> signature = DecodeSignatureBase64(ReadData("cosign-real/signature.b64"), "s");
  REQUIRE(signature.ok());
  const std::string payload = ReadData("cosign-real/payload.json");
  CHECK(CheckEntryMatches(*claims, *signature, Sha256Hex(payload)).ok());
  CHECK(CheckEntryMatches(*claims, *signature, Sha256Hex(payload + " ")).message() ==
        "tlog entry is for another payload");
  CHECK(CheckEntryMatches(*claims, "other", Sha256Hex(payload)).message() ==
        "tlog entry is for another signature");
}

TEST_CASE("VerifySignedEntryTimestamp refuses changed fields, another log and a bad SET") {
  const RekorEntry good = *ParseCosignRekorBundle(ReadData("cosign-real/bundle-annotation.json"));
  const PublicKey rekor = RealRekorKey();
  struct Case {
    const char* what;
    void (*edit)(RekorEntry&);
    const char* reason;
  };
  const Case cases[] = {
      {"time", [](RekorEntry& e) { e.integrated_time += 1; },
       "signed entry timestamp does not verify with the Rekor key"},
      {"index", [](RekorEntry& e) { e.log_index -= 1; },
       "signed entry timestamp does not verify with the Rekor key"},
      {"body", [](RekorEntry& e) { e.body += " "; },
       "signed entry timestamp does not verify with the Rekor key"},
      {"set", [](RekorEntry& e) { e.signed_entry_timestamp[10] ^= 1; },
       "signed entry timestamp does not verify with the Rekor key"},
      {"no set", [](RekorEntry& e) { e.signed_entry_timestamp.clear(); },
       "no signed entry timestamp"},
      {"log id", [](RekorEntry& e) { e.log_id_hex[0] = 'd'; },
       "tlog entry is from another log (logID "
       "d0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    RekorEntry entry = good;
    c.edit(entry);
    CHECK(VerifySignedEntryTimestamp(entry, rekor).message() == c.reason);
  }
  // The right SET, checked with another log's key.
  CHECK(VerifySignedEntryTimestamp(good, trust_test::Key("rekor"))
            .message()
            .rfind("tlog entry is from another log", 0) == 0);
}

TEST_CASE("SignedEntryTimestampPayload is Rekor's canonical JSON") {
  RekorEntry entry;
  entry.body = "{}";
  entry.integrated_time = 5;
  entry.log_index = 7;
  entry.log_id_hex = "ab";
  CHECK(SignedEntryTimestampPayload(entry) ==
        R"({"body":"e30=","integratedTime":5,"logID":"ab","logIndex":7})");
}

TEST_CASE("ParseRekorEntryBody reads hashedrekord, dsse and intoto entries") {
  using nlohmann::json;
  const json dsse = {{"apiVersion", "0.0.1"},
                     {"kind", "dsse"},
                     {"spec",
                      {{"payloadHash", {{"algorithm", "sha256"}, {"value", "ab12"}}},
                       {"signatures", {{{"signature", "AQI="}, {"verifier", "cGVt"}}}}}}};
  Result<RekorEntryClaims> d = ParseRekorEntryBody(dsse.dump());
  REQUIRE(d.ok());
  CHECK(d->signatures == std::vector<std::string>{"\x01\x02"});
  CHECK(d->hash_hex == "ab12");
  CHECK(d->verifier_pem == "pem");
  // intoto 0.0.2 writes the signature base64 twice ("AQI=" -> "QVFJPQ==").
  const json intoto = {
      {"apiVersion", "0.0.2"},
      {"kind", "intoto"},
      {"spec",
       {{"content",
         {{"payloadHash", {{"algorithm", "sha256"}, {"value", "cd"}}},
          {"envelope", {{"signatures", {{{"sig", "QVFJPQ=="}, {"publicKey", "cGVt"}}}}}}}}}}};
  Result<RekorEntryClaims> i = ParseRekorEntryBody(intoto.dump());
  REQUIRE(i.ok());
  CHECK(i->signatures == std::vector<std::string>{"\x01\x02"});
  struct Case {
    std::string body;
    const char* reason;
  };
  const Case cases[] = {
      {"nope", "tlog entry body is not JSON"},
      {R"({"kind":"rekord","spec":{}})",
       "tlog entry kind \"rekord\" is not hashedrekord, dsse or intoto"},
      {R"({"kind":"dsse"})", "tlog entry body has no spec"},
      {R"({"kind":"dsse","spec":{"signatures":[]}})", "tlog entry has no payloadHash"},
      {R"({"kind":"dsse","spec":{"payloadHash":{"algorithm":"sha256","value":"XY"},"signatures":[]}})",
       "tlog entry payloadHash is not hex"},
      {R"({"kind":"dsse","spec":{"payloadHash":{"algorithm":"sha256","value":"ab"},"signatures":[]}})",
       "tlog entry has no usable signatures"},
      {R"({"kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"ab"}}}})",
       "tlog entry has no signature"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    Result<RekorEntryClaims> claims = ParseRekorEntryBody(c.body);
    REQUIRE_FALSE(claims.ok());
    CHECK(claims.status().message() == c.reason);
  }
}

TEST_CASE("ParseCosignRekorBundle refuses malformed annotations") {
  struct Case {
    const char* json;
    const char* reason;
  };
  const Case cases[] = {
      {"", "rekor bundle is not JSON"},
      {R"({"SignedEntryTimestamp":"AA=="})", "rekor bundle has no Payload"},
      {R"({"Payload":{}})", "rekor bundle has no SignedEntryTimestamp"},
      {R"({"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":1,"logIndex":2}})",
       "rekor bundle Payload has no logID"},
      {R"({"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":"x","logIndex":2,"logID":"ab"}})",
       "rekor bundle Payload.integratedTime is not an integer"},
      {R"({"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":1,"logIndex":2,"logID":"AB"}})",
       "rekor bundle logID is not lowercase hex"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    Result<RekorEntry> entry = ParseCosignRekorBundle(c.json);
    REQUIRE_FALSE(entry.ok());
    CHECK(entry.status().message() == c.reason);
  }
}

}  // namespace
}  // namespace regdigest
