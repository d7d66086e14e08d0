// Turns a failed registry response (HTTP status + the distribution spec's
// {"errors":[{"code","message","detail"}]} body) into a Status with the right
// code, a message a person can act on and the structured detail callers
// decide from (http_status, registry_code, retryable). Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

// Status for a failed registry response. Codes:
//   429 or TOOMANYREQUESTS                           → kRateLimited
//   UNAUTHORIZED, or 401                             → kUnauthorized
//   DENIED, or 403                                   → kUnauthorized ("denied: ...")
//   MANIFEST_UNKNOWN/NAME_UNKNOWN/BLOB_UNKNOWN, or 404 → kNotFound
//   anything else                                    → kTransport
// (a registry error code takes precedence over the HTTP status, except 429).
// The message starts with `what` (e.g. "127.0.0.1:5000/app:v1") and includes
// the registry's messages and codes when present, e.g.
// "127.0.0.1:5000/app:v9: manifest unknown (MANIFEST_UNKNOWN)"; otherwise the
// HTTP status, e.g. "app:v1: HTTP 500 Internal Server Error", plus the first
// line of a short plain-text body. The body may be empty (HEAD) or not JSON.
// Registry text is truncated and stripped of control characters.
// Detail: http_status() is `http_status`; registry_code() the first error code
// of the body ("" when none); retryable() IsRetryableStatus(http_status)
// (429, 502, 503, 504: common/registry/retry_policy.h).
Status RegistryErrorStatus(int http_status, std::string_view body, std::string_view what);

// The registry's own words in an error body: each error's message (or code),
// detail and code, "; "-separated, e.g. "manifest unknown (MANIFEST_UNKNOWN)";
// "" when the body has no distribution-spec errors.
std::string RegistryErrorMessages(std::string_view body);

// "Not Found" for 404 etc.; "" for a status without a well-known phrase.
std::string_view HttpReasonPhrase(int http_status);

}  // namespace regdigest
