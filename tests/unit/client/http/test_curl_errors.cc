// CurlErrorStatus (client/http/curl_errors.h): each libcurl failure becomes a
// Status with the right code and words, and with the detail callers decide
// from set where the failure is seen: retryable() for failures another attempt
// may cure, never for DNS, TLS, size caps or bad requests; no http_status().
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/http/curl_errors.h"

namespace regdigest {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

TEST_CASE("CurlErrorStatus: code, words and retryable() for each kind of failure") {
  struct Case {
    const char* name;
    CURLcode code;
    bool body_overflow, header_overflow;
    StatusCode status_code;
    bool retryable;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"connect failed", CURLE_COULDNT_CONNECT, false, false, StatusCode::kTransport, true,
       "cannot connect to http://r.test:5000"},
      {"connect timeout", CURLE_OPERATION_TIMEDOUT, false, false, StatusCode::kTransport, true,
       "connecting to http://r.test:5000 timed out after 100 ms"},
      {"connection reset", CURLE_RECV_ERROR, false, false, StatusCode::kTransport, true,
       "GET http://r.test:5000/v2/ failed"},
      {"send failed", CURLE_SEND_ERROR, false, false, StatusCode::kTransport, true, "failed"},
      {"transfer cut short", CURLE_PARTIAL_FILE, false, false, StatusCode::kTransport, true,
       "failed"},
      {"empty reply", CURLE_GOT_NOTHING, false, false, StatusCode::kTransport, true, "failed"},
      {"HTTP/2 framing", CURLE_HTTP2, false, false, StatusCode::kTransport, true, "failed"},
      {"HTTP/2 stream", CURLE_HTTP2_STREAM, false, false, StatusCode::kTransport, true, "failed"},
      {"unknown host", CURLE_COULDNT_RESOLVE_HOST, false, false, StatusCode::kTransport, false,
       "cannot resolve host r.test"},
      {"certificate", CURLE_PEER_FAILED_VERIFICATION, false, false, StatusCode::kTransport, false,
       "TLS certificate verification failed for http://r.test:5000"},
      {"handshake", CURLE_SSL_CONNECT_ERROR, false, false, StatusCode::kTransport, false,
       "TLS handshake with http://r.test:5000 failed"},
      {"bad URL", CURLE_URL_MALFORMAT, false, false, StatusCode::kInvalidArgument, false,
       "invalid URL"},
      {"body over the cap", CURLE_WRITE_ERROR, true, false, StatusCode::kProtocol, false,
       "response body exceeds 10 bytes"},
      {"size cap wins over a reset", CURLE_RECV_ERROR, false, true, StatusCode::kProtocol, false,
       "response headers exceed"},
      {"announced size over the cap", CURLE_FILESIZE_EXCEEDED, false, false, StatusCode::kProtocol,
       false, "response body exceeds 10 bytes"},
      {"anything else", CURLE_ABORTED_BY_CALLBACK, false, false, StatusCode::kTransport, false,
       "failed"},
  };
  std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());  // a handle that never connected
  REQUIRE(handle);
  const Url url = Url::Parse("http://r.test:5000/v2/?token=s3cr3t").value();
  CurlOptions options;
  options.max_body_bytes = 10;
  options.connect_timeout = std::chrono::milliseconds(100);
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CurlFailure failure;
    failure.code = c.code;
    failure.body_overflow = c.body_overflow;
    failure.header_overflow = c.header_overflow;
    const Status status = CurlErrorStatus(failure, handle.get(), "GET", url, options);
    CHECK(status.code() == c.status_code);
    CHECK(status.retryable() == c.retryable);
    CHECK(status.retryable() == IsTransientCurlFailure(failure));
    CHECK(status.http_status() == 0);  // no HTTP answer
    CHECK(status.registry_code().empty());
    // This handle never tried to connect; a failed handshake is EPROTO.
    CHECK(status.os_errno() == (c.code == CURLE_SSL_CONNECT_ERROR ? EPROTO : 0));
    CHECK_MESSAGE(status.message().find(c.says) != std::string::npos, status.message());
    CHECK(status.message().find("s3cr3t") == std::string::npos);
  }
}

TEST_CASE("CurlErrorStatus: a TLS handshake answered in plain HTTP says so") {
  struct Case {
    const char* error_buffer;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number",
       "https://r.test:5000 answered the TLS handshake in plain HTTP: it speaks http, not https"},
      {"error:0A0000C6:SSL routines::packet length too long",
       "answered the TLS handshake in plain HTTP"},
      {"OpenSSL/3.0.19: error:0A000410:SSL routines::sslv3 alert handshake failure",
       "TLS handshake with https://r.test:5000 failed: OpenSSL"},
  };
  std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());
  REQUIRE(handle);
  const Url url = Url::Parse("https://r.test:5000/v2/").value();
  for (const Case& c : cases) {
    CAPTURE(c.error_buffer);
    CurlFailure failure;
    failure.code = CURLE_SSL_CONNECT_ERROR;
    failure.error_buffer = c.error_buffer;
    const Status status = CurlErrorStatus(failure, handle.get(), "GET", url, CurlOptions{});
    CHECK(status.code() == StatusCode::kTransport);
    CHECK_FALSE(status.retryable());
    CHECK(status.os_errno() == EPROTO);  // what FallBackToHttp decides from
    CHECK_MESSAGE(status.message().find(c.says) != std::string::npos, status.message());
  }
}

}  // namespace
}  // namespace regdigest
