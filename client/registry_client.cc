#include "client/registry_client.h"

#include <spdlog/spdlog.h>

#include "common/endpoint.h"
#include "common/media_types.h"
#include "common/registry_error.h"

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

std::string MediaTypeOf(const HttpResponse& response) {
  return BaseMediaType(response.headers.Get("Content-Type").value_or(""));
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

// Whether the endpoint error is worth trying the next endpoint (mirror) for.
bool TryNextEndpoint(const Status& status) {
  return status.code() == StatusCode::kTransport || status.code() == StatusCode::kNotFound;
}

}  // namespace

RegistryClient::RegistryClient(std::shared_ptr<Transport> transport, ToolConfig config)
    : transport_(std::move(transport)), config_(std::move(config)) {}

Result<HttpResponse> RegistryClient::Send(const Reference& reference, const std::string& method) {
  Result<std::vector<Endpoint>> endpoints = EndpointsFor(reference.domain(), config_);
  if (!endpoints.ok()) return endpoints.status();
  const std::string what = reference.String();
  Status last;
  for (const Endpoint& endpoint : *endpoints) {
    HttpRequest request;
    request.method = method;
    request.url =
        endpoint.BaseUrl() + "/v2/" + reference.path() + "/manifests/" + reference.Identifier();
    request.headers.Set("Accept", ManifestAcceptHeader());
    // A mirror gets its own credentials (if any), never the registry's.
    request.auth.registry = endpoint.mirror ? endpoint.authority : reference.domain();
    request.auth.scope = "repository:" + reference.path() + ":pull";
    Result<HttpResponse> response = transport_->RoundTrip(request);
    if (!response.ok()) {
      last = response.status().WithContext(what);
    } else if (response->status == 200 || (method == "HEAD" && response->status == 405)) {
      return response;
    } else {
      last = RegistryErrorStatus(response->status, response->body, what);
    }
    if (!endpoint.mirror || !TryNextEndpoint(last)) break;
    spdlog::debug("mirror {} failed ({}); trying the next endpoint", endpoint.authority,
                  last.ToString());
  }
  return last;
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
  FetchedManifest fetched{
      {computed, MediaTypeOf(response), static_cast<int64_t>(response.body.size())}, response.body};
  return fetched;
}

Result<FetchedManifest> RegistryClient::Fetch(const Reference& reference) {
  Result<HttpResponse> response = Send(reference, "GET");
  if (!response.ok()) return response.status();
  return VerifiedBody(reference, *response);
}

Result<ManifestDescriptor> RegistryClient::Resolve(const Reference& reference) {
  const std::string what = reference.String();
  Result<HttpResponse> head = Send(reference, "HEAD");
  if (!head.ok()) return head.status();
  if (head->status == 200) {
    Result<std::optional<Digest>> claimed = ClaimedDigest(*head, what);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      const Digest& digest = **claimed;
      if (reference.digest() && *reference.digest() != digest) {
        return Status(StatusCode::kDigestMismatch,
                      what + ": registry answered with " + digest.String());
      }
      return ManifestDescriptor{digest, MediaTypeOf(*head), ContentLength(*head)};
    }
    spdlog::debug("{}: no Docker-Content-Digest on HEAD; fetching the manifest", what);
  } else {
    spdlog::debug("{}: HEAD not allowed (405); fetching the manifest", what);
  }
  Result<FetchedManifest> fetched = Fetch(reference);
  if (!fetched.ok()) return fetched.status();
  return fetched->descriptor;
}

}  // namespace regdigest
