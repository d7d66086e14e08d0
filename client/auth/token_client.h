// FetchToken: the client side of Docker's token authentication spec
// (distribution/docs/spec/auth/token.md) and its OAuth2 refresh-token variant.
// Given a registry's Bearer challenge, asks the challenge's realm for a token.
// Thread-safe: it keeps no state (the transport must be thread-safe itself).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/http/http.h"
#include "common/auth/challenge.h"
#include "common/auth/docker_config.h"
#include "common/auth/token_response.h"
#include "common/base/status.h"

namespace regdigest {

// The client_id regdigest sends in OAuth2 token requests.
inline constexpr std::string_view kTokenClientId = "regdigest";

// Fetches a bearer token for `scopes` from the realm of a Bearer challenge.
// - credentials with an identity_token: POST realm with the form
//   grant_type=refresh_token, refresh_token, service, scope (scopes joined by
//   spaces, as OAuth2 wants), client_id=regdigest.
// - otherwise: GET realm?service=S&scope=A&scope=B (one scope parameter per
//   scope, percent-encoded; no service when the challenge has none), with
//   "Authorization: Basic base64(user:pass)" and account=user when both a
//   username and a password are present.
// Realm rules (the realm is the registry's own token service, so the
// registry's credentials go there, as Docker does):
// - it must be an absolute http(s) URL; any other scheme (or an unparsable
//   URL) is kProtocol ("registry <registry> named an unusable token realm");
// - a plain-http realm is refused (kTransport) when `require_https_realm`
//   (the registry request was https and the registry is not marked insecure)
//   and the realm host is not loopback.
// A 401/403 from the token server is kUnauthorized ("token server
// <realm host> refused credentials for <registry>"); a 429 is kRateLimited;
// other statuses and transport failures are kTransport; an unusable body is
// kProtocol ("token server <realm host> for <registry>: token response: ...").
// No message ever contains a secret. The request goes through
// `transport` with an empty AuthContext. `registry` only names the registry
// in messages (the challenge's service is used when it is empty).
// A failure made from the token server's answer carries its HTTP status
// (Status::http_status()), so a caller can tell a refused request (4xx) from
// a failed exchange (0: no answer came).
Result<TokenResponse> FetchToken(Transport& transport, const Challenge& bearer,
                                 const std::vector<std::string>& scopes,
                                 const std::optional<AuthEntry>& credentials,
                                 bool require_https_realm, std::string_view registry = {});

}  // namespace regdigest
