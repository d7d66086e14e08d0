// Tests for common/base/status.h: codes, messages and structured detail.
#include <doctest/doctest.h>

#include "common/base/status.h"

namespace regdigest {
namespace {

TEST_CASE("Status: ok by default, no detail") {
  Status s;
  CHECK(s.ok());
  CHECK(s.http_status() == 0);
  CHECK(s.registry_code().empty());
  CHECK_FALSE(s.retryable());
  CHECK(s.ToString() == "ok");
}

TEST_CASE("Status: detail is set on copies and kept by WithContext") {
  const Status base(StatusCode::kNotFound, "manifest unknown");
  const Status s =
      base.WithHttpStatus(404).WithRegistryCode("MANIFEST_UNKNOWN").WithRetryable(false);
  CHECK(base.http_status() == 0);  // the original is unchanged
  const Status c = s.WithContext("localhost:5000/app:v1");
  CHECK(c.code() == StatusCode::kNotFound);
  CHECK(c.message() == "localhost:5000/app:v1: manifest unknown");
  CHECK(c.http_status() == 404);
  CHECK(c.registry_code() == "MANIFEST_UNKNOWN");
  CHECK_FALSE(c.retryable());
  CHECK(Status(StatusCode::kTransport, "reset").WithRetryable(true).WithContext("x").retryable());
}

TEST_CASE("Status: detail setters leave an ok Status ok and empty") {
  const Status s = Status::Ok().WithHttpStatus(500).WithRegistryCode("X").WithRetryable(true);
  CHECK(s.ok());
  CHECK(s.http_status() == 0);
  CHECK(s.registry_code().empty());
  CHECK_FALSE(s.retryable());
}

TEST_CASE("Status: ToString names the code") {
  struct Case {
    StatusCode code;
    const char* message;
    const char* text;
  };
  const Case cases[] = {
      {StatusCode::kNotFound, "gone", "not found: gone"},
      {StatusCode::kRateLimited, "", "rate limited"},
      {StatusCode::kDigestMismatch, "a != b", "digest mismatch: a != b"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(Status(c.code, c.message).ToString() == c.text);
  }
}

TEST_CASE("Result built from an ok Status is an internal error, never valueless") {
  // No assert involved: this holds in release builds (NDEBUG) too.
  const Result<int> from_ok(Status::Ok());
  CHECK_FALSE(from_ok.ok());
  CHECK(from_ok.status().code() == StatusCode::kInternal);
  CHECK(from_ok.status().ToString().find("internal error") == 0);
  const Result<std::string> from_default{Status()};
  CHECK_FALSE(from_default.ok());
  CHECK(from_default.status().code() == StatusCode::kInternal);
  const Result<int> failed(Status(StatusCode::kNotFound, "x"));
  CHECK(failed.status().code() == StatusCode::kNotFound);
  const Result<int> value(7);
  CHECK(value.ok());
  CHECK(*value == 7);
}

TEST_CASE("Status: an unexpected HTTP answer is a registry error, not a transport error") {
  struct Case {
    Status status;
    std::string text;
  };
  const Case cases[] = {
      {Status(StatusCode::kTransport, "app:v1: HTTP 500 Internal Server Error").WithHttpStatus(500),
       "registry error: app:v1: HTTP 500 Internal Server Error"},
      {Status(StatusCode::kTransport, "app:v1: HTTP 400 Bad Request").WithHttpStatus(400),
       "registry error: app:v1: HTTP 400 Bad Request"},
      {Status(StatusCode::kTransport, "connection refused"), "transport error: connection refused"},
      {Status(StatusCode::kNotFound, "x").WithHttpStatus(404), "not found: x"},
  };
  for (const Case& c : cases) CHECK(c.status.ToString() == c.text);
}

}  // namespace
}  // namespace regdigest
