#include "common/pin/image_references.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/base/ascii.h"
#include "common/pin/dockerfile_images.h"
#include "common/pin/yaml_images.h"

namespace regdigest {
namespace {

std::string LowerBaseName(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return AsciiLower(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool HasYamlExtension(std::string_view base) {
  return base.ends_with(".yaml") || base.ends_with(".yml") || base.ends_with(".json");
}

std::optional<ImageFileKind> KindFromName(std::string_view path) {
  const std::string base = LowerBaseName(path);
  if (base.ends_with(".dockerignore")) return std::nullopt;
  for (std::string_view name : {"dockerfile", "containerfile"}) {
    if (base == name || base.starts_with(std::string(name) + ".") ||
        base.ends_with("." + std::string(name)))
      return ImageFileKind::kDockerfile;
  }
  if ((base.ends_with(".yaml") || base.ends_with(".yml")) &&
      (base.starts_with("compose") || base.starts_with("docker-compose")))
    return ImageFileKind::kCompose;
  return std::nullopt;
}

}  // namespace

std::string_view ImageFileKindName(ImageFileKind kind) {
  switch (kind) {
    case ImageFileKind::kDockerfile:
      return "Dockerfile";
    case ImageFileKind::kCompose:
      return "compose file";
    case ImageFileKind::kKubernetes:
      return "Kubernetes manifest";
  }
  return "file";
}

Result<ImageFileKind> DetectImageFileKind(std::string_view path, std::string_view content) {
  if (std::optional<ImageFileKind> kind = KindFromName(path)) return *kind;
  const bool yaml_name = HasYamlExtension(LowerBaseName(path));
  if (!yaml_name && LooksLikeDockerfile(content)) return ImageFileKind::kDockerfile;
  Result<std::optional<ImageFileKind>> yaml_kind = DetectYamlImageFileKind(content);
  if (yaml_kind.ok() && yaml_kind->has_value()) return **yaml_kind;
  if (!yaml_kind.ok() && yaml_name) return yaml_kind.status().WithContext(path);
  return Status(StatusCode::kInvalidArgument,
                std::string(path) +
                    ": not a Dockerfile (first instruction FROM or ARG), compose file "
                    "(top-level services:) or Kubernetes manifest (apiVersion and kind)");
}

Result<std::vector<ImageOccurrence>> FindImageReferences(std::string_view path,
                                                         std::string_view content) {
  Result<ImageFileKind> kind = DetectImageFileKind(path, content);
  if (!kind.ok()) return kind.status();
  return FindImageReferences(*kind, path, content);
}

Result<std::vector<ImageOccurrence>> FindImageReferences(ImageFileKind kind, std::string_view path,
                                                         std::string_view content) {
  Result<std::vector<ImageOccurrence>> found = std::vector<ImageOccurrence>();
  switch (kind) {
    case ImageFileKind::kDockerfile:
      found = FindDockerfileImages(content);
      break;
    case ImageFileKind::kCompose:
      found = FindComposeImages(content);
      break;
    case ImageFileKind::kKubernetes:
      found = FindKubernetesImages(content);
      break;
  }
  if (!found.ok()) return found.status().WithContext(path);
  // Occurrences come in file order: one pass numbers their lines.
  std::size_t line = 1, counted_to = 0;
  for (ImageOccurrence& occurrence : *found) {
    const std::size_t until = std::min(occurrence.offset, content.size());
    if (until < counted_to) {
      line = 1;
      counted_to = 0;
    }
    line += static_cast<std::size_t>(
        std::count(content.begin() + static_cast<std::ptrdiff_t>(counted_to),
                   content.begin() + static_cast<std::ptrdiff_t>(until), '\n'));
    counted_to = until;
    occurrence.line = line;
  }
  return found;
}

std::string FirstVariable(std::string_view text) {
  const std::size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return "";
  if (dollar + 1 < text.size() && text[dollar + 1] == '{') {
    const std::size_t close = text.find('}', dollar);
    return std::string(
        text.substr(dollar, close == std::string_view::npos ? text.npos : close - dollar + 1));
  }
  std::size_t end = dollar + 1;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  return std::string(text.substr(dollar, end - dollar));
}

std::size_t LineAtOffset(std::string_view content, std::size_t offset) {
  const std::size_t until = std::min(offset, content.size());
  return 1 + static_cast<std::size_t>(std::count(
                 content.begin(), content.begin() + static_cast<std::ptrdiff_t>(until), '\n'));
}

}  // namespace regdigest
