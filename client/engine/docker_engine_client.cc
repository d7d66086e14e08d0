#include "client/engine/docker_engine_client.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <system_error>
#include <utility>

#include "client/http/curl_transport.h"
#include "client/sys/environment.h"

namespace regdigest {
namespace {

LocalImage ToLocalImage(EngineImage image) {
  LocalImage local;
  local.id = std::move(image.id);
  local.repo_tags = std::move(image.repo_tags);
  local.repo_digests = std::move(image.repo_digests);
  local.platform = std::move(image.platform);
  local.digest = std::move(image.digest);
  return local;
}

}  // namespace

DockerEngineClient::DockerEngineClient(std::shared_ptr<Transport> transport, DockerHost host)
    : transport_(std::move(transport)), host_(std::move(host)) {}

std::unique_ptr<DockerEngineClient> DockerEngineClient::Connect(const DockerHost& host) {
  CurlOptions options;
  options.unix_socket_path = host.socket_path;
  options.connect_timeout = std::chrono::milliseconds(3000);
  options.timeout = std::chrono::milliseconds(60000);
  // /images/json lists every image; leave room for large hosts.
  options.max_body_bytes = 64 * 1024 * 1024;
  return std::make_unique<DockerEngineClient>(std::make_shared<CurlTransport>(std::move(options)),
                                              host);
}

Result<DockerHost> DockerEngineClient::HostFromEnvironment(const std::string& host_flag) {
  if (!host_flag.empty()) {
    Result<DockerHost> host = DockerHost::Parse(host_flag);
    if (!host.ok()) return host.status().WithContext("--host");
    return host;
  }
  // DockerHost::Parse's messages already name DOCKER_HOST.
  if (std::optional<std::string> env = NonEmptyVariable(RealEnvironment(), "DOCKER_HOST"))
    return DockerHost::Parse(*env);
  return DockerHost::Parse(kDefaultDockerHost);
}

Result<HttpResponse> DockerEngineClient::Get(const std::string& path) {
  HttpRequest request;
  request.method = "GET";
  request.url = host_.base_url + path;
  request.headers.Add("Accept", "application/json");
  Result<HttpResponse> response = transport_->RoundTrip(request);
  if (response.ok()) return response;
  if (response.status().code() == StatusCode::kTransport) {
    return EngineUnavailableStatus(host_, response.status());
  }
  return response.status().WithContext("Docker Engine at " + host_.display);
}

Result<std::string> DockerEngineClient::NegotiatedApiVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (api_version_) return *api_version_;
  Result<HttpResponse> ping = Get("/_ping");
  if (!ping.ok()) return ping.status();
  std::optional<ApiVersion> version;
  if (auto header = ping->headers.Get("API-Version")) {
    version = NegotiateApiVersion(*header, kMaxEngineApiVersion);
  }
  if (!version) {
    // Engines without the header: ask /version (unversioned: the newest the engine speaks).
    Result<HttpResponse> answer = Get("/version");
    if (!answer.ok()) return answer.status();
    if (answer->status == 200) {
      Result<EngineVersion> parsed = ParseEngineVersion(answer->body);
      if (parsed.ok()) version = NegotiateApiVersion(parsed->api_version, kMaxEngineApiVersion);
    }
  }
  api_version_ = version ? version->String() : "";
  return *api_version_;
}

Result<std::string> DockerEngineClient::VersionedPath(const std::string& path) {
  Result<std::string> version = NegotiatedApiVersion();
  if (!version.ok()) return version.status();
  return version->empty() ? path : "/v" + *version + path;
}

Status DockerEngineClient::HttpError(const HttpResponse& response, const std::string& path) const {
  std::string message = "Docker Engine at " + host_.display + " answered HTTP " +
                        std::to_string(response.status) + " to GET " + path;
  const std::string detail = ParseEngineErrorMessage(response.body);
  if (!detail.empty()) message += ": " + detail;
  return Status(StatusCode::kTransport, std::move(message)).WithHttpStatus(response.status);
}

Result<EngineInfo> DockerEngineClient::Info() {
  Result<std::string> api = NegotiatedApiVersion();
  if (!api.ok()) return api.status();
  const std::string prefix = api->empty() ? "" : "/v" + *api;

  // Both are needed: /version has Go's os/arch, /info the storage driver.
  Result<HttpResponse> version_answer = Get(prefix + "/version");
  if (!version_answer.ok()) return version_answer.status();
  if (version_answer->status != 200) return HttpError(*version_answer, prefix + "/version");
  Result<EngineVersion> version = ParseEngineVersion(version_answer->body);
  if (!version.ok()) return version.status().WithContext(host_.display);

  Result<HttpResponse> info_answer = Get(prefix + "/info");
  if (!info_answer.ok()) return info_answer.status();
  if (info_answer->status != 200) return HttpError(*info_answer, prefix + "/info");
  Result<EngineSystemInfo> info = ParseEngineInfo(info_answer->body);
  if (!info.ok()) return info.status().WithContext(host_.display);

  EngineInfo out;
  out.server_version = !version->version.empty() ? version->version : info->server_version;
  out.api_version = !api->empty() ? *api : version->api_version;
  Platform platform;
  platform.os = !version->os.empty() ? version->os : info->os_type;
  platform.architecture = !version->arch.empty() ? version->arch : info->architecture;
  if (!platform.os.empty() || !platform.architecture.empty()) platform = platform.Normalized();
  out.platform = std::move(platform);
  out.kind = version->kind;
  out.store =
      out.kind == EngineKind::kPodman ? ImageStore::kContainersStorage : DetectImageStore(*info);
  out.storage_driver = info->driver;
  podman_ = out.kind == EngineKind::kPodman;
  return out;
}

Result<std::optional<LocalImage>> DockerEngineClient::InspectImage(const std::string& name) {
  if (name.empty()) return Status(StatusCode::kInvalidArgument, "empty image name");
  // Podman's own inspect has the image's Digest; its Docker-compatible one has not.
  const std::string prefix = podman_ ? "/libpod/images/" : "/images/";
  Result<std::string> path = VersionedPath(prefix + EscapeImageName(name) + "/json");
  if (!path.ok()) return path.status();
  Result<HttpResponse> answer = Get(*path);
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) {
    // An unknown route is also a 404 (the router's answer): that is not "no image".
    if (ParseEngineError(answer->body).unknown_route) return HttpError(*answer, *path);
    return std::optional<LocalImage>();
  }
  if (answer->status != 200) return HttpError(*answer, *path);
  Result<EngineImage> image = ParseImageInspect(answer->body);
  if (!image.ok()) return image.status().WithContext(host_.display);
  return std::optional<LocalImage>(ToLocalImage(std::move(image).value()));
}

Result<std::vector<LocalImage>> DockerEngineClient::ListImages() {
  Result<std::string> path = VersionedPath("/images/json");
  if (!path.ok()) return path.status();
  Result<HttpResponse> answer = Get(*path);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) return HttpError(*answer, *path);
  Result<std::vector<EngineImage>> images = ParseImageList(answer->body);
  if (!images.ok()) return images.status().WithContext(host_.display);
  std::vector<LocalImage> out;
  out.reserve(images->size());
  for (EngineImage& image : *images) out.push_back(ToLocalImage(std::move(image)));
  return out;
}

std::string EscapeImageName(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':' ||
                      c == '@';
    if (keep) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

Status EngineUnavailableStatus(const DockerHost& host, const Status& transport_error) {
  const std::string where = !host.display.empty()       ? host.display
                            : !host.socket_path.empty() ? host.socket_path
                                                        : host.base_url;
  auto unavailable = [&where, &transport_error](const std::string& why) {
    return Status(StatusCode::kEngineUnavailable,
                  "cannot reach the Docker Engine at " + where + ": " + why)
        .WithRetryable(transport_error.retryable())
        .WithOsErrno(transport_error.os_errno());
  };
  // Recorded by the transport when the connection failed (client/http/curl_errors.h).
  const bool refused = transport_error.os_errno() == ECONNREFUSED;
  if (host.socket_path.empty()) {
    if (refused)
      return unavailable("the engine refused the connection (is dockerd listening there?)");
    return unavailable(transport_error.message());
  }
  const std::string& path = host.socket_path;
  auto denied = [&path] {
    return Status(StatusCode::kEngineUnavailable,
                  "permission denied on " + path + " (are you in the docker group?)");
  };
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return unavailable("no such socket (is dockerd running? set DOCKER_HOST or --host)");
    }
    if (err == EACCES) return denied();
    return unavailable(std::error_code(err, std::generic_category()).message());
  }
  if (!S_ISSOCK(info.st_mode)) return unavailable("not a socket (set DOCKER_HOST or --host)");
  if (::access(path.c_str(), R_OK | W_OK) != 0 && errno == EACCES) return denied();
  if (refused) return unavailable("the socket refused the connection (is dockerd running?)");
  return unavailable(transport_error.message());
}

}  // namespace regdigest
