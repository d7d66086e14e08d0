#include "common/base/status.h"

namespace regdigest {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kUsage:
      return "usage error";
    case StatusCode::kInvalidReference:
      return "invalid reference";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kUnauthorized:
      return "unauthorized";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kRateLimited:
      return "rate limited";
    case StatusCode::kDigestMismatch:
      return "digest mismatch";
    case StatusCode::kTransport:
      return "transport error";
    case StatusCode::kProtocol:
      return "protocol error";
    case StatusCode::kEngineUnavailable:
      return "engine unavailable";
    case StatusCode::kIo:
      return "i/o error";
    case StatusCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

Status OkStatusWithoutValue() {
  return Status(StatusCode::kInternal, "an ok status was given where a value was expected");
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  // A registry that answered with an unexpected HTTP status is not a
  // transport failure (that is: no HTTP answer at all).
  std::string out(code_ == StatusCode::kTransport && http_status_ != 0 ? "registry error"
                                                                       : StatusCodeName(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

Status Status::WithHttpStatus(int http_status) const {
  Status out = *this;
  if (!ok()) out.http_status_ = http_status;
  return out;
}

Status Status::WithRegistryCode(std::string registry_code) const {
  Status out = *this;
  if (!ok()) out.registry_code_ = std::move(registry_code);
  return out;
}

Status Status::WithRetryable(bool retryable) const {
  Status out = *this;
  if (!ok()) out.retryable_ = retryable;
  return out;
}

Status Status::WithOsErrno(int os_errno) const {
  Status out = *this;
  if (!ok()) out.os_errno_ = os_errno;
  return out;
}

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return *this;
  Status out = *this;
  out.message_ = std::string(prefix) + ": " + message_;
  return out;
}

}  // namespace regdigest
