#include "common/image/manifest.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "common/base/display_text.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

using nlohmann::json;

constexpr std::string_view kReferenceTypeAnnotation = "vnd.docker.reference.type";
constexpr std::string_view kSchema1Message =
    "schema 1 manifests are not supported; push the image again with a current docker or "
    "buildkit (schema 1 has no config digest and no image ID)";

Status Protocol(std::string_view document, std::string what) {
  return Status(StatusCode::kProtocol, std::string(document) + ": " + std::move(what));
}

// Parses `body` as a JSON object; kProtocol naming the document otherwise.
Result<json> ParseObject(std::string_view document, std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Protocol(document, "not valid JSON");
  if (!doc.is_object()) return Protocol(document, "not a JSON object");
  return doc;
}

// An optional string member: absent or null leaves `out` unchanged.
Status OptionalString(std::string_view where, const json& obj, std::string_view key,
                      std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Protocol(where, Quoted(key) + " is not a string");
  out = it->get<std::string>();
  return Status::Ok();
}

Status RequiredString(std::string_view where, const json& obj, std::string_view key,
                      std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Protocol(where, "missing " + Quoted(key));
  return OptionalString(where, obj, key, out);
}

// Schema 1 is recognised by schemaVersion 1 or its media types.
bool IsSchema1(const json& doc) {
  auto version = doc.find("schemaVersion");
  if (version != doc.end() && version->is_number_integer() && version->get<int64_t>() == 1) {
    return true;
  }
  auto media_type = doc.find("mediaType");
  return media_type != doc.end() && media_type->is_string() &&
         IsSchema1MediaType(media_type->get<std::string>());
}

Result<Platform> ParsePlatform(const std::string& where, const json& value) {
  if (!value.is_object()) return Protocol(where, "\"platform\" is not an object");
  Platform p;
  const std::string inner = where + ": platform";
  if (Status s = RequiredString(inner, value, "os", p.os); !s.ok()) return s;
  if (Status s = RequiredString(inner, value, "architecture", p.architecture); !s.ok()) return s;
  if (Status s = OptionalString(inner, value, "variant", p.variant); !s.ok()) return s;
  return p;
}

Result<Descriptor> ParseDescriptor(const std::string& where, const json& value) {
  if (!value.is_object()) return Protocol(where, "not an object");
  std::string media_type;
  if (Status s = RequiredString(where, value, "mediaType", media_type); !s.ok()) return s;
  std::string digest_text;
  if (Status s = RequiredString(where, value, "digest", digest_text); !s.ok()) return s;
  Result<Digest> digest = Digest::Parse(digest_text);
  if (!digest.ok()) return Protocol(where, "\"digest\": " + digest.status().message());
  auto size = value.find("size");
  if (size == value.end() || size->is_null()) return Protocol(where, "missing \"size\"");
  if (!size->is_number_integer()) return Protocol(where, "\"size\" is not an integer");
  if (size->is_number_unsigned() &&
      size->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Protocol(where, "\"size\" is too large");
  }
  const int64_t size_value = size->get<int64_t>();
  if (size_value < 0) return Protocol(where, "\"size\" is negative");

  Descriptor d{std::move(media_type), std::move(digest).value(), size_value, std::nullopt, {}};
  if (auto it = value.find("platform"); it != value.end() && !it->is_null()) {
    Result<Platform> platform = ParsePlatform(where, *it);
    if (!platform.ok()) return platform.status();
    d.platform = std::move(platform).value();
  }
  if (auto it = value.find("annotations"); it != value.end() && !it->is_null()) {
    if (!it->is_object()) return Protocol(where, "\"annotations\" is not an object");
    for (const auto& [key, annotation] : it->items()) {
      if (!annotation.is_string()) {
        return Protocol(where, "annotation " + Quoted(key) + " is not a string");
      }
      d.annotations.emplace(key, annotation.get<std::string>());
    }
  }
  return d;
}

Result<ImageIndex> IndexFromJson(const json& doc) {
  constexpr std::string_view kWhere = "image index";
  if (IsSchema1(doc)) return Status(StatusCode::kProtocol, std::string(kSchema1Message));
  ImageIndex index;
  if (Status s = OptionalString(kWhere, doc, "mediaType", index.media_type); !s.ok()) return s;
  if (!index.media_type.empty() && IsImageManifestMediaType(index.media_type)) {
    return Protocol(kWhere,
                    "media type " + index.media_type + " is an image manifest, not an index");
  }
  auto manifests = doc.find("manifests");
  if (manifests == doc.end() || manifests->is_null()) {
    if (doc.contains("config") || doc.contains("layers")) {
      return Protocol(kWhere, "document is an image manifest, not an index");
    }
    return Protocol(kWhere, "missing \"manifests\"");
  }
  if (!manifests->is_array()) return Protocol(kWhere, "\"manifests\" is not an array");
  for (size_t i = 0; i < manifests->size(); ++i) {
    Result<Descriptor> d = ParseDescriptor(
        std::string(kWhere) + ": manifests[" + std::to_string(i) + "]", (*manifests)[i]);
    if (!d.ok()) return d.status();
    index.manifests.push_back(std::move(d).value());
  }
  return index;
}

Result<ImageManifest> ManifestFromJson(const json& doc) {
  constexpr std::string_view kWhere = "image manifest";
  if (IsSchema1(doc)) return Status(StatusCode::kProtocol, std::string(kSchema1Message));
  std::string media_type;
  if (Status s = OptionalString(kWhere, doc, "mediaType", media_type); !s.ok()) return s;
  if (!media_type.empty() && IsIndexMediaType(media_type)) {
    return Protocol(kWhere, "media type " + media_type + " is an index, not an image manifest");
  }
  auto config = doc.find("config");
  if (config == doc.end() || config->is_null()) {
    if (doc.contains("manifests")) {
      return Protocol(kWhere, "document is an index, not an image manifest");
    }
    return Protocol(kWhere, "missing \"config\"");
  }
  Result<Descriptor> config_descriptor = ParseDescriptor(std::string(kWhere) + ": config", *config);
  if (!config_descriptor.ok()) return config_descriptor.status();
  ImageManifest manifest{std::move(media_type), std::move(config_descriptor).value(), {}};
  auto layers = doc.find("layers");
  if (layers == doc.end() || layers->is_null()) return Protocol(kWhere, "missing \"layers\"");
  if (!layers->is_array()) return Protocol(kWhere, "\"layers\" is not an array");
  int64_t total_size = 0;
  for (size_t i = 0; i < layers->size(); ++i) {
    Result<Descriptor> d =
        ParseDescriptor(std::string(kWhere) + ": layers[" + std::to_string(i) + "]", (*layers)[i]);
    if (!d.ok()) return d.status();
    // So that LayersSize() cannot overflow.
    if (d->size > std::numeric_limits<int64_t>::max() - total_size) {
      return Protocol(kWhere, "the layers' total size is too large");
    }
    total_size += d->size;
    manifest.layers.push_back(std::move(d).value());
  }
  return manifest;
}

Result<ImageConfig> ConfigFromJson(const json& doc) {
  constexpr std::string_view kWhere = "image config";
  ImageConfig config;
  if (Status s = RequiredString(kWhere, doc, "os", config.os); !s.ok()) return s;
  if (Status s = RequiredString(kWhere, doc, "architecture", config.architecture); !s.ok()) {
    return s;
  }
  if (Status s = OptionalString(kWhere, doc, "variant", config.variant); !s.ok()) return s;
  if (Status s = OptionalString(kWhere, doc, "created", config.created); !s.ok()) return s;
  return config;
}

// Runs `convert` on the parsed document; any nlohmann exception becomes kProtocol.
template <typename T, typename Convert>
Result<T> Parse(std::string_view document, std::string_view body, Convert convert) {
  try {
    Result<json> doc = ParseObject(document, body);
    if (!doc.ok()) return doc.status();
    return convert(*doc);
  } catch (const json::exception& e) {
    return Protocol(document, e.what());
  }
}

// "Content-Type \"text/html\"" or "no Content-Type", for messages.
std::string ContentTypeShown(std::string_view content_type) {
  const std::string base = BaseMediaType(content_type);
  if (base.empty()) return "no Content-Type";
  return "Content-Type \"" + DisplayText(content_type, 100) + "\"";
}

Status NotARegistry(std::string_view server, std::string_view content_type, std::string_view why) {
  std::string message = std::string(server) +
                        " does not look like a container registry: it answered the manifest "
                        "request with " +
                        ContentTypeShown(content_type);
  if (!why.empty()) message += " and a body that is not a manifest (" + std::string(why) + ")";
  return Status(StatusCode::kProtocol, std::move(message));
}

// A body that came with a generic Content-Type: its media type if it is a manifest.
Result<std::string> IdentifyBody(std::string_view content_type, std::string_view body,
                                 std::string_view server) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return NotARegistry(server, content_type, "not valid JSON");
  if (!doc.is_object()) return NotARegistry(server, content_type, "not a JSON object");
  if (IsSchema1(doc)) return Status(StatusCode::kProtocol, std::string(kSchema1Message));
  std::string declared;
  if (auto it = doc.find("mediaType"); it != doc.end() && it->is_string()) {
    declared = BaseMediaType(it->get<std::string>());
    if (!IsManifestMediaType(declared)) {
      return NotARegistry(server, content_type,
                          "its mediaType is \"" + DisplayText(declared, 100) + "\"");
    }
  }
  const bool is_index = IsIndexMediaType(declared) ||
                        (declared.empty() && doc.contains("manifests") && !doc.contains("config"));
  if (is_index) {
    Result<ImageIndex> index = ParseImageIndex(body);
    if (!index.ok()) return NotARegistry(server, content_type, index.status().message());
    return declared.empty() ? std::string(kOciImageIndex) : declared;
  }
  Result<ImageManifest> manifest = ParseImageManifest(body);
  if (!manifest.ok()) return NotARegistry(server, content_type, manifest.status().message());
  if (!declared.empty()) return declared;
  // Schema 2 always names itself; infer it from a Docker config otherwise.
  return std::string(BaseMediaType(manifest->config.media_type) == kDockerImageConfig
                         ? kDockerManifestV2
                         : kOciImageManifest);
}

}  // namespace

Result<std::string> IdentifyManifest(std::string_view content_type, std::string_view body,
                                     std::string_view server) {
  if (IsManifestMediaType(content_type)) return BaseMediaType(content_type);
  if (IsSchema1MediaType(content_type)) {
    return Status(StatusCode::kProtocol, std::string(kSchema1Message));
  }
  if (!IsGenericMediaType(content_type)) return NotARegistry(server, content_type, "");
  try {
    return IdentifyBody(content_type, body, server);
  } catch (const json::exception& e) {
    return NotARegistry(server, content_type, e.what());
  }
}

bool Descriptor::IsAttestation() const {
  if (platform && platform->IsUnknown()) return true;
  return annotations.count(std::string(kReferenceTypeAnnotation)) > 0;
}

int64_t ImageManifest::LayersSize() const {
  int64_t total = 0;
  for (const Descriptor& layer : layers) {
    if (layer.size > std::numeric_limits<int64_t>::max() - total) {
      return std::numeric_limits<int64_t>::max();  // saturate (hand-built values only)
    }
    total += layer.size;
  }
  return total;
}

Result<ImageIndex> ParseImageIndex(std::string_view body) {
  return Parse<ImageIndex>("image index", body, IndexFromJson);
}

Result<ImageManifest> ParseImageManifest(std::string_view body) {
  return Parse<ImageManifest>("image manifest", body, ManifestFromJson);
}

Result<ImageConfig> ParseImageConfig(std::string_view body) {
  return Parse<ImageConfig>("image config", body, ConfigFromJson);
}

const Descriptor* SelectPlatform(const ImageIndex& index, const Platform& want) {
  for (const Descriptor& d : index.manifests) {
    if (d.IsAttestation() || !d.platform) continue;
    if (d.platform->Matches(want)) return &d;
  }
  return nullptr;
}

}  // namespace regdigest
