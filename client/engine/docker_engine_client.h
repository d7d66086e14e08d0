// DockerEngineClient: the EngineClient that speaks the Docker Engine HTTP API
// (and Podman's Docker-compatible one) over a unix socket or tcp, with API
// version negotiation as the docker CLI does it, and errors that name the
// socket and say why it cannot be reached.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/engine/engine_client.h"
#include "client/http/http.h"
#include "common/base/status.h"
#include "common/engine/docker_host.h"
#include "common/engine/engine_json.h"

namespace regdigest {

// The newest Engine API version regdigest speaks.
inline constexpr ApiVersion kMaxEngineApiVersion{1, 45};

class DockerEngineClient : public EngineClient {
 public:
  // Uses `transport` for every request; base_url/display from the DockerHost.
  DockerEngineClient(std::shared_ptr<Transport> transport, DockerHost host);
  // Real transport: CurlTransport over the unix socket (or tcp), short connect timeout.
  static std::unique_ptr<DockerEngineClient> Connect(const DockerHost& host);
  // --host value, else $DOCKER_HOST, else unix:///var/run/docker.sock.
  static Result<DockerHost> HostFromEnvironment(const std::string& host_flag);

  // /version + /info (after negotiation). Platform from /version's Os/Arch
  // (else /info's OSType/Architecture), normalised; store from DriverStatus.
  Result<EngineInfo> Info() override;
  // GET /images/{name}/json (Podman: /libpod/images/{name}/json, for its
  // Digest); nullopt on the engine's 404 "No such image".
  Result<std::optional<LocalImage>> InspectImage(const std::string& name) override;
  // GET /images/json; images carry no platform (the list does not say it).
  Result<std::vector<LocalImage>> ListImages() override;

  // The version used as the "/v{ver}" prefix: min(/_ping's API-Version, 1.45),
  // else /version's ApiVersion, else "" (no prefix). Negotiated once, on
  // first use, then cached; thread-safe. Errors only when the engine cannot
  // be reached at all (kEngineUnavailable).
  Result<std::string> NegotiatedApiVersion();

  const DockerHost& host() const { return host_; }

 private:
  // GET base_url + path; a transport failure becomes kEngineUnavailable.
  Result<HttpResponse> Get(const std::string& path);
  // "/v{ver}" + path after negotiation (path alone when there is no version).
  Result<std::string> VersionedPath(const std::string& path);
  // kTransport naming the engine, the request and the engine's message,
  // with the answer's http_status().
  Status HttpError(const HttpResponse& response, const std::string& path) const;

  std::shared_ptr<Transport> transport_;
  DockerHost host_;
  std::mutex mutex_;                        // guards api_version_
  std::optional<std::string> api_version_;  // set once negotiated
  std::atomic<bool> podman_{false};         // Info() found Podman
};

// "/images/{name}/json"'s name: percent-encoded as a path segment except
// that '/', ':' and '@' stay ("docker.io/library/ubuntu:latest", "app@sha256:…").
std::string EscapeImageName(std::string_view name);

// The kEngineUnavailable status for a request that got no response at all.
// For unix sockets it looks at the path (stat/access) to say precisely why:
// no such socket, not a socket, permission denied; "refused the connection"
// when transport_error.os_errno() is ECONNREFUSED (never from its message).
Status EngineUnavailableStatus(const DockerHost& host, const Status& transport_error);

}  // namespace regdigest
