// Status and Result<T>: the one error type shared by every regdigest module.
// A Status carries a code (what kind of failure), a message for a person and
// optional structured detail (the HTTP status, the registry's error code,
// whether a retry may help), so that no code decides from message text. The
// command line maps codes to exit status in one place (cli/output/exit_status.h).
// Values; not synchronised (copy them between threads).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace regdigest {

enum class StatusCode {
  kOk,
  kUsage,              // bad command-line arguments or options
  kInvalidReference,   // an image reference that does not parse
  kInvalidArgument,    // any other malformed value (digest, config, header...)
  kUnauthorized,       // 401/403 from a registry or token server
  kNotFound,           // manifest, tag or repository does not exist
  kRateLimited,        // 429 / TOOMANYREQUESTS
  kDigestMismatch,     // fetched content does not match its digest
  kTransport,          // network, TLS, timeouts, unexpected HTTP status
  kProtocol,           // a server answered something malformed
  kEngineUnavailable,  // Docker Engine socket missing or refusing
  kIo,                 // local files: read/write/permission errors
  kInternal,           // a bug in regdigest (a broken invariant, an escaped exception)
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "not found: manifest unknown" style text for people.
  std::string ToString() const;

  // Structured detail, set by whoever saw it and kept by WithContext.
  // The HTTP status of the answer that failed; 0 when no HTTP answer was involved.
  int http_status() const { return http_status_; }
  // The registry's error code (distribution spec: "MANIFEST_UNKNOWN", "DENIED",
  // "TOOMANYREQUESTS", ...); empty when the answer had none.
  const std::string& registry_code() const { return registry_code_; }
  // Whether the same request may succeed if sent again (connection refused or
  // reset, timeouts, HTTP 429/502/503/504). Decided where the failure is seen.
  bool retryable() const { return retryable_; }
  // The operating system's error number behind a failed connection (for
  // example ECONNREFUSED, read from libcurl); 0 when none was recorded.
  int os_errno() const { return os_errno_; }

  // Copies with one detail set (no effect on an ok Status).
  Status WithHttpStatus(int http_status) const;
  Status WithRegistryCode(std::string registry_code) const;
  Status WithRetryable(bool retryable) const;
  Status WithOsErrno(int os_errno) const;

  // Returns a copy whose message is "prefix: message" (code and detail unchanged).
  Status WithContext(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string registry_code_;
  bool retryable_ = false;
  int os_errno_ = 0;
};

// The Status a Result<T> holds when it was built from an ok Status (a bug):
// kInternal, so that such a Result is never ok without a value.
Status OkStatusWithoutValue();

// Either a value or a non-ok Status (C++20 has no std::expected yet). Built
// from an ok Status (a bug), it holds OkStatusWithoutValue(), in every build.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status)                         // NOLINT(google-explicit-constructor)
      : data_(status.ok() ? OkStatusWithoutValue() : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace regdigest
