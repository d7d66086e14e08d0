#include "common/image/media_types.h"

namespace regdigest {

std::string BaseMediaType(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = base.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  base = base.substr(first, base.find_last_not_of(kSpace) - first + 1);
  std::string out(base);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsIndexMediaType(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  return base == kOciImageIndex || base == kDockerManifestList;
}

bool IsImageManifestMediaType(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  return base == kOciImageManifest || base == kDockerManifestV2;
}

bool IsSchema1MediaType(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  return base == kDockerManifestV1 || base == kDockerManifestV1Signed;
}

bool IsManifestMediaType(std::string_view media_type) {
  return IsIndexMediaType(media_type) || IsImageManifestMediaType(media_type);
}

bool IsGenericMediaType(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  return base.empty() || base == "application/octet-stream" || base == "binary/octet-stream" ||
         base == "text/plain" || base == "application/json";
}

std::string ManifestAcceptHeader() {
  std::string out;
  for (std::string_view type :
       {kOciImageIndex, kOciImageManifest, kDockerManifestList, kDockerManifestV2}) {
    if (!out.empty()) out += ", ";
    out += type;
  }
  return out;
}

std::string_view MediaTypeShortName(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  if (base == kOciImageIndex) return "oci-index";
  if (base == kOciImageManifest) return "oci-manifest";
  if (base == kDockerManifestList) return "docker-list";
  if (base == kDockerManifestV2) return "docker-v2";
  if (base == kDockerManifestV1 || base == kDockerManifestV1Signed) return "docker-v1";
  return "unknown";
}

}  // namespace regdigest
