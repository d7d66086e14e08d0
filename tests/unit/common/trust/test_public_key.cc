#include <doctest/doctest.h>

#include <string>

#include "common/trust/encoding.h"
#include "common/trust/public_key.h"
#include "tests/unit/common/trust/trust_data.h"

namespace regdigest {
namespace {

using trust_test::ReadData;

TEST_CASE("PublicKey::FromPem reads each supported algorithm and names it") {
  struct Case {
    const char* file;
    const char* algorithm;
  };
  const Case cases[] = {
      {"ecdsa-p256", "ecdsa-p256"}, {"ecdsa-p384", "ecdsa-p384"}, {"ecdsa-p521", "ecdsa-p521"},
      {"rsa-2048", "rsa-2048"},     {"rsa-3072", "rsa-3072"},     {"ed25519", "ed25519"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    Result<PublicKey> key =
        PublicKey::FromPem(ReadData(std::string("keys/") + c.file + ".pub"), "k");
    REQUIRE(key.ok());
    CHECK(key->Algorithm() == c.algorithm);
    // The PEM round-trips to the same key.
    Result<PublicKey> again = PublicKey::FromPem(key->Pem(), "again");
    REQUIRE(again.ok());
    CHECK(*again == *key);
  }
}

TEST_CASE("PublicKey fingerprint is SHA256: and unpadded base64 of the DER key's hash") {
  // The public Rekor key: its log ID is the hex SHA-256 of the same DER bytes.
  Result<PublicKey> rekor =
      PublicKey::FromPem(ReadData("cosign-real/rekor-public-good.pub"), "rekor.pub");
  REQUIRE(rekor.ok());
  CHECK(Sha256Hex(rekor->Der()) ==
        "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d");
  CHECK(rekor->Fingerprint() == "SHA256:wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0");
  CHECK(KeyFingerprintOfDer(rekor->Der()) == rekor->Fingerprint());
  // Line breaks and text around the block do not change the key.
  std::string pem = ReadData("keys/ecdsa-p256.pub");
  Result<PublicKey> plain = PublicKey::FromPem(pem, "a");
  Result<PublicKey> wrapped = PublicKey::FromPem("comment line\r\n" + pem + "\ntrailer\n", "b");
  REQUIRE(plain.ok());
  REQUIRE(wrapped.ok());
  CHECK(plain->Fingerprint() == wrapped->Fingerprint());
  CHECK(plain->Fingerprint() != trust_test::Key("ecdsa-p256-other").Fingerprint());
}

TEST_CASE("PublicKey::FromPem refuses what is not one supported public key, naming the file") {
  const std::string p256 = ReadData("keys/ecdsa-p256.pub");
  struct Case {
    std::string text;
    const char* message;
  };
  const Case cases[] = {
      {ReadData("keys/ecdsa-p256.key"), "key.pem: is a private key"},
      {ReadData("keys/ed25519.key"), "key.pem: is a private key"},
      {"-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n"
       "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
       "key.pem: is a private key"},  // cosign.key
      {ReadData("fulcio/cert.pem"), "key.pem: is a certificate, not a PEM PUBLIC KEY"},
      {ReadData("keys/rsa-1024.pub"), "key.pem: RSA keys must have 2048 to 8192 bits"},
      {ReadData("keys/ecdsa-secp256k1.pub"), "key.pem: unsupported key type"},
      {ReadData("keys/ed448.pub"), "key.pem: unsupported key type"},
      {p256 + ReadData("keys/rsa-2048.pub"), "key.pem: holds several public keys"},
      {"", "key.pem: is not a PEM public key"},
      {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA user@host\n", "key.pem: is not a PEM public key"},
      {"-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n",
       "key.pem: malformed PEM public key"},
      {"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC "
       "KEY-----\n",
       "key.pem: malformed PEM public key"},  // truncated DER
      {"-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----\n",
       "key.pem: holds no PEM PUBLIC KEY block"},
      {std::string(70 * 1024, 'A'), "key.pem: too big for a public key file"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    Result<PublicKey> key = PublicKey::FromPem(c.text, "key.pem");
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().code() == StatusCode::kInvalidArgument);
    CHECK(key.status().message().rfind(c.message, 0) == 0);
  }
}

TEST_CASE("PublicKey::FromDer refuses trailing bytes and garbage") {
  const PublicKey key = trust_test::Key("ed25519");
  CHECK(PublicKey::FromDer(key.Der(), "k").ok());
  CHECK_FALSE(PublicKey::FromDer(key.Der() + "x", "k").ok());
  CHECK_FALSE(PublicKey::FromDer(key.Der().substr(0, 20), "k").ok());
  CHECK_FALSE(PublicKey::FromDer("", "k").ok());
}

TEST_CASE("PublicKey::Verify checks openssl signatures of each algorithm and nothing else") {
  // cosign vectors: payload.json signed by openssl (make_vectors.sh).
  struct Case {
    const char* vector;
    const char* key;
  };
  const Case cases[] = {
      {"ecdsa-p256", "ecdsa-p256"},
      {"ecdsa-p384", "ecdsa-p384"},
      {"ecdsa-p521", "ecdsa-p521"},
      {"ecdsa-p384-sha384", "ecdsa-p384"},
      {"ecdsa-p521-sha512", "ecdsa-p521"},
      {"rsa-2048", "rsa-2048"},
      {"rsa-3072", "rsa-3072"},
      {"ed25519", "ed25519"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.vector);
    const CosignLayer layer = trust_test::CosignVector(c.vector).front();
    Result<std::string> signature =
        DecodeSignatureBase64(layer.annotations.at(std::string(kCosignSignatureAnnotation)), "s");
    REQUIRE(signature.ok());
    const PublicKey key = trust_test::Key(c.key);
    CHECK(key.Verify(layer.payload, *signature));
    CHECK_FALSE(key.Verify(layer.payload + " ", *signature));          // tampered data
    CHECK_FALSE(key.Verify(layer.payload, signature->substr(0, 10)));  // truncated
    CHECK_FALSE(key.Verify(layer.payload, ""));                        // empty
    CHECK_FALSE(key.Verify(layer.payload, std::string(signature->size(), '\x30')));
    CHECK_FALSE(trust_test::Key("ecdsa-p256-other").Verify(layer.payload, *signature));
  }
  // A P-256 key does not accept a SHA-384 prehash.
  const CosignLayer p384 = trust_test::CosignVector("ecdsa-p384-sha384").front();
  CHECK_FALSE(trust_test::Key("ecdsa-p256").Verify(p384.payload, "\x30\x00"));
}

}  // namespace
}  // namespace regdigest
