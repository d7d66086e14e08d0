#include "client/auth/auth_transport.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/auth/challenge.h"
#include "common/base/url.h"

namespace regdigest {

AuthTransport::AuthTransport(std::shared_ptr<Transport> inner, std::shared_ptr<TokenBroker> broker)
    : inner_(std::move(inner)), broker_(std::move(broker)) {}

Result<HttpResponse> AuthTransport::RoundTrip(const HttpRequest& request) {
  if (request.auth.registry.empty() || request.headers.Has("Authorization")) {
    return inner_->RoundTrip(request);
  }
  Result<Url> url = Url::Parse(request.url);
  if (!url.ok()) return inner_->RoundTrip(request);  // the inner transport reports it
  const AuthTarget target{*url, request.auth.registry, request.auth.scope};

  HttpRequest attempt = request;
  Result<std::string> up_front = broker_->Authorization(target);
  if (!up_front.ok()) return up_front.status();
  if (!up_front->empty()) attempt.headers.Set("Authorization", *up_front);

  Result<HttpResponse> response = inner_->RoundTrip(attempt);
  if (!response.ok() || response->status != 401) return response;
  Result<std::optional<AuthAnswer>> answer =
      AnswerUnauthorized(target, *response, *up_front, nullptr);
  if (!answer.ok()) return answer.status();
  if (!answer->has_value()) return response;
  attempt.headers.Set("Authorization", (*answer)->authorization);
  response = inner_->RoundTrip(attempt);

  // One more round only for a scope the fresh token was not asked for.
  if (!response.ok() || response->status != 401 || (*answer)->scopes.empty()) return response;
  Result<std::optional<AuthAnswer>> wider =
      AnswerUnauthorized(target, *response, (*answer)->authorization, &(*answer)->scopes);
  if (!wider.ok()) return wider.status();
  if (!wider->has_value()) return response;
  attempt.headers.Set("Authorization", (*wider)->authorization);
  return inner_->RoundTrip(attempt);
}

Result<std::optional<AuthAnswer>> AuthTransport::AnswerUnauthorized(
    const AuthTarget& target, const HttpResponse& response, const std::string& sent_authorization,
    const std::vector<std::string>* asked) {
  if (!response.url.empty()) {
    Result<Url> from = Url::Parse(response.url);
    if (!from.ok() || !SameOrigin(*from, target.url)) {
      spdlog::debug("not answering a challenge from {}: not the origin of the request to {}",
                    from.ok() ? from->Authority() : std::string("an unparsable URL"),
                    target.url.Authority());
      return std::optional<AuthAnswer>();
    }
  }
  Result<std::vector<Challenge>> challenges =
      ParseChallenges(response.headers.GetAll("WWW-Authenticate"));
  if (!challenges.ok()) {
    return Status(StatusCode::kProtocol,
                  "registry " + target.registry +
                      " answered 401 with an unusable challenge: " + challenges.status().message());
  }
  return broker_->Answer(target, *challenges, sent_authorization, asked);
}

}  // namespace regdigest
