#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/trust/encoding.h"
#include "common/trust/sigstore_bundle.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using nlohmann::json;
using trust_test::ReadData;

TEST_CASE("ParseSigstoreBundle reads bundles made by @sigstore/sign") {
  for (const char* name : {"ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048", "ed25519"}) {
    CAPTURE(name);
    Result<SigstoreBundle> bundle =
        ParseSigstoreBundle(ReadData(std::string("bundles/") + name + ".json"));
    REQUIRE(bundle.ok());
    CHECK(bundle->media_type == kSigstoreBundleV03MediaType);
    REQUIRE(bundle->public_key_hint.has_value());
    CHECK(*bundle->public_key_hint == name);  // make_vectors.sh sets --hint to the key name
    CHECK(bundle->certificates.empty());
    CHECK(bundle->tlog_entries.empty());
    REQUIRE(bundle->dsse_envelope.has_value());
    CHECK(bundle->dsse_envelope->payload_type == kInTotoPayloadType);
    CHECK(bundle->dsse_envelope->signatures.size() == 1);
    Result<InTotoStatement> statement = ParseInTotoStatement(bundle->dsse_envelope->payload);
    REQUIRE(statement.ok());
    CHECK(statement->type == "https://in-toto.io/Statement/v1");
    CHECK(statement->predicate_type == kCosignSignPredicateType);
    REQUIRE(statement->subjects.size() == 1);
    CHECK("sha256:" + statement->subjects[0].digest.at("sha256") == trust_test::kImage);
  }
}

TEST_CASE("ParseSigstoreBundle reads certificates and tlog entries") {
  Result<SigstoreBundle> keyless = ParseSigstoreBundle(ReadData("bundles/keyless.json"));
  REQUIRE(keyless.ok());
  CHECK_FALSE(keyless->public_key_hint.has_value());
  REQUIRE(keyless->certificates.size() == 1);

  Result<SigstoreBundle> logged = ParseSigstoreBundle(ReadData("bundles/ecdsa-p256-tlog.json"));
  REQUIRE(logged.ok());
  REQUIRE(logged->tlog_entries.size() == 1);
  const TlogEntry& entry = logged->tlog_entries[0];
  CHECK(entry.kind == "dsse");
  CHECK(entry.version == "0.0.1");
  CHECK(entry.log_index == 4242);              // written as a string, read as int64
  CHECK(entry.integrated_time == 1764500000);  // idem
  CHECK(HexEncode(entry.log_id) == Sha256Hex(trust_test::Key("rekor").Der()));
  CHECK(entry.signed_entry_timestamp.has_value());
  CHECK(json::parse(entry.canonicalized_body).at("kind") == "dsse");
}

TEST_CASE("ParseSigstoreBundle accepts every bundle media type and messageSignature") {
  json doc = json::parse(ReadData("bundles/ecdsa-p256.json"));
  for (const char* type : {"application/vnd.dev.sigstore.bundle+json;version=0.1",
                           "application/vnd.dev.sigstore.bundle+json;version=0.2",
                           "application/vnd.dev.sigstore.bundle+json;version=0.3",
                           "application/vnd.dev.sigstore.bundle.v0.3+json"}) {
    doc["mediaType"] = type;
    CHECK(ParseSigstoreBundle(doc.dump()).ok());
  }
  doc.erase("dsseEnvelope");
  doc["messageSignature"] = {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", "AAAA"}}},
                             {"signature", "AQID"}};
  Result<SigstoreBundle> message = ParseSigstoreBundle(doc.dump());
  REQUIRE(message.ok());
  REQUIRE(message->message_signature.has_value());
  CHECK(message->message_signature->signature == "\x01\x02\x03");
  CHECK(message->message_signature->digest_algorithm == "SHA2_256");
}

TEST_CASE("ParseSigstoreBundle refuses malformed bundles with a reason") {
  const json good = json::parse(ReadData("bundles/ecdsa-p256-tlog.json"));
  struct Case {
    const char* what;
    json (*edit)(json);
    const char* reason;
  };
  const Case cases[] = {
      {"media type",
       [](json d) {
         d["mediaType"] = "application/json";
         return d;
       },
       "unsupported bundle media type \"application/json\""},
      {"no media type",
       [](json d) {
         d.erase("mediaType");
         return d;
       },
       "bundle has no mediaType"},
      {"no material",
       [](json d) {
         d.erase("verificationMaterial");
         return d;
       },
       "bundle has no verificationMaterial"},
      {"two materials",
       [](json d) {
         d["verificationMaterial"]["certificate"] = {{"rawBytes", "AA=="}};
         return d;
       },
       "bundle verificationMaterial needs one of publicKey, certificate, chain"},
      {"empty chain",
       [](json d) {
         d["verificationMaterial"].erase("publicKey");
         d["verificationMaterial"]["x509CertificateChain"] = {{"certificates", json::array()}};
         return d;
       },
       "bundle x509CertificateChain has no certificates"},
      {"long chain",
       [](json d) {
         d["verificationMaterial"].erase("publicKey");
         json certs = json::array();
         for (int i = 0; i < 11; ++i) certs.push_back({{"rawBytes", "AA=="}});
         d["verificationMaterial"]["x509CertificateChain"] = {{"certificates", certs}};
         return d;
       },
       "certificate chain longer than 10"},
      {"no content",
       [](json d) {
         d.erase("dsseEnvelope");
         return d;
       },
       "bundle needs one of dsseEnvelope and messageSignature"},
      {"bad payload",
       [](json d) {
         d["dsseEnvelope"]["payload"] = "%%%";
         return d;
       },
       "malformed base64 in envelope.payload"},
      {"bad body",
       [](json d) {
         d["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"] = "@";
         return d;
       },
       "malformed base64 in bundle tlog entry.canonicalizedBody"},
      {"bad index",
       [](json d) {
         d["verificationMaterial"]["tlogEntries"][0]["logIndex"] = "12x";
         return d;
       },
       "bundle tlog entry.logIndex is not an integer"},
      {"index type",
       [](json d) {
         d["verificationMaterial"]["tlogEntries"][0]["logIndex"] = 1.5;
         return d;
       },
       "bundle tlog entry.logIndex is not an integer"},
      {"no kind",
       [](json d) {
         d["verificationMaterial"]["tlogEntries"][0].erase("kindVersion");
         return d;
       },
       "bundle tlog entry has no kindVersion"},
      {"tlog not array",
       [](json d) {
         d["verificationMaterial"]["tlogEntries"] = json::object();
         return d;
       },
       "bundle tlogEntries is not an array"},
      {"not object", [](json) { return json::array(); }, "bundle is not a JSON object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Result<SigstoreBundle> bundle = ParseSigstoreBundle(c.edit(good).dump());
    REQUIRE_FALSE(bundle.ok());
    CHECK(bundle.status().code() == StatusCode::kInvalidArgument);
    CHECK(bundle.status().message() == c.reason);
  }
  CHECK(ParseSigstoreBundle("{").status().message() == "bundle is not JSON");
  CHECK(ParseSigstoreBundle(std::string(kMaxBundleBytes + 1, ' ')).status().message() ==
        "bundle is over 1024 KiB");
}

TEST_CASE("ParseInTotoStatement reads subjects and predicate strings, refuses the rest") {
  Result<InTotoStatement> s = ParseInTotoStatement(
      R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"p",)"
      R"("subject":[{"name":"a","digest":{"sha256":"ab","sha512":"cd"}},{"digest":{}}],)"
      R"("predicate":{"env":"prod","n":1}})");
  REQUIRE(s.ok());
  CHECK(s->subjects.size() == 2);
  CHECK(s->subjects[0].name == "a");
  CHECK(s->subjects[0].digest.at("sha512") == "cd");
  CHECK(s->predicate_strings == std::map<std::string, std::string>{{"env", "prod"}});
  struct Case {
    const char* json;
    const char* reason;
  };
  const Case cases[] = {
      {"x", "statement is not JSON"},
      {R"({"predicateType":"p","subject":[{"digest":{}}]})", "statement has no _type"},
      {R"({"_type":"link","predicateType":"p","subject":[{"digest":{}}]})",
       "statement _type is \"link\""},
      {R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{}}]})",
       "statement has no predicateType"},
      {R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[]})",
       "statement has no subject"},
      {R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{}]})",
       "statement subject has no digest"},
      {R"({"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":[{"digest":{"sha256":1}}]})",
       "statement subject digest is not a string"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.json);
    Result<InTotoStatement> parsed = ParseInTotoStatement(c.json);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message() == c.reason);
  }
}

}  // namespace
}  // namespace regdigest
