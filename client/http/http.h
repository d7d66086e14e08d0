// HTTP values and the one-method Transport interface.
// Every network layer (libcurl, redirects, auth, later retries) is a Transport;
// decorators wrap an inner Transport, as go-containerregistry's round-trippers do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

// Ordered, case-insensitive multi-map of header fields.
class HttpHeaders {
 public:
  void Add(std::string name, std::string value);
  // Replaces every field of that name with one.
  void Set(const std::string& name, std::string value);
  void Remove(std::string_view name);
  std::optional<std::string> Get(std::string_view name) const;  // first one
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Who a request is for, so the auth layer can pick credentials and a scope.
struct AuthContext {
  std::string registry;  // registry domain as in a Reference, e.g. "docker.io"
  std::string scope;     // e.g. "repository:library/ubuntu:pull"; empty: none
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PUT...
  std::string url;
  HttpHeaders headers;
  std::string body;
  AuthContext auth;
  // Attempts RetryTransport may make; 0: its policy's. 1 for a probe whose
  // failure has another remedy (an https attempt before plain http).
  int max_attempts = 0;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;  // empty for HEAD
  std::string url;   // the URL that produced this response
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and returns the response, whatever its status code.
  // A non-ok Result means no HTTP response was obtained (DNS, TLS, timeout,
  // size cap, refused redirect...).
  virtual Result<HttpResponse> RoundTrip(const HttpRequest& request) = 0;
};

}  // namespace regdigest
