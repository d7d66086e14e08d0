// Turns a failed libcurl transfer into a Status that names the host and the
// problem ("connection refused by ...", "TLS certificate verification failed
// for https://host:port: ...") and carries the structured detail callers
// decide from: retryable() and, for a failed connection, os_errno().
// Used only by CurlTransport.
#pragma once

#include <curl/curl.h>

#include <string>

#include "client/http/curl_transport.h"
#include "common/base/status.h"
#include "common/base/url.h"

namespace regdigest {

struct CurlFailure {
  CURLcode code = CURLE_OK;
  const char* error_buffer = "";       // CURLOPT_ERRORBUFFER text, may be empty
  bool body_overflow = false;          // the write callback refused the body
  bool header_overflow = false;        // the header callback refused a line (byte cap)
  bool header_count_overflow = false;  // ... (field count cap)
  std::string ca_file;                 // CA bundle used for this request, if any
};

// handle is the easy handle of the failed transfer (for CURLINFO_* details).
// The Status is retryable() exactly when IsTransientCurlFailure(failure); for
// CURLE_COULDNT_CONNECT its os_errno() is CURLINFO_OS_ERRNO (ECONNREFUSED when
// nobody listens); for CURLE_SSL_CONNECT_ERROR (a TLS handshake that failed,
// not for a certificate) it is EPROTO, and when the answer was plain HTTP the
// message says "<origin> answered the TLS handshake in plain HTTP".
Status CurlErrorStatus(const CurlFailure& failure, CURL* handle, const std::string& method,
                       const Url& url, const CurlOptions& options);

// True for failures another attempt of the same request may cure: connection
// refused or failed, timeouts, a connection reset or closed before the whole
// answer came (recv/send errors, partial transfers, empty replies, HTTP/2
// stream errors). False for DNS, TLS, size caps and invalid requests.
bool IsTransientCurlFailure(const CurlFailure& failure);

}  // namespace regdigest
