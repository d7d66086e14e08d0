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
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return *this;
  std::string msg(prefix);
  msg += ": ";
  msg += message_;
  return Status(code_, std::move(msg));
}

}  // namespace regdigest
