#include "client/auth/token_client.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "common/base/base64.h"
#include "common/base/display_text.h"
#include "common/base/url.h"

namespace regdigest {
namespace {

void AppendParam(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query += '&';
  query += PercentEncode(name);
  query += '=';
  query += PercentEncode(value);
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const std::string& scope : scopes) {
    if (scope.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += scope;
  }
  return joined;
}

bool HasBasicCredentials(const std::optional<AuthEntry>& credentials) {
  return credentials && !credentials->username.empty() && !credentials->password.empty();
}

// The OAuth2 refresh-token grant: POST realm with a form body.
HttpRequest RefreshTokenRequest(const Url& realm, const std::string& service,
                                const std::vector<std::string>& scopes,
                                const std::string& identity_token) {
  HttpRequest request;
  request.method = "POST";
  request.url = realm.String();
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  AppendParam(request.body, "grant_type", "refresh_token");
  AppendParam(request.body, "refresh_token", identity_token);
  if (!service.empty()) AppendParam(request.body, "service", service);
  if (std::string joined = JoinScopes(scopes); !joined.empty()) {
    AppendParam(request.body, "scope", joined);
  }
  AppendParam(request.body, "client_id", kTokenClientId);
  return request;
}

// The Docker token spec's GET, optionally with Basic credentials.
HttpRequest BasicTokenRequest(const Url& realm, const std::string& service,
                              const std::vector<std::string>& scopes,
                              const std::optional<AuthEntry>& credentials) {
  std::string query;
  if (!service.empty()) AppendParam(query, "service", service);
  for (const std::string& scope : scopes) {
    if (!scope.empty()) AppendParam(query, "scope", scope);
  }
  HttpRequest request;
  request.method = "GET";
  if (HasBasicCredentials(credentials)) {
    AppendParam(query, "account", credentials->username);
    request.headers.Set("Authorization", "Basic " + Base64Encode(credentials->username + ":" +
                                                                 credentials->password));
  }
  std::string url = realm.String();
  if (!query.empty()) {
    url += realm.path_and_query.find('?') == std::string::npos ? '?' : '&';
    url += query;
  }
  request.url = std::move(url);
  return request;
}

}  // namespace

Result<TokenResponse> FetchToken(Transport& transport, const Challenge& bearer,
                                 const std::vector<std::string>& scopes,
                                 const std::optional<AuthEntry>& credentials,
                                 bool require_https_realm, std::string_view registry) {
  const std::string service = bearer.Param("service");
  std::string registry_name(registry);
  if (registry_name.empty()) registry_name = service.empty() ? "the registry" : service;

  const std::string realm_text = bearer.Param("realm");
  if (realm_text.empty()) {
    return Status(StatusCode::kProtocol,
                  "bearer challenge from " + registry_name + " names no token realm");
  }
  Result<Url> realm = Url::Parse(realm_text);
  if (!realm.ok()) {
    // The message names the scheme only: a realm URL may carry user info.
    const size_t colon = realm_text.find(':');
    const std::string scheme = colon == std::string::npos
                                   ? std::string()
                                   : realm_text.substr(0, std::min<size_t>(colon, 16));
    return Status(StatusCode::kProtocol,
                  "registry " + registry_name + " named an unusable token realm" +
                      (scheme.empty() ? std::string() : " (scheme " + Quoted(scheme) + ")") +
                      ": only absolute http(s) URLs are accepted");
  }
  if (realm->scheme == "http" && require_https_realm && !IsLoopbackHost(realm->host)) {
    return Status(StatusCode::kTransport,
                  "refusing plain-http token realm " + realm->Authority() + " for https registry " +
                      registry_name +
                      " (credentials and tokens would travel unencrypted; mark the registry "
                      "\"insecure\" in the regdigest config to allow it)");
  }

  const bool use_identity_token = credentials && !credentials->identity_token.empty();
  const bool sends_credentials = use_identity_token || HasBasicCredentials(credentials);
  HttpRequest request =
      use_identity_token ? RefreshTokenRequest(*realm, service, scopes, credentials->identity_token)
                         : BasicTokenRequest(*realm, service, scopes, credentials);
  request.headers.Set("Accept", "application/json");

  const std::string where = "token server " + realm->Authority();
  Result<HttpResponse> response = transport.RoundTrip(request);
  if (!response.ok()) {
    return response.status().WithContext("token request to " + realm->Authority() + " for " +
                                         registry_name);
  }
  const int status = response->status;
  if (status == 401 || status == 403) {
    return Status(StatusCode::kUnauthorized,
                  where +
                      (sends_credentials ? " refused credentials for "
                                         : " refused anonymous access to ") +
                      registry_name + " (HTTP " + std::to_string(status) + ")")
        .WithHttpStatus(status);
  }
  if (status == 429) {
    return Status(StatusCode::kRateLimited,
                  where + " is rate limiting token requests for " + registry_name)
        .WithHttpStatus(status);
  }
  if (status < 200 || status > 299) {
    return Status(StatusCode::kTransport, where + " answered HTTP " + std::to_string(status) +
                                              " to a token request for " + registry_name)
        .WithHttpStatus(status);
  }
  Result<TokenResponse> token = ParseTokenResponse(response->body);
  if (!token.ok()) {
    return token.status().WithContext(where + " for " + registry_name).WithHttpStatus(status);
  }
  spdlog::debug("fetched token for scope \"{}\" from realm host {}, expires in {} s",
                JoinScopes(scopes), realm->host, token->expires_in.count());
  return token;
}

}  // namespace regdigest
