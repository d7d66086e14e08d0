// Tests for RetryTransport (client/http/retry_transport.h) over a scripted
// inner Transport, with an injected clock, sleep and randomness: which
// answers are retried (decided from the HTTP status or the failure's
// Status::retryable(), never from its message), how long it waits, when it
// gives up and what the final Status says and carries.
#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/http/retry_transport.h"
#include "client/registry/registry_client.h"

namespace regdigest {
namespace {

using std::chrono::milliseconds;

// One scripted outcome: an HTTP answer or a failure (retryable or not).
struct Step {
  int status = 200;
  std::string retry_after;  // "" none
  std::string body;
  std::optional<Status> failure;
};

Step Answer(int status, std::string retry_after = "", std::string body = "") {
  return Step{status, std::move(retry_after), std::move(body), std::nullopt};
}
// A failure whose only retry signal is its detail.
Step Failure(StatusCode code, std::string message, bool retryable) {
  return Step{0, "", "", Status(code, std::move(message)).WithRetryable(retryable)};
}

// Plays the steps in order; the last one repeats forever.
class ScriptedAttempts : public Transport {
 public:
  explicit ScriptedAttempts(std::vector<Step> steps) : steps_(std::move(steps)) {}
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    const Step& step = steps_[std::min(requests.size() - 1, steps_.size() - 1)];
    if (step.failure) return *step.failure;
    HttpResponse response;
    response.status = step.status;
    response.body = step.body;
    response.url = request.url;
    if (!step.retry_after.empty()) response.headers.Add("Retry-After", step.retry_after);
    return response;
  }
  std::vector<HttpRequest> requests;

 private:
  std::vector<Step> steps_;
};

// A fake clock that only moves when the transport sleeps.
struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  std::vector<milliseconds> sleeps;
  RetryHooks Hooks() {
    RetryHooks hooks;
    hooks.sleep = [this](milliseconds d) {
      sleeps.push_back(d);
      now += d;
    };
    hooks.unit_random = [] { return 0.0; };
    hooks.now = [this] { return now; };
    // 1994-11-06 08:49:30 UTC
    hooks.wall_now = [] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(784111770));
    };
    return hooks;
  }
};

HttpRequest Request(const std::string& method = "GET") {
  HttpRequest request;
  request.method = method;
  request.url = "https://r.test/v2/app/manifests/v1?account=alice";
  return request;
}

RetryPolicy Policy(int max_attempts) {
  RetryPolicy policy;
  policy.max_attempts = max_attempts;
  policy.initial_backoff = milliseconds(500);
  policy.max_backoff = milliseconds(8000);
  policy.max_wait = milliseconds(60000);
  policy.max_total = milliseconds(300000);
  return policy;
}

TEST_CASE("RetryTransport retries 429, 502, 503, 504 and retryable failures only") {
  const std::string toomany =
      R"({"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]})";
  struct Case {
    std::string name;
    std::vector<Step> steps;
    int attempts;                     // the inner transport saw this many
    std::vector<milliseconds> waits;  // what was slept, in order
    int final_status;                 // 0: the result is an error
    StatusCode code;                  // for errors
    std::vector<std::string> message;
  };
  const std::vector<Case> cases = {
      {"200 at once", {Answer(200)}, 1, {}, 200, StatusCode::kOk, {}},
      {"404 is final", {Answer(404)}, 1, {}, 404, StatusCode::kOk, {}},
      {"401 is final (the auth layer answers it)", {Answer(401)}, 1, {}, 401, StatusCode::kOk, {}},
      {"403 is final", {Answer(403)}, 1, {}, 403, StatusCode::kOk, {}},
      {"400 is final", {Answer(400)}, 1, {}, 400, StatusCode::kOk, {}},
      {"405 is final", {Answer(405)}, 1, {}, 405, StatusCode::kOk, {}},
      {"500 is final", {Answer(500)}, 1, {}, 500, StatusCode::kOk, {}},
      {"503 twice then 200: backoff 250, 500 ms",
       {Answer(503), Answer(503), Answer(200)},
       3,
       {milliseconds(250), milliseconds(500)},
       200,
       StatusCode::kOk,
       {}},
      {"502 then 504 then 200",
       {Answer(502), Answer(504), Answer(200)},
       3,
       {milliseconds(250), milliseconds(500)},
       200,
       StatusCode::kOk,
       {}},
      {"429 Retry-After: 1 twice then 200: waits 1 s each",
       {Answer(429, "1"), Answer(429, "1"), Answer(200)},
       3,
       {milliseconds(1000), milliseconds(1000)},
       200,
       StatusCode::kOk,
       {}},
      {"503 with an HTTP-date Retry-After 7 s ahead",
       {Answer(503, "Sun, 06 Nov 1994 08:49:37 GMT"), Answer(200)},
       2,
       {milliseconds(7000)},
       200,
       StatusCode::kOk,
       {}},
      {"unusable Retry-After: backoff instead",
       {Answer(429, "later"), Answer(200)},
       2,
       {milliseconds(250)},
       200,
       StatusCode::kOk,
       {}},
      {"Retry-After over the cap waits the cap",
       {Answer(429, "86400"), Answer(200)},
       2,
       {milliseconds(60000)},
       200,
       StatusCode::kOk,
       {}},
      {"503 forever: gives up after 4 attempts",
       {Answer(503)},
       4,
       {milliseconds(250), milliseconds(500), milliseconds(1000)},
       0,
       StatusCode::kTransport,
       {"GET https://r.test/v2/app/manifests/v1 gave up after 4 attempts: HTTP 503 Service "
        "Unavailable"}},
      {"429 forever: rate limited, naming Retry-After and the registry's message",
       {Answer(429, "1", toomany)},
       4,
       {milliseconds(1000), milliseconds(1000), milliseconds(1000)},
       0,
       StatusCode::kRateLimited,
       {"gave up after 4 attempts: HTTP 429 Too Many Requests (Retry-After: 1)",
        "You have reached your pull rate limit."}},
      {"connection refused twice then 200",
       {Failure(StatusCode::kTransport, "connection refused by https://r.test", true),
        Failure(StatusCode::kTransport, "connection refused by https://r.test", true), Answer(200)},
       3,
       {milliseconds(250), milliseconds(500)},
       200,
       StatusCode::kOk,
       {}},
      {"timeouts forever: gives up naming the failure",
       {Failure(StatusCode::kTransport, "GET https://r.test/v2/ timed out after 30000 ms", true)},
       4,
       {milliseconds(250), milliseconds(500), milliseconds(1000)},
       0,
       StatusCode::kTransport,
       {"GET https://r.test/v2/ timed out after 30000 ms (gave up after 4 attempts)"}},
      {"TLS failure is not retried",
       {Failure(StatusCode::kTransport, "TLS certificate verification failed for https://r.test",
                false)},
       1,
       {},
       0,
       StatusCode::kTransport,
       {"TLS certificate verification failed"}},
      {"size cap is not retried",
       {Failure(StatusCode::kProtocol, "response body exceeds 10 bytes", false)},
       1,
       {},
       0,
       StatusCode::kProtocol,
       {"response body exceeds 10 bytes"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto inner = std::make_shared<ScriptedAttempts>(c.steps);
    FakeTime time;
    RetryTransport transport(inner, Policy(4), {}, time.Hooks());
    Result<HttpResponse> got = transport.RoundTrip(Request());
    CHECK(inner->requests.size() == static_cast<std::size_t>(c.attempts));
    CHECK(time.sleeps == c.waits);
    if (c.final_status != 0) {
      REQUIRE_MESSAGE(got.ok(), got.status().ToString());
      CHECK(got->status == c.final_status);
    } else {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == c.code);
      for (const std::string& text : c.message) {
        CHECK_MESSAGE(got.status().message().find(text) != std::string::npos,
                      got.status().message());
      }
      CHECK(got.status().message().find("account=alice") == std::string::npos);
    }
  }
}

TEST_CASE("RetryTransport bounds attempts and total time") {
  SUBCASE("one attempt allowed: the 503 answer passes unchanged") {
    auto inner = std::make_shared<ScriptedAttempts>(std::vector<Step>{Answer(503)});
    FakeTime time;
    RetryTransport transport(inner, Policy(1), {}, time.Hooks());
    Result<HttpResponse> got = transport.RoundTrip(Request());
    REQUIRE(got.ok());
    CHECK(got->status == 503);
    CHECK(inner->requests.size() == 1);
    CHECK(time.sleeps.empty());
  }
  SUBCASE("the total time limit stops the waits") {
    auto inner = std::make_shared<ScriptedAttempts>(std::vector<Step>{Answer(503, "1")});
    FakeTime time;
    RetryPolicy policy = Policy(10);
    policy.max_total = milliseconds(2500);
    RetryTransport transport(inner, policy, {}, time.Hooks());
    Result<HttpResponse> got = transport.RoundTrip(Request("HEAD"));
    REQUIRE_FALSE(got.ok());
    CHECK(inner->requests.size() == 3);  // waits at 0 and 1 s fit in 2.5 s; a third would not
    CHECK(time.sleeps == std::vector<milliseconds>{milliseconds(1000), milliseconds(1000)});
    CHECK(got.status().code() == StatusCode::kTransport);
    CHECK_MESSAGE(got.status().message().find("HEAD https://r.test/v2/app/manifests/v1 gave up "
                                              "after 3 attempts (retry time limit 2.5 s): HTTP "
                                              "503") != std::string::npos,
                  got.status().message());
  }
  SUBCASE("the total time limit, for a failure") {
    auto inner = std::make_shared<ScriptedAttempts>(
        std::vector<Step>{Failure(StatusCode::kTransport, "connection refused by r.test", true)});
    FakeTime time;
    RetryPolicy policy = Policy(10);
    policy.max_total = milliseconds(1000);
    RetryTransport transport(inner, policy, {}, time.Hooks());
    Result<HttpResponse> got = transport.RoundTrip(Request());
    REQUIRE_FALSE(got.ok());
    CHECK(inner->requests.size() == 3);  // waits 250 + 500 fit in 1 s; 1000 more would not
    CHECK(got.status().message() ==
          "connection refused by r.test (gave up after 3 attempts, retry time limit 1 s)");
  }
  SUBCASE("per-registry attempts override the policy") {
    auto inner = std::make_shared<ScriptedAttempts>(std::vector<Step>{Answer(502)});
    FakeTime time;
    RetryTransport transport(inner, Policy(4), {{"docker.io", 2}}, time.Hooks());
    HttpRequest request = Request();
    request.auth.registry = "Docker.IO";
    Result<HttpResponse> got = transport.RoundTrip(request);
    CHECK_FALSE(got.ok());
    CHECK(inner->requests.size() == 2);
    inner->requests.clear();
    request.auth.registry = "ghcr.io";
    got = transport.RoundTrip(request);
    CHECK(inner->requests.size() == 4);
  }
  SUBCASE("a request's own max_attempts overrides both (a scheme probe: one attempt)") {
    auto inner = std::make_shared<ScriptedAttempts>(
        std::vector<Step>{Failure(StatusCode::kTransport, "connection refused by r.test", true)});
    FakeTime time;
    RetryTransport transport(inner, Policy(4), {{"docker.io", 3}}, time.Hooks());
    HttpRequest request = Request();
    request.auth.registry = "docker.io";
    request.max_attempts = 1;
    Result<HttpResponse> got = transport.RoundTrip(request);
    CHECK_FALSE(got.ok());
    CHECK(got.status().os_errno() == 0);
    CHECK(inner->requests.size() == 1);
    CHECK(time.sleeps.empty());
  }
  SUBCASE("each attempt is the same request, headers included") {
    auto inner = std::make_shared<ScriptedAttempts>(std::vector<Step>{Answer(503), Answer(200)});
    FakeTime time;
    RetryTransport transport(inner, Policy(4), {}, time.Hooks());
    HttpRequest request = Request("HEAD");
    request.headers.Set("Authorization", "Bearer t0ken");
    request.headers.Set("Accept", "application/json");
    REQUIRE(transport.RoundTrip(request).ok());
    REQUIRE(inner->requests.size() == 2);
    for (const HttpRequest& seen : inner->requests) {
      CHECK(seen.method == "HEAD");
      CHECK(seen.url == request.url);
      CHECK(seen.headers.fields() == request.headers.fields());
    }
  }
}

TEST_CASE("A 429 on the manifest HEAD is retried, then reported; never turned into a GET") {
  auto inner = std::make_shared<ScriptedAttempts>(std::vector<Step>{Answer(429, "1")});
  FakeTime time;
  auto transport = std::make_shared<RetryTransport>(inner, Policy(3), std::map<std::string, int>{},
                                                    time.Hooks());
  RegistryClient client(transport, ToolConfig{});
  Result<ManifestDescriptor> got =
      client.Resolve(Reference::Parse("localhost:5000/app:v1").value());
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().code() == StatusCode::kRateLimited);
  CHECK_MESSAGE(
      got.status().message().find("429 Too Many Requests (Retry-After: 1)") != std::string::npos,
      got.status().message());
  CHECK(got.status().message().find("localhost:5000/app:v1") != std::string::npos);
  REQUIRE(inner->requests.size() == 3);
  for (const HttpRequest& seen : inner->requests) CHECK(seen.method == "HEAD");
}

}  // namespace
}  // namespace regdigest
