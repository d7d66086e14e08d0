#include "common/trust/certificate.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr size_t kMaxCertificateBytes = 64 * 1024;

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

std::string Asn1Text(const ASN1_STRING* s) {
  if (s == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

std::string FirstSubjectAltName(X509* cert) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return "";
  std::string out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names) && out.empty(); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_EMAIL || name->type == GEN_URI || name->type == GEN_DNS) {
      out = Asn1Text(name->d.ia5);
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

// Fulcio's issuer: 1.3.6.1.4.1.57264.1.8 holds a DER UTF8String, the older
// 1.3.6.1.4.1.57264.1.1 the raw text.
std::string Issuer(X509* cert) {
  for (const char* oid : {"1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.1"}) {
    std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(oid, 1),
                                                                  ASN1_OBJECT_free);
    if (!obj) continue;
    const int at = X509_get_ext_by_OBJ(cert, obj.get(), -1);
    if (at < 0) continue;
    const ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(cert, at));
    std::string raw = Asn1Text(value);
    if (std::string_view(oid).ends_with(".8")) {
      const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
      ASN1_UTF8STRING* text = d2i_ASN1_UTF8STRING(nullptr, &p, static_cast<long>(raw.size()));
      if (text == nullptr) continue;
      raw = Asn1Text(text);
      ASN1_UTF8STRING_free(text);
    }
    return raw;
  }
  return "";
}

}  // namespace

std::string CertificateIdentity::Describe() const {
  return "keyless (Fulcio certificate for " +
         (subject.empty() ? std::string("an unnamed subject") : DisplayText(subject, 100)) +
         (issuer.empty() ? std::string() : ", issuer " + DisplayText(issuer, 100)) + ")";
}

Result<CertificateIdentity> ParseCertificateIdentity(std::string_view pem_or_der) {
  const Status bad(StatusCode::kInvalidArgument, "malformed certificate");
  if (pem_or_der.empty() || pem_or_der.size() > kMaxCertificateBytes) return bad;
  X509* raw = nullptr;
  if (pem_or_der.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem_or_der.data(), static_cast<int>(pem_or_der.size())), BIO_free);
    if (bio) raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(pem_or_der.data());
    raw = d2i_X509(nullptr, &p, static_cast<long>(pem_or_der.size()));
  }
  ERR_clear_error();
  if (raw == nullptr) return bad;
  X509Ptr cert(raw, X509_free);
  CertificateIdentity out;
  out.subject = FirstSubjectAltName(cert.get());
  out.issuer = Issuer(cert.get());
  ERR_clear_error();
  return out;
}

}  // namespace regdigest
