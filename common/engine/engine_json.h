// Pure parsing of Docker Engine API bodies (/version, /info, /images/json,
// /images/{name}/json, error bodies) and API-version arithmetic. No I/O, so
// it can be fuzzed. Lenient about fields Podman's Docker-compatible API
// omits, adds or spells differently; strict only about what regdigest needs
// (a JSON body of the right shape, an image Id).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"
#include "common/engine/compare.h"
#include "common/image/platform.h"

namespace regdigest {

// "1.41" as numbers, so "1.9" < "1.41".
struct ApiVersion {
  int major = 0;
  int minor = 0;

  // "1.41" → {1, 41}; nullopt for anything else ("", "v1.41", "1", "1.x").
  static std::optional<ApiVersion> Parse(std::string_view text);
  std::string String() const;  // "1.41"

  friend auto operator<=>(const ApiVersion&, const ApiVersion&) = default;
};

// The version to speak: min(server, client_max), as the docker CLI does.
// nullopt when `server` does not parse.
std::optional<ApiVersion> NegotiateApiVersion(std::string_view server, ApiVersion client_max);

// GET /version. Top-level fields, else the "Engine" (or "Podman Engine")
// entry of Components.
struct EngineVersion {
  std::string version;      // "20.10.24+dfsg1", "24.0.7", Podman's "4.9.4"
  std::string api_version;  // "1.41"
  std::string os;           // "linux" (Go's GOOS)
  std::string arch;         // "amd64" (Go's GOARCH)
  // Podman's Docker-compatible API: Components has a "Podman Engine" entry.
  EngineKind kind = EngineKind::kDocker;
};
Result<EngineVersion> ParseEngineVersion(std::string_view body);

// GET /info: the fields that tell the platform and the image store.
struct EngineSystemInfo {
  std::string server_version;  // "ServerVersion"
  std::string driver;          // "overlay2", "vfs", "overlayfs" (containerd snapshotter)
  std::vector<std::pair<std::string, std::string>> driver_status;  // "DriverStatus" pairs
  std::string os_type;                                             // "OSType": "linux"
  std::string architecture;  // "Architecture": "x86_64" (uname) from Docker, "amd64" from Podman
};
Result<EngineSystemInfo> ParseEngineInfo(std::string_view body);

// kContainerd when DriverStatus has ["driver-type", "io.containerd.snapshotter.v1"]
// (Docker 24+ with the containerd image store), else kClassic.
ImageStore DetectImageStore(const EngineSystemInfo& info);

// One image of /images/json or /images/{name}/json.
struct EngineImage {
  std::string id;                      // "sha256:…"; a bare 64-hex Id gets the "sha256:" prefix
  std::vector<std::string> repo_tags;  // null → empty; "<none>:<none>" dropped
  std::vector<std::string> repo_digests;  // null → empty; "<none>@<none>" dropped
  Platform platform;                      // Os/Architecture/Variant as reported; empty in lists
  // Podman's "Digest" (in its /images/json and libpod inspect; Docker has
  // none): the manifest digest of the image as stored; "" when absent.
  std::string digest;
};
Result<EngineImage> ParseImageInspect(std::string_view body);
Result<std::vector<EngineImage>> ParseImageList(std::string_view body);

// The "message" of an engine error body ({"message": "No such image: x"});
// else the body itself trimmed and cut to 200 characters; "" for an empty body.
std::string ParseEngineErrorMessage(std::string_view body);

// An engine error body, parsed once so that callers decide from fields.
struct EngineError {
  std::string message;  // as ParseEngineErrorMessage
  // The body is a router's answer for a path it has no route for, never the
  // answer of an existing route such as /images/{name}/json's "No such
  // image: ...": exactly Docker's {"message":"page not found"} (moby
  // api/server pageNotFoundError) or Go net/http's plain "404 page not found".
  bool unknown_route = false;
};
EngineError ParseEngineError(std::string_view body);

}  // namespace regdigest
