// Turns a failed libcurl transfer into a Status that names the host and the
// problem ("connection refused by ...", "TLS certificate verification failed
// for https://host:port: ..."). Used only by CurlTransport.
#pragma once

#include <curl/curl.h>

#include <string>

#include "client/curl_transport.h"
#include "common/status.h"
#include "common/url.h"

namespace regdigest {

struct CurlFailure {
  CURLcode code = CURLE_OK;
  const char* error_buffer = "";  // CURLOPT_ERRORBUFFER text, may be empty
  bool body_overflow = false;     // the write callback refused the body
  bool header_overflow = false;   // the header callback refused a line
  std::string ca_file;            // CA bundle used for this request, if any
};

// handle is the easy handle of the failed transfer (for CURLINFO_* details).
Status CurlErrorStatus(const CurlFailure& failure, CURL* handle, const std::string& method,
                       const Url& url, const CurlOptions& options);

}  // namespace regdigest
