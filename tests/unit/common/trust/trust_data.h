// Test helpers for tests/unit/common/trust: reading the signature vectors of
// tests/data/trust (made by its make_keys.sh / make_vectors.sh with openssl and
// sigstore-js) and turning a cosign .sig vector into CosignLayer values.
#pragma once

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "common/base/base64.h"
#include "common/image/digest.h"
#include "common/trust/public_key.h"
#include "common/trust/verifier.h"

namespace regdigest::trust_test {

// The image every vector signs (make_vectors.sh IMAGE) and another one.
inline const char* const kImage =
    "sha256:c92ec34238e97e14b8f5366503094b446fea5a7b8871604f1daf2141a1476f90";
inline const char* const kOther =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";

inline std::string ReadData(const std::string& relative) {
  const std::string path = std::string(REGDIGEST_SOURCE_DIR) + "/tests/data/trust/" + relative;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline Digest ImageDigest() { return *Digest::Parse(kImage); }
inline Digest OtherDigest() { return *Digest::Parse(kOther); }

inline PublicKey Key(const std::string& name) {
  Result<PublicKey> key = PublicKey::FromPem(ReadData("keys/" + name + ".pub"), name + ".pub");
  REQUIRE_MESSAGE(key.ok(), key.status().message());
  return *key;
}

inline VerifyPolicy PolicyWith(std::initializer_list<const char*> key_names) {
  VerifyPolicy policy;
  for (const char* name : key_names) policy.keys.push_back(Key(name));
  return policy;
}

// The layers of tests/data/trust/cosign/NAME (every layer's blob is payload.json).
inline std::vector<CosignLayer> CosignVector(const std::string& name) {
  const nlohmann::json manifest =
      nlohmann::json::parse(ReadData("cosign/" + name + "/manifest.json"));
  const std::string payload = ReadData("cosign/" + name + "/payload.json");
  std::vector<CosignLayer> layers;
  for (const auto& layer : manifest.at("layers")) {
    CosignLayer out;
    out.media_type = layer.at("mediaType").get<std::string>();
    out.payload = payload;
    out.annotations = layer.at("annotations").get<std::map<std::string, std::string>>();
    layers.push_back(std::move(out));
  }
  return layers;
}

// Signs data with tests/data/trust/keys/NAME.key as the test signers do:
// SHA-256 for ECDSA and RSA (PKCS#1 v1.5), pure Ed25519. DER/raw bytes.
inline std::string SignWith(const std::string& key_name, std::string_view data) {
  const std::string pem = ReadData("keys/" + key_name + ".key");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  REQUIRE(key != nullptr);
  const EVP_MD* md = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()) == 1);
  size_t size = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &size, bytes, data.size()) == 1);
  std::string signature(size, '\0');
  REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                         bytes, data.size()) == 1);
  signature.resize(size);
  return signature;
}

// A cosign layer signing `payload` with NAME.key.
inline CosignLayer SignedLayer(const std::string& key_name, const std::string& payload) {
  CosignLayer layer;
  layer.media_type = std::string(kCosignSimpleSigningMediaType);
  layer.payload = payload;
  layer.annotations[std::string(kCosignSignatureAnnotation)] =
      Base64Encode(SignWith(key_name, payload));
  return layer;
}

}  // namespace regdigest::trust_test
