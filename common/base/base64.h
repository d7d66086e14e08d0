// Base64 (RFC 4648, standard alphabet) for Docker's "auth" fields and Basic
// credentials. Pure functions: no I/O, safe from any thread.
//
// The conversion itself is OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock
// (regdigest_common links OpenSSL::Crypto already). EVP_DecodeBlock alone is
// too lenient for untrusted config files and too strict for Docker's: it
// decodes '=' anywhere as zero bits ("Zm=8", "===="), skips leading blanks
// and trailing blanks or '-', returns the padding as zero bytes, and refuses
// input without padding. Base64Decode therefore checks the text first (the
// rules below), adds the missing padding, and trims the padding bytes.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

// Encodes with the standard alphabet and '=' padding, on one line.
std::string Base64Encode(std::string_view bytes);

// Decodes the standard alphabet. Padding is optional ("dXNlcg" and "dXNlcg=="
// both decode to "user"); CR and LF are ignored, as Go's decoder does. Any
// other character (blanks, the URL-safe "-_", non-ASCII), misplaced padding
// or an impossible length is kInvalidArgument (the message never repeats the
// input). Unused low bits of the last symbol are ignored, as before ("Zh=="
// is "f").
Result<std::string> Base64Decode(std::string_view text);

}  // namespace regdigest
