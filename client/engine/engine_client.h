// EngineClient: what regdigest reads from a Docker Engine (or Podman's
// Docker-compatible API). One real implementation talks HTTP over the unix
// socket or tcp (client/docker_engine_client.h); tests may supply another.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/engine/compare.h"
#include "common/image/platform.h"

namespace regdigest {

struct EngineInfo {
  std::string server_version;  // "20.10.24"
  std::string api_version;     // negotiated, e.g. "1.41"
  Platform platform;           // engine's os/arch(/variant), normalised
  ImageStore store = ImageStore::kClassic;
  std::string storage_driver;  // "overlay2", "vfs", or the snapshotter
  EngineKind kind = EngineKind::kDocker;

  // "Docker 20.10.24", "Podman 4.3.1": the engine, for people.
  std::string Label() const {
    return std::string(kind == EngineKind::kPodman ? "Podman" : "Docker") +
           (server_version.empty() ? "" : " " + server_version);
  }
};

struct LocalImage {
  std::string id;  // "sha256:…"
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  Platform platform;   // from the image's Os/Architecture/Variant
  std::string digest;  // Podman's "Digest" (see common/engine/engine_json.h); "" from Docker
};

class EngineClient {
 public:
  virtual ~EngineClient() = default;
  // /_ping + /version + /info. kEngineUnavailable naming the socket when it
  // is missing, refuses, or denies permission.
  virtual Result<EngineInfo> Info() = 0;
  // /images/{name}/json (Podman: /libpod/images/{name}/json, which has the
  // image's Digest, once Info() has seen Podman); nullopt when the engine has
  // no such image.
  virtual Result<std::optional<LocalImage>> InspectImage(const std::string& name) = 0;
  // /images/json: every local image (with RepoTags and RepoDigests).
  virtual Result<std::vector<LocalImage>> ListImages() = 0;
};

}  // namespace regdigest
