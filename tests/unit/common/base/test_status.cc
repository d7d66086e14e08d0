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

}  // namespace
}  // namespace regdigest
