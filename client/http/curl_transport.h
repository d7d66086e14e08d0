// CurlTransport: the bottom Transport, sending one HTTP request with libcurl.
// TLS verification is always on, HTTP/2 is used where offered, connections
// are reused across requests (over TLS across threads too, and multiplexed
// over HTTP/2: client/curl_multi_loop.h), redirects are never followed
// here (see client/redirect_transport.h), and response sizes are capped.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "client/http/http.h"
#include "common/base/status.h"

namespace regdigest {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{30000};  // total per request
  // Extra CA bundle used for every host ("" = system store only). It replaces
  // libcurl's default bundle file; the system CA directory stays trusted.
  std::string ca_file;
  // "host:port" (as Url::Authority(), or with the default port spelled out)
  // → CA bundle for that registry only; takes precedence over ca_file.
  std::map<std::string, std::string> ca_file_by_authority;
  // A larger body is a kProtocol error "response body exceeds N bytes".
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  // Caps on the response header lines: total bytes and number of fields
  // (kProtocol "response headers exceed ..." / "... more than N header fields").
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_header_fields = 100;
  // Non-empty: every request goes over this Unix socket (Docker Engine API).
  std::string unix_socket_path;
  std::string user_agent = "regdigest/" REGDIGEST_VERSION;
  // Idle easy handles kept for reuse, each with its kept-alive connection: at
  // least the requests in flight at once (--concurrency goes to 64), or plain
  // http runs reconnect whenever more than this many finish together.
  std::size_t max_idle_handles = 64;
};

// Thread-safe: RoundTrip may be called from several threads at once; each
// call borrows an easy handle (with its kept-alive connections) from a pool
// of up to options.max_idle_handles. An https request runs on the transport's one multi handle,
// whose connection cache all calls share, so HTTP/2 requests become streams of one connection; a
// plain http request runs on the calling thread.
class CurlTransport : public Transport {
 public:
  explicit CurlTransport(CurlOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Errors: kInvalidArgument for a bad URL, method or header; kTransport for
  // DNS, connection, TLS (the message says "certificate" and names the host)
  // and timeouts; kProtocol when a size cap is exceeded. Any HTTP status,
  // including 4xx/5xx, is a successful result. Only the final response's
  // headers are returned (interim 1xx responses are dropped). A failure is
  // retryable() when another attempt may cure it: connection refused or
  // failed, timeouts, connections reset or closed mid-transfer (see
  // IsTransientCurlFailure in client/http/curl_errors.h); a failed connection
  // carries os_errno() (ECONNREFUSED...).
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regdigest
