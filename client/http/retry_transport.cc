#include "client/http/retry_transport.h"

#include <spdlog/spdlog.h>

#include <random>
#include <thread>
#include <utility>

#include "common/base/ascii.h"
#include "common/base/url.h"
#include "common/registry/registry_error.h"

namespace regdigest {
namespace {

using std::chrono::milliseconds;

double DefaultUnitRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// scheme://authority/path: no query (token requests carry account and scope there).
std::string UrlWithoutQuery(const std::string& url) {
  Result<Url> parsed = Url::Parse(url);
  return parsed.ok() ? parsed->StringWithoutQuery() : "(invalid URL)";
}

// "HTTP 429 Too Many Requests (Retry-After: 1): <registry message>".
std::string DescribeAnswer(const HttpResponse& response) {
  std::string text = "HTTP " + std::to_string(response.status);
  if (std::string_view reason = HttpReasonPhrase(response.status); !reason.empty()) {
    text += " " + std::string(reason);
  }
  if (std::optional<std::string> retry_after = response.headers.Get("Retry-After")) {
    text += " (Retry-After: " + retry_after->substr(0, 40) + ")";
  }
  // The registry's words, when the body has distribution-spec errors.
  if (!RegistryErrorMessages(response.body).empty()) {
    text += ": " + RegistryErrorStatus(response.status, response.body, "").message();
  }
  return text;
}

// "300 s", "2.5 s".
std::string Seconds(milliseconds duration) {
  std::string text = std::to_string(duration.count() / 1000);
  if (const auto ms = duration.count() % 1000; ms != 0) {
    std::string fraction = std::to_string(1000 + ms).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + " s";
}

// The final error once no more attempts are made: an HTTP answer gives
// "<METHOD> <url> gave up after N attempts<why>: HTTP 503 ..."; a failure,
// which already names what failed, gets " (gave up after N attempts<why>)".
// `limit` is "" or why attempts stopped early ("retry time limit 2.5 s").
Status GiveUp(const HttpRequest& request, int attempts, const std::string& limit,
              const Result<HttpResponse>& last) {
  const std::string gave_up =
      "gave up after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
  if (!last.ok()) {
    const Status failure = last.status();
    return Status(failure.code(),
                  failure.message() + " (" + gave_up + (limit.empty() ? "" : ", " + limit) + ")")
        .WithHttpStatus(failure.http_status())
        .WithRegistryCode(failure.registry_code())
        .WithRetryable(failure.retryable())
        .WithOsErrno(failure.os_errno());
  }
  const StatusCode code = last->status == 429 ? StatusCode::kRateLimited : StatusCode::kTransport;
  return Status(code, request.method + " " + UrlWithoutQuery(request.url) + " " + gave_up +
                          (limit.empty() ? "" : " (" + limit + ")") + ": " + DescribeAnswer(*last))
      .WithHttpStatus(last->status)
      .WithRegistryCode(RegistryErrorStatus(last->status, last->body, "").registry_code())
      .WithRetryable(true);
}

// An HTTP answer by its status (429, 502, 503, 504), a failure by the detail
// set where it was seen.
bool IsRetryable(const Result<HttpResponse>& result) {
  return result.ok() ? IsRetryableStatus(result->status) : result.status().retryable();
}

}  // namespace

RetryTransport::RetryTransport(std::shared_ptr<Transport> inner, RetryPolicy policy,
                               std::map<std::string, int> max_attempts_by_registry,
                               RetryHooks hooks)
    : inner_(std::move(inner)),
      policy_(policy),
      max_attempts_by_registry_(std::move(max_attempts_by_registry)),
      hooks_(std::move(hooks)) {
  if (!hooks_.sleep) hooks_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
  if (!hooks_.unit_random) hooks_.unit_random = &DefaultUnitRandom;
  if (!hooks_.now) hooks_.now = [] { return std::chrono::steady_clock::now(); };
  if (!hooks_.wall_now) hooks_.wall_now = [] { return std::chrono::system_clock::now(); };
}

int RetryTransport::MaxAttemptsFor(const HttpRequest& request) const {
  if (request.max_attempts > 0) return request.max_attempts;
  if (!request.auth.registry.empty()) {
    auto it = max_attempts_by_registry_.find(AsciiLower(request.auth.registry));
    if (it != max_attempts_by_registry_.end()) return it->second;
  }
  return policy_.max_attempts;
}

Result<HttpResponse> RetryTransport::RoundTrip(const HttpRequest& request) {
  const int max_attempts = MaxAttemptsFor(request);
  if (max_attempts <= 1) return inner_->RoundTrip(request);
  const auto start = hooks_.now();
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> result = inner_->RoundTrip(request);
    if (!IsRetryable(result)) return result;
    if (attempt >= max_attempts) return GiveUp(request, attempt, "", result);

    std::optional<milliseconds> retry_after;
    if (result.ok()) {
      if (std::optional<std::string> header = result->headers.Get("Retry-After")) {
        retry_after = ParseRetryAfter(*header, hooks_.wall_now());
      }
    }
    const milliseconds delay = RetryDelay(policy_, attempt, retry_after, hooks_.unit_random());
    const auto elapsed = std::chrono::duration_cast<milliseconds>(hooks_.now() - start);
    if (elapsed + delay > policy_.max_total) {
      return GiveUp(request, attempt, "retry time limit " + Seconds(policy_.max_total), result);
    }
    spdlog::debug("{} {}: {}; retrying in {} ms (attempt {} of {})", request.method,
                  UrlWithoutQuery(request.url),
                  result.ok() ? DescribeAnswer(*result) : result.status().message(), delay.count(),
                  attempt + 1, max_attempts);
    hooks_.sleep(delay);
  }
}

}  // namespace regdigest
