// PublicKey: one PEM "PUBLIC KEY" (SubjectPublicKeyInfo) as given with --key or
// --rekor-key: ECDSA P-256/P-384/P-521, RSA (2048 bits or more) or Ed25519.
// Verify picks the algorithm from the key (see Verify). No I/O: the caller reads
// the file. Immutable once made; copies share the OpenSSL key, and Verify may
// run on several threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace regdigest {

class PublicKey {
 public:
  // Parses exactly one "-----BEGIN PUBLIC KEY-----" block (text around it is
  // ignored, as openssl does). A private key, a certificate, an RSA key under
  // 2048 bits, another algorithm or curve, or garbage is kInvalidArgument with
  // a message that starts with name_for_errors ("key.pub: ...").
  static Result<PublicKey> FromPem(std::string_view pem, std::string_view name_for_errors);
  // The same from the DER SubjectPublicKeyInfo bytes.
  static Result<PublicKey> FromDer(std::string_view der, std::string_view name_for_errors);

  // "SHA256:" + base64 (standard alphabet, no '=' padding, like ssh-keygen -l)
  // of the SHA-256 of the DER SubjectPublicKeyInfo. Same key, same text,
  // whatever the PEM's line breaks.
  const std::string& Fingerprint() const { return fingerprint_; }
  // "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-<bits>" or "ed25519".
  const std::string& Algorithm() const { return algorithm_; }
  // The DER SubjectPublicKeyInfo (what Rekor entries embed, PEM-encoded).
  const std::string& Der() const { return der_; }
  // The PEM text of Der(), 64-column lines, ending in a newline.
  std::string Pem() const;

  // True when `signature` is a valid signature of `data` by this key:
  // - ECDSA: an ASN.1 DER (r, s) signature over SHA-256 of data (what cosign
  //   makes for every curve with --key); P-384 also accepts SHA-384 and P-521
  //   SHA-512 (sigstore's defaults for those curves in bundles).
  // - RSA: PKCS#1 v1.5 with SHA-256.
  // - Ed25519: pure Ed25519 over data (no prehash), 64-byte signature.
  // Any malformed, truncated or foreign signature is simply false.
  bool Verify(std::string_view data, std::string_view signature) const;

  friend bool operator==(const PublicKey& a, const PublicKey& b) { return a.der_ == b.der_; }

 private:
  PublicKey() = default;
  std::shared_ptr<EVP_PKEY> key_;
  std::string der_;
  std::string fingerprint_;
  std::string algorithm_;
};

// The fingerprint FromDer(der).Fingerprint() would have (for keys the caller
// only shows, e.g. a Rekor entry's verifier).
std::string KeyFingerprintOfDer(std::string_view der);

}  // namespace regdigest
