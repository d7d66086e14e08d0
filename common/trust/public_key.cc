#include "common/trust/public_key.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <array>

#include "common/base/base64.h"

namespace regdigest {
namespace {

constexpr size_t kMaxKeyFileBytes = 64 * 1024;
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

Status Invalid(std::string_view name, std::string_view what) {
  ERR_clear_error();
  return Status(StatusCode::kInvalidArgument, std::string(name) + ": " + std::string(what));
}

size_t Count(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// "ecdsa-p256"..., or "" for keys regdigest does not verify with.
std::string AlgorithmOf(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      std::array<char, 64> group{};
      size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                         group.size(), &len) != 1) {
        return "";
      }
      const std::string_view name(group.data(), len);
      if (name == "prime256v1" || name == "P-256") return "ecdsa-p256";
      if (name == "secp384r1" || name == "P-384") return "ecdsa-p384";
      if (name == "secp521r1" || name == "P-521") return "ecdsa-p521";
      return "";
    }
    case EVP_PKEY_RSA: {
      const int bits = EVP_PKEY_get_bits(key);
      if (bits < kMinRsaBits || bits > kMaxRsaBits) return "";
      return "rsa-" + std::to_string(bits);
    }
    case EVP_PKEY_ED25519:
      return "ed25519";
    default:
      return "";
  }
}

bool VerifyWith(EVP_PKEY* key, const EVP_MD* md, std::string_view data,
                std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return false;
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace

Result<PublicKey> PublicKey::FromPem(std::string_view pem, std::string_view name_for_errors) {
  const std::string_view name = name_for_errors;
  if (pem.size() > kMaxKeyFileBytes) return Invalid(name, "too big for a public key file");
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    return Invalid(name, "is a private key; give the public key (for example cosign.pub)");
  }
  const size_t blocks = Count(pem, "-----BEGIN PUBLIC KEY-----");
  if (blocks == 0) {
    if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
      return Invalid(name, "is a certificate, not a PEM PUBLIC KEY");
    }
    if (pem.find("-----BEGIN ") != std::string_view::npos) {
      return Invalid(name, "holds no PEM PUBLIC KEY block (only \"BEGIN PUBLIC KEY\" is read)");
    }
    return Invalid(name, "is not a PEM public key");
  }
  if (blocks > 1) return Invalid(name, "holds several public keys; give one per --key");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return Invalid(name, "out of memory");
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) return Invalid(name, "malformed PEM public key");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, EVP_PKEY_free);
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key.get(), &der);
  if (der_len <= 0) return Invalid(name, "cannot encode the public key");
  std::string der_bytes(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  return FromDer(der_bytes, name);
}

Result<PublicKey> PublicKey::FromDer(std::string_view der, std::string_view name_for_errors) {
  const std::string_view name = name_for_errors;
  if (der.size() > kMaxKeyFileBytes) return Invalid(name, "too big for a public key");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* raw = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) return Invalid(name, "malformed DER public key");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    EVP_PKEY_free(raw);
    return Invalid(name, "trailing bytes after the DER public key");
  }
  PublicKey out;
  out.key_ = std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free);
  out.algorithm_ = AlgorithmOf(raw);
  if (out.algorithm_.empty()) {
    if (EVP_PKEY_get_base_id(raw) == EVP_PKEY_RSA) {
      return Invalid(name, "RSA keys must have 2048 to 8192 bits");
    }
    return Invalid(name,
                   "unsupported key type (ECDSA P-256/P-384/P-521, RSA and Ed25519 are supported)");
  }
  out.der_ = std::string(der);
  out.fingerprint_ = KeyFingerprintOfDer(out.der_);
  return out;
}

std::string PublicKey::Pem() const {
  const std::string b64 = Base64Encode(der_);
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  for (size_t at = 0; at < b64.size(); at += 64) pem += b64.substr(at, 64) + "\n";
  return pem + "-----END PUBLIC KEY-----\n";
}

bool PublicKey::Verify(std::string_view data, std::string_view signature) const {
  if (!key_ || signature.empty()) return false;
  EVP_PKEY* key = key_.get();
  if (algorithm_ == "ed25519") return VerifyWith(key, nullptr, data, signature);
  if (VerifyWith(key, EVP_sha256(), data, signature)) return true;
  if (algorithm_ == "ecdsa-p384") return VerifyWith(key, EVP_sha384(), data, signature);
  if (algorithm_ == "ecdsa-p521") return VerifyWith(key, EVP_sha512(), data, signature);
  return false;
}

std::string KeyFingerprintOfDer(std::string_view der) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> hash{};
  SHA256(reinterpret_cast<const unsigned char*>(der.data()), der.size(), hash.data());
  std::string b64 =
      Base64Encode(std::string_view(reinterpret_cast<char*>(hash.data()), hash.size()));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  return "SHA256:" + b64;
}

}  // namespace regdigest
