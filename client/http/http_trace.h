// The -vv (trace) lines for one HTTP exchange: the request line and its
// headers ("> GET https://host/v2/... ", "> Accept: ..."), then the status
// line and the response headers ("< HTTP 200", "< Docker-Content-Digest: ...").
// Secrets are redacted: Authorization and Proxy-Authorization keep only their
// scheme ("Bearer [redacted]"); Cookie, Set-Cookie and any header whose name
// says token, secret, key, password or auth keep nothing. URL queries are
// stripped (presigned storage URLs), and every value goes through DisplayText. Pure functions, safe
// from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/http/http.h"

namespace regdigest {

// "Name: value" for a trace line, with the value redacted or cut as above.
std::string TraceHeaderLine(std::string_view name, std::string_view value);

// The trace lines of a request (without the "> " prefix written by the logger).
std::vector<std::string> RequestTraceLines(const HttpRequest& request);
// The trace lines of a response: "HTTP <status>" and each header.
std::vector<std::string> ResponseTraceLines(
    int status, const std::vector<std::pair<std::string, std::string>>& headers);

// Logs both at trace level (a no-op unless -vv).
void TraceRequest(const HttpRequest& request);
void TraceResponse(const std::string& method, const std::string& url, int status,
                   const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace regdigest
