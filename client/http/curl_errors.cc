#include "client/http/curl_errors.h"

#include <algorithm>
#include <cerrno>

#include "common/base/display_text.h"

namespace regdigest {

namespace {

// OpenSSL's words for a handshake answered by something that is not TLS (a
// plain-HTTP server's "HTTP/1.1 400 ..." read as a TLS record).
bool AnsweredInPlainText(const std::string& detail) {
  for (const char* words : {"wrong version number", "packet length too long", "unknown protocol",
                            "record layer failure"}) {
    if (detail.find(words) != std::string::npos) return true;
  }
  return false;
}

// The Status for the failure, without detail.
Status DescribeFailure(const CurlFailure& failure, CURL* handle, const std::string& method,
                       const Url& url, const CurlOptions& options) {
  const CURLcode code = failure.code;
  const std::string detail = failure.error_buffer != nullptr && failure.error_buffer[0] != '\0'
                                 ? failure.error_buffer
                                 : curl_easy_strerror(code);
  const std::string target = method + " " + url.StringWithoutQuery();
  const std::string origin = url.scheme + "://" + url.Authority();
  if (failure.body_overflow || code == CURLE_FILESIZE_EXCEEDED) {
    return Status(StatusCode::kProtocol, "response body exceeds " +
                                             std::to_string(options.max_body_bytes) + " bytes (" +
                                             target + ")");
  }
  if (failure.header_count_overflow) {
    return Status(StatusCode::kProtocol, "response has more than " +
                                             std::to_string(options.max_header_fields) +
                                             " header fields (" + target + ")");
  }
  if (failure.header_overflow) {
    return Status(StatusCode::kProtocol, "response headers exceed " +
                                             std::to_string(options.max_header_bytes) + " bytes (" +
                                             target + ")");
  }
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status(StatusCode::kInvalidArgument,
                    "invalid URL " + url.StringWithoutQuery() + ": " + detail);
    case CURLE_COULDNT_RESOLVE_HOST:
      return Status(StatusCode::kTransport, "cannot resolve host " + url.host + ": " + detail);
    case CURLE_COULDNT_CONNECT: {
      long os_errno = 0;
      curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &os_errno);
      const std::string where =
          options.unix_socket_path.empty() ? origin : "unix socket " + options.unix_socket_path;
      if (os_errno == ECONNREFUSED) {
        return Status(StatusCode::kTransport, "connection refused by " + where);
      }
      return Status(StatusCode::kTransport, "cannot connect to " + where + ": " + detail);
    }
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected_us = 0;
      curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connected_us);
      if (connected_us == 0) {
        const auto limit = std::min(options.connect_timeout, options.timeout).count();
        return Status(StatusCode::kTransport, "connecting to " + origin + " timed out after " +
                                                  std::to_string(limit) + " ms");
      }
      return Status(StatusCode::kTransport,
                    target + " timed out after " + std::to_string(options.timeout.count()) + " ms");
    }
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return Status(StatusCode::kTransport,
                    "TLS certificate verification failed for " + origin + ": " + detail);
    case CURLE_SSL_CACERT_BADFILE:
      return Status(StatusCode::kTransport, "cannot load the CA certificate bundle " +
                                                Quoted(failure.ca_file) + " for " + origin + ": " +
                                                detail);
    case CURLE_SSL_CONNECT_ERROR:
      if (AnsweredInPlainText(detail)) {
        return Status(StatusCode::kTransport,
                      origin +
                          " answered the TLS handshake in plain HTTP: it speaks http, not "
                          "https (" +
                          detail + ")");
      }
      return Status(StatusCode::kTransport, "TLS handshake with " + origin + " failed: " + detail);
    default:
      return Status(StatusCode::kTransport, target + " failed: " + detail);
  }
}

}  // namespace

Status CurlErrorStatus(const CurlFailure& failure, CURL* handle, const std::string& method,
                       const Url& url, const CurlOptions& options) {
  Status status = DescribeFailure(failure, handle, method, url, options)
                      .WithRetryable(IsTransientCurlFailure(failure));
  if (failure.code == CURLE_COULDNT_CONNECT && handle != nullptr) {
    long os_errno = 0;
    curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &os_errno);
    status = status.WithOsErrno(static_cast<int>(os_errno));
  }
  // A handshake that failed at the protocol level (not a certificate): the
  // peer may not speak TLS at all (common/registry/endpoint.h: FallBackToHttp).
  if (failure.code == CURLE_SSL_CONNECT_ERROR) status = status.WithOsErrno(EPROTO);
  return status;
}

bool IsTransientCurlFailure(const CurlFailure& failure) {
  if (failure.body_overflow || failure.header_overflow || failure.header_count_overflow) {
    return false;
  }
  switch (failure.code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace regdigest
