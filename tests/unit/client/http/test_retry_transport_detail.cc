// RetryTransport decides from structure (client/http/retry_transport.h): a
// failure is retried when its Status is retryable(), whatever its words say;
// an HTTP answer when its status is 429, 502, 503 or 504; wherever the
// decorator sits in the stack. The Status it gives up with carries the detail
// (http_status, registry_code, retryable, os_errno) the callers decide from.
#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/http/redirect_transport.h"
#include "client/http/retry_transport.h"

namespace regdigest {
namespace {

// Answers every request with the same outcome and counts the requests.
class Repeating : public Transport {
 public:
  explicit Repeating(Result<HttpResponse> outcome) : outcome_(std::move(outcome)) {}
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    ++calls;
    if (!outcome_.ok()) return outcome_.status();
    HttpResponse response = *outcome_;
    response.url = request.url;
    return response;
  }
  int calls = 0;

 private:
  Result<HttpResponse> outcome_;
};

HttpResponse Answer(int status, std::string body = "") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

RetryHooks NoWaiting() {
  RetryHooks hooks;
  hooks.sleep = [](std::chrono::milliseconds) {};
  hooks.unit_random = [] { return 0.0; };
  hooks.now = [] { return std::chrono::steady_clock::time_point{}; };
  hooks.wall_now = [] { return std::chrono::system_clock::time_point{}; };
  return hooks;
}

RetryPolicy ThreeAttempts() {
  RetryPolicy policy;
  policy.max_attempts = 3;
  return policy;
}

HttpRequest Get() {
  HttpRequest request;
  request.url = "https://r.test/v2/app/manifests/v1";
  return request;
}

TEST_CASE("RetryTransport retries a failure from its retryable() detail, not its words") {
  struct Case {
    const char* name;
    Status failure;
    int attempts;
  };
  const std::vector<Case> cases = {
      {"refusal words, not retryable",
       Status(StatusCode::kTransport, "connection refused by https://r.test"), 1},
      {"timeout words, not retryable",
       Status(StatusCode::kTransport, "GET https://r.test/v2/ timed out after 30000 ms"), 1},
      {"TLS words, retryable",
       Status(StatusCode::kTransport, "TLS certificate verification failed").WithRetryable(true),
       3},
      {"no words at all, retryable, with the OS error",
       Status(StatusCode::kTransport, "x").WithRetryable(true).WithOsErrno(ECONNREFUSED), 3},
      {"a protocol error marked retryable", Status(StatusCode::kProtocol, "y").WithRetryable(true),
       3},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto inner = std::make_shared<Repeating>(c.failure);
    RetryTransport transport(inner, ThreeAttempts(), {}, NoWaiting());
    Result<HttpResponse> got = transport.RoundTrip(Get());
    CHECK(inner->calls == c.attempts);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == c.failure.code());
    // The detail survives, with or without "(gave up after N attempts)".
    CHECK(got.status().retryable() == c.failure.retryable());
    CHECK(got.status().os_errno() == c.failure.os_errno());
    CHECK(got.status().http_status() == 0);
    CHECK((got.status().message() == c.failure.message()) == (c.attempts == 1));
  }
}

TEST_CASE("RetryTransport gives up on an HTTP answer with its status and registry code") {
  struct Case {
    const char* name;
    HttpResponse answer;
    StatusCode code;
    std::string registry_code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"503 without a body", Answer(503), StatusCode::kTransport, "", "HTTP 503"},
      {"429 TOOMANYREQUESTS",
       Answer(429, R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})"),
       StatusCode::kRateLimited, "TOOMANYREQUESTS", "slow down"},
      {"502, the first of two codes",
       Answer(502, R"({"errors":[{"code":"UNAVAILABLE"},{"code":"DENIED","message":"no"}]})"),
       StatusCode::kTransport, "UNAVAILABLE", "UNAVAILABLE; no (DENIED)"},
      {"504, a message without a code",
       Answer(504, R"({"errors":[{"message":"upstream timed out"}]})"), StatusCode::kTransport, "",
       "HTTP 504 Gateway Timeout: upstream timed out"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto inner = std::make_shared<Repeating>(c.answer);
    RetryTransport transport(inner, ThreeAttempts(), {}, NoWaiting());
    Result<HttpResponse> got = transport.RoundTrip(Get());
    CHECK(inner->calls == 3);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == c.code);
    CHECK(got.status().http_status() == c.answer.status);
    CHECK(got.status().registry_code() == c.registry_code);
    CHECK(got.status().retryable());
    CHECK_MESSAGE(got.status().message().find(c.says) != std::string::npos, got.status().message());
  }
}

TEST_CASE("RetryTransport decides the same wherever it sits in the stack") {
  struct Case {
    const char* name;
    Result<HttpResponse> outcome;
    int attempts;
  };
  const std::vector<Case> cases = {
      {"503 through a redirect layer", Answer(503), 3},
      {"404 through a redirect layer", Answer(404), 1},
      {"retryable failure through a redirect layer",
       Status(StatusCode::kTransport, "reset").WithRetryable(true), 3},
      {"final failure through a redirect layer", Status(StatusCode::kTransport, "TLS"), 1},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto bottom = std::make_shared<Repeating>(c.outcome);
    auto redirects = std::make_shared<RedirectTransport>(bottom);
    RetryTransport transport(redirects, ThreeAttempts(), {}, NoWaiting());
    Result<HttpResponse> got = transport.RoundTrip(Get());
    CHECK(bottom->calls == c.attempts);
    CHECK(got.ok() == (c.outcome.ok() && c.attempts == 1));  // only the 404 passes as an answer
  }
}

}  // namespace
}  // namespace regdigest
