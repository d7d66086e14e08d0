#include "client/registry/registry_client.h"

#include <spdlog/spdlog.h>

#include "client/auth/token_cache.h"
#include "common/base/display_text.h"
#include "common/base/url.h"
#include "common/image/manifest.h"
#include "common/image/media_types.h"
#include "common/registry/endpoint.h"
#include "common/registry/registry_error.h"

namespace regdigest {
namespace {

std::optional<int64_t> ContentLength(const HttpResponse& response) {
  std::optional<std::string> value = response.headers.Get("Content-Length");
  if (!value) return std::nullopt;
  try {
    return std::stoll(*value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<RateLimit> RateLimitOf(const HttpResponse& response) {
  std::optional<std::string> limit = response.headers.Get("ratelimit-limit");
  std::optional<std::string> remaining = response.headers.Get("ratelimit-remaining");
  std::optional<std::string> source = response.headers.Get("docker-ratelimit-source");
  auto view = [](const std::optional<std::string>& s) {
    return s ? std::optional<std::string_view>(*s) : std::nullopt;
  };
  return ParseRateLimit(view(limit), view(remaining), view(source));
}

std::string ContentTypeOf(const HttpResponse& response) {
  return response.headers.Get("Content-Type").value_or("");
}

// "http://127.0.0.1:5000": the server that answered.
std::string OriginOf(const HttpResponse& response) {
  Result<Url> url = Url::Parse(response.url);
  return url.ok() ? url->scheme + "://" + url->Authority() : "the server";
}

// The manifest media type of an answer (IdentifyManifest), with the
// reference and the server named in errors.
Result<std::string> ManifestTypeOf(const HttpResponse& response, const std::string& what) {
  Result<std::string> type =
      IdentifyManifest(ContentTypeOf(response), response.body, OriginOf(response));
  if (type.ok()) return type;
  return type.status().WithContext(what);
}

// The digest the registry claims in Docker-Content-Digest, if any and valid.
Result<std::optional<Digest>> ClaimedDigest(const HttpResponse& response, const std::string& what) {
  std::optional<std::string> header = response.headers.Get("Docker-Content-Digest");
  if (!header || header->empty()) return std::optional<Digest>();
  Result<Digest> digest = Digest::Parse(*header);
  if (!digest.ok()) {
    return Status(
        StatusCode::kProtocol,
        what + ": registry sent an invalid Docker-Content-Digest: " + digest.status().message());
  }
  return std::optional<Digest>(*digest);
}

// A HEAD answer has no error body; say what the status usually means.
Status WithHint(const Status& status, int http_status, const Reference& reference) {
  std::string hint;
  if (http_status == 404) {
    hint = "the tag or the repository does not exist";
  } else if (http_status == 401) {
    hint = "check the credentials for " + reference.domain() +
           " (some registries also answer 401 for repositories that do not exist)";
  } else if (http_status == 403) {
    hint = "the credentials for " + reference.domain() + " do not grant pull access";
  }
  if (hint.empty()) return status;
  return Status(status.code(), status.message() + " (" + hint + ")")
      .WithHttpStatus(status.http_status())
      .WithRegistryCode(status.registry_code())
      .WithRetryable(status.retryable());
}

// Whether the endpoint error is worth trying the next endpoint (mirror) for.
bool TryNextEndpoint(const Status& status) {
  return status.code() == StatusCode::kTransport || status.code() == StatusCode::kNotFound;
}

}  // namespace

RegistryClient::RegistryClient(std::shared_ptr<Transport> transport, ToolConfig config)
    : transport_(std::move(transport)), config_(std::move(config)) {}

Result<HttpResponse> RegistryClient::Send(const Reference& reference, const std::string& method,
                                          const std::string& suffix, const std::string& accept,
                                          const std::string& what) {
  Result<std::vector<Endpoint>> endpoints = EndpointsFor(reference.domain(), config_);
  if (!endpoints.ok()) return endpoints.status();
  Status last;
  for (const Endpoint& endpoint : *endpoints) {
    HttpRequest request;
    request.method = method;
    if (!accept.empty()) request.headers.Set("Accept", accept);
    // A mirror gets its own credentials (if any), never the registry's.
    request.auth.registry = endpoint.mirror ? endpoint.authority : reference.domain();
    request.auth.scope = PullScope(reference.path());
    Result<HttpResponse> response =
        SendTo(endpoint, std::move(request), "/v2/" + reference.path() + "/" + suffix);
    if (!response.ok()) {
      last = response.status().WithContext(what);
    } else if (response->status == 200 || (method == "HEAD" && response->status == 405)) {
      return response;
    } else if (response->url.starts_with("http:") &&
               IsPlainHttpToTlsAnswer(response->status, response->headers.fields().size(),
                                      response->body)) {
      last = Status(StatusCode::kTransport,
                    what + ": " + endpoint.authority +
                        " speaks HTTPS, not HTTP: it refused the plain-HTTP request (HTTP 400); "
                        "give its \"endpoint\" as https://" +
                        endpoint.authority + " in the regdigest config")
                 .WithHttpStatus(response->status);
    } else {
      last = RegistryErrorStatus(response->status, response->body, what);
      if (response->body.empty()) last = WithHint(last, response->status, reference);
    }
    if (!endpoint.mirror || !TryNextEndpoint(last)) break;
    spdlog::debug("mirror {} failed ({}); trying the next endpoint", endpoint.authority,
                  last.ToString());
  }
  return last;
}

Result<HttpResponse> RegistryClient::SendTo(const Endpoint& endpoint, HttpRequest request,
                                            const std::string& path) {
  return schemes_->RoundTrip(endpoint, [&](const std::string& base_url, bool probe) {
    request.url = base_url + path;
    request.max_attempts = probe ? 1 : 0;
    Result<HttpResponse> response = transport_->RoundTrip(request);
    // Messages name the server that answered, and say which scheme it was.
    if (response.ok() && response->url.empty()) response->url = request.url;
    return response;
  });
}

Result<HttpResponse> RegistryClient::Ping(const std::string& domain) {
  Result<std::vector<Endpoint>> endpoints = EndpointsFor(domain, config_);
  if (!endpoints.ok()) return endpoints.status();
  HttpRequest request;
  request.auth.registry = domain;
  return SendTo(endpoints->back(), std::move(request), "/v2/");
}

Result<HttpResponse> RegistryClient::SendManifest(const Reference& reference,
                                                  const std::string& method) {
  return Send(reference, method, "manifests/" + reference.Identifier(), ManifestAcceptHeader(),
              reference.String());
}

Result<FetchedManifest> RegistryClient::VerifiedBody(const Reference& reference,
                                                     const HttpResponse& response) {
  const std::string what = reference.String();
  Result<std::optional<Digest>> claimed = ClaimedDigest(response, what);
  if (!claimed.ok()) return claimed.status();
  // Hash with the algorithm the registry or the reference names; sha256 by default.
  std::optional<Digest> expected = reference.digest() ? reference.digest() : *claimed;
  Digest computed = (expected && expected->algorithm() == "sha512")
                        ? Digest::Sha512Of(response.body)
                        : Digest::Sha256Of(response.body);
  for (const std::optional<Digest>& want : {reference.digest(), *claimed}) {
    if (want && !want->Matches(response.body)) {
      return Status(StatusCode::kDigestMismatch, what + ": manifest content does not match " +
                                                     want->String() + " (computed " +
                                                     computed.String() + "); refusing it");
    }
  }
  Result<std::string> media_type = ManifestTypeOf(response, what);
  if (!media_type.ok()) return media_type.status();
  FetchedManifest fetched{{computed, std::move(media_type).value(),
                           static_cast<int64_t>(response.body.size()), RateLimitOf(response)},
                          response.body};
  return fetched;
}

Result<FetchedManifest> RegistryClient::Fetch(const Reference& reference) {
  Result<HttpResponse> response = SendManifest(reference, "GET");
  if (!response.ok()) return response.status();
  return VerifiedBody(reference, *response);
}

Result<std::string> RegistryClient::FetchBlob(const Reference& repository, const Digest& digest,
                                              std::size_t max_bytes) {
  const std::string what = repository.Name() + "@" + digest.String();
  Result<HttpResponse> response = Send(repository, "GET", "blobs/" + digest.String(), "", what);
  if (!response.ok()) return response.status();
  if (response->body.size() > max_bytes) {
    return Status(StatusCode::kProtocol, what + ": blob is larger than " +
                                             std::to_string(max_bytes) + " bytes; not reading it");
  }
  if (!digest.Matches(response->body)) {
    const Digest computed = digest.algorithm() == "sha512" ? Digest::Sha512Of(response->body)
                                                           : Digest::Sha256Of(response->body);
    return Status(StatusCode::kDigestMismatch, what + ": blob content does not match (computed " +
                                                   computed.String() + "); refusing it");
  }
  return std::move(response->body);
}

Result<HttpResponse> RegistryClient::Get(const Reference& repository, const std::string& suffix,
                                         const std::string& accept) {
  return Send(repository, "GET", suffix, accept, repository.Name() + "/" + suffix);
}

Result<std::optional<RateLimit>> RegistryClient::HeadRateLimit(const Reference& reference) {
  Result<HttpResponse> head = SendManifest(reference, "HEAD");
  if (!head.ok()) return head.status();
  return RateLimitOf(*head);
}

Result<ManifestDescriptor> RegistryClient::Resolve(const Reference& reference) {
  const std::string what = reference.String();
  Result<HttpResponse> head = SendManifest(reference, "HEAD");
  if (!head.ok()) return head.status();
  std::optional<Digest> head_digest;
  if (head->status == 200) {
    Result<std::optional<Digest>> claimed = ClaimedDigest(*head, what);
    if (!claimed.ok()) return claimed.status();
    head_digest = *claimed;
    if (head_digest && reference.digest() && *reference.digest() != *head_digest) {
      return Status(StatusCode::kDigestMismatch,
                    what + ": registry answered with " + head_digest->String());
    }
    const std::string content_type = ContentTypeOf(*head);
    if (!IsGenericMediaType(content_type)) {
      // A manifest type is the answer; schema 1 or a web page is an error.
      Result<std::string> media_type = ManifestTypeOf(*head, what);
      if (!media_type.ok()) return media_type.status();
      if (head_digest) {
        return ManifestDescriptor{*head_digest, std::move(media_type).value(), ContentLength(*head),
                                  RateLimitOf(*head)};
      }
      spdlog::debug("{}: no Docker-Content-Digest on HEAD; fetching the manifest", what);
    } else {
      spdlog::debug(
          "{}: HEAD answered Content-Type \"{}\"; fetching the manifest to see what "
          "it is",
          what, DisplayText(content_type, 100));
    }
  } else {
    spdlog::debug("{}: HEAD not allowed (405); fetching the manifest", what);
  }
  // Only a 200 without the digest or a manifest type, or a 405, gets here: an
  // error answer to the HEAD (a 429 in particular) has already been returned,
  // never turned into a GET that a rate-limited registry would count. The GET
  // asks for the digest the HEAD named, if any, so that the tag cannot move
  // in between.
  const Reference target =
      head_digest && !reference.digest()
          ? Reference::Parse(reference.Name() + "@" + head_digest->String()).value()
          : reference;
  Result<FetchedManifest> fetched = Fetch(target);
  if (!fetched.ok()) return fetched.status();
  if (!fetched->descriptor.rate_limit) fetched->descriptor.rate_limit = RateLimitOf(*head);
  return fetched->descriptor;
}

}  // namespace regdigest
