#include "common/engine/engine_json.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace regdigest {
namespace {

using nlohmann::json;

Status Protocol(std::string_view what, std::string_view problem) {
  return Status(StatusCode::kProtocol,
                "Docker Engine " + std::string(what) + ": " + std::string(problem));
}

// Parses without exceptions; a discarded value when the body is not JSON.
json ParseBody(std::string_view body) { return json::parse(body, nullptr, false); }

// A string member; absent, null or another type → "" (Podman omits some).
std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// An array of strings; null, absent or another type → empty, non-strings and
// the placeholder `skip` dropped.
std::vector<std::string> StringArray(const json& object, const char* key, std::string_view skip) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const json& item : *it) {
    if (!item.is_string()) continue;
    std::string value = item.get<std::string>();
    if (value.empty() || value == skip) continue;
    out.push_back(std::move(value));
  }
  return out;
}

bool IsLowerHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// One image object of either endpoint; `what` names it in errors.
Result<EngineImage> ImageFrom(const json& object, std::string_view what) {
  if (!object.is_object()) return Protocol(what, "is not a JSON object");
  EngineImage image;
  image.id = StringField(object, "Id");
  if (image.id.empty()) image.id = StringField(object, "ID");
  if (image.id.empty()) return Protocol(what, "has no \"Id\"");
  if (IsLowerHex64(image.id)) image.id = "sha256:" + image.id;
  image.repo_tags = StringArray(object, "RepoTags", "<none>:<none>");
  image.repo_digests = StringArray(object, "RepoDigests", "<none>@<none>");
  image.platform.os = StringField(object, "Os");
  image.platform.architecture = StringField(object, "Architecture");
  image.platform.variant = StringField(object, "Variant");
  image.digest = StringField(object, "Digest");
  return image;
}

}  // namespace

std::optional<ApiVersion> ApiVersion::Parse(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
  auto number = [](std::string_view part) -> std::optional<int> {
    if (part.empty() || part.size() > 6 || part[0] < '0' || part[0] > '9') return std::nullopt;
    int value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
    return value;
  };
  std::optional<int> major = number(text.substr(0, dot));
  std::optional<int> minor = number(text.substr(dot + 1));
  if (!major || !minor) return std::nullopt;
  return ApiVersion{*major, *minor};
}

std::string ApiVersion::String() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<ApiVersion> NegotiateApiVersion(std::string_view server, ApiVersion client_max) {
  std::optional<ApiVersion> parsed = ApiVersion::Parse(server);
  if (!parsed) return std::nullopt;
  return std::min(*parsed, client_max);
}

Result<EngineVersion> ParseEngineVersion(std::string_view body) {
  const json doc = ParseBody(body);
  if (!doc.is_object()) return Protocol("/version", "the answer is not a JSON object");
  EngineVersion version;
  version.version = StringField(doc, "Version");
  version.api_version = StringField(doc, "ApiVersion");
  version.os = StringField(doc, "Os");
  version.arch = StringField(doc, "Arch");
  // Some engines only fill the "Engine" component.
  auto components = doc.find("Components");
  if (components != doc.end() && components->is_array()) {
    for (const json& component : *components) {
      if (component.is_object() && StringField(component, "Name") == "Podman Engine") {
        version.kind = EngineKind::kPodman;
      }
    }
    for (const json& component : *components) {
      if (!component.is_object() || StringField(component, "Name") != "Engine") continue;
      if (version.version.empty()) version.version = StringField(component, "Version");
      auto details = component.find("Details");
      if (details == component.end() || !details->is_object()) break;
      if (version.api_version.empty()) version.api_version = StringField(*details, "ApiVersion");
      if (version.os.empty()) version.os = StringField(*details, "Os");
      if (version.arch.empty()) version.arch = StringField(*details, "Arch");
      break;
    }
  }
  return version;
}

Result<EngineSystemInfo> ParseEngineInfo(std::string_view body) {
  const json doc = ParseBody(body);
  if (!doc.is_object()) return Protocol("/info", "the answer is not a JSON object");
  EngineSystemInfo info;
  info.server_version = StringField(doc, "ServerVersion");
  info.driver = StringField(doc, "Driver");
  info.os_type = StringField(doc, "OSType");
  info.architecture = StringField(doc, "Architecture");
  auto status = doc.find("DriverStatus");
  if (status != doc.end() && status->is_array()) {
    for (const json& pair : *status) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        continue;
      }
      info.driver_status.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  return info;
}

ImageStore DetectImageStore(const EngineSystemInfo& info) {
  for (const auto& [key, value] : info.driver_status) {
    if (key == "driver-type" && value == "io.containerd.snapshotter.v1") {
      return ImageStore::kContainerd;
    }
  }
  return ImageStore::kClassic;
}

Result<EngineImage> ParseImageInspect(std::string_view body) {
  return ImageFrom(ParseBody(body), "image inspect answer");
}

Result<std::vector<EngineImage>> ParseImageList(std::string_view body) {
  const json doc = ParseBody(body);
  if (doc.is_null()) return std::vector<EngineImage>{};  // "null": no images (old Podman)
  if (!doc.is_array()) return Protocol("/images/json", "the answer is not a JSON array");
  std::vector<EngineImage> images;
  images.reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    Result<EngineImage> image = ImageFrom(doc[i], "image list entry " + std::to_string(i));
    if (!image.ok()) return image.status();
    images.push_back(std::move(image).value());
  }
  return images;
}

std::string ParseEngineErrorMessage(std::string_view body) {
  const json doc = ParseBody(body);
  if (doc.is_object()) {
    std::string message = StringField(doc, "message");
    if (!message.empty()) return message;
  }
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = body.find_last_not_of(" \t\r\n");
  std::string text(body.substr(first, last - first + 1));
  if (text.size() > 200) text = text.substr(0, 200) + "…";
  return text;
}

EngineError ParseEngineError(std::string_view body) {
  EngineError error;
  error.message = ParseEngineErrorMessage(body);
  error.unknown_route = error.message == "page not found" || error.message == "404 page not found";
  return error;
}

}  // namespace regdigest
