#include "client/http/redirect_transport.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/base/url.h"

namespace regdigest {
namespace {

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

RedirectTransport::RedirectTransport(std::shared_ptr<Transport> inner, int max_redirects)
    : inner_(std::move(inner)), max_redirects_(max_redirects) {}

Result<HttpResponse> RedirectTransport::RoundTrip(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return inner_->RoundTrip(request);

  Result<Url> original = Url::Parse(request.url);
  if (!original.ok()) return inner_->RoundTrip(request);  // the inner layer reports it

  HttpRequest current = request;
  Url current_url = *original;
  for (int hops = 0;; ++hops) {
    Result<HttpResponse> response = inner_->RoundTrip(current);
    if (!response.ok() || !IsRedirect(response->status)) return response;
    std::optional<std::string> location = response->headers.Get("Location");
    if (!location.has_value() || location->empty()) return response;

    if (hops >= max_redirects_) {
      return Status(StatusCode::kTransport, "too many redirects (more than " +
                                                std::to_string(max_redirects_) + ") from " +
                                                original->StringWithoutQuery())
          .WithHttpStatus(response->status);
    }
    Result<Url> next = ResolveLocation(current_url, *location);
    if (!next.ok()) {
      return Status(StatusCode::kTransport, "cannot follow redirect from " +
                                                current_url.StringWithoutQuery() + ": " +
                                                RedactUrlsInText(next.status().message()))
          .WithHttpStatus(response->status);
    }
    if (current_url.scheme == "https" && next->scheme == "http") {
      return Status(StatusCode::kTransport,
                    "refusing redirect from https to http: " + next->StringWithoutQuery())
          .WithHttpStatus(response->status);
    }
    spdlog::debug("{} {} redirected ({}) to {}", current.method, current_url.StringWithoutQuery(),
                  response->status, next->StringWithoutQuery());

    // Headers come from the original request each hop, so credentials are
    // only ever sent to the origin they were meant for.
    current.headers = request.headers;
    if (!SameOrigin(*original, *next)) current.headers.Remove("Authorization");
    if (response->status == 303 && current.method != "HEAD") current.method = "GET";
    current.body.clear();
    current.url = next->String();
    current_url = std::move(*next);
  }
}

}  // namespace regdigest
