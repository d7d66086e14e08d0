#include "cli/output/inspect_output.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "common/base/display_text.h"
#include "common/image/media_types.h"

namespace regdigest {

std::string MediaTypeTitle(std::string_view media_type) {
  const std::string base = BaseMediaType(media_type);
  if (base == kOciImageIndex) return "OCI image index";
  if (base == kDockerManifestList) return "Docker manifest list";
  if (base == kOciImageManifest) return "OCI image manifest";
  if (base == kDockerManifestV2) return "Docker image manifest";
  return base.empty() ? "unknown media type" : DisplayText(base);
}

std::string HumanSize(int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1000 && unit < 3) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, units[unit]);
  return text;
}

std::string ShortTime(const std::string& created) {
  if (created.empty()) return "(not recorded)";
  const size_t dot = created.find('.');
  if (dot == std::string::npos) return DisplayText(created);
  size_t end = dot + 1;
  while (end < created.size() && std::isdigit(static_cast<unsigned char>(created[end]))) ++end;
  return DisplayText(created.substr(0, dot) + created.substr(end));
}

namespace {

std::string Plural(int n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The lines under one described platform manifest; `indent` continues the tree.
void PrintImageDetails(std::ostream& out, const std::string& indent, const PlatformImage& image) {
  out << indent << "config    " << image.config_digest.String() << "\n";
  out << indent << "image ID  " << image.config_digest.ShortHex()
      << "  (what `docker images` shows on a classic engine)\n";
  out << indent << "layers    " << image.layer_count << ", " << HumanSize(image.layers_size)
      << " compressed\n";
  out << indent << "created   " << ShortTime(image.created) << "\n";
  if (!image.config_platform.Matches(image.platform)) {
    out << indent << "warning   the config says " << DisplayText(image.config_platform.String())
        << ", the index says " << DisplayText(image.platform.String()) << "\n";
  }
}

void PrintIndexTree(std::ostream& out, const ImageDescription& d) {
  std::string summary = MediaTypeTitle(d.media_type) + ", " +
                        Plural(static_cast<int>(d.index_entries.size()), "platform");
  if (d.attestation_count > 0) {
    summary += ", " + Plural(d.attestation_count, "attestation") + " skipped";
  }
  out << "└─ index     " << d.digest.String() << "  (" << summary << ")\n";
  for (size_t i = 0; i < d.index_entries.size(); ++i) {
    const Descriptor& entry = d.index_entries[i];
    const bool last = i + 1 == d.index_entries.size();
    const std::string platform =
        entry.platform ? DisplayText(entry.platform->String()) : "(no platform)";
    out << "   " << (last ? "└─ " : "├─ ") << platform << "\n";
    const std::string indent = std::string("   ") + (last ? "  " : "│ ") + "   ";
    out << indent << "manifest  " << entry.digest.String() << "  ("
        << MediaTypeTitle(entry.media_type) << ", " << HumanSize(entry.size) << ")\n";
    for (const PlatformImage& image : d.platforms) {
      if (image.manifest_digest == entry.digest) PrintImageDetails(out, indent, image);
    }
  }
  out << "\npin by:   " << d.reference.Name() << "@" << d.digest.String()
      << " (all platforms), or a platform's manifest digest (that platform only)\n";
  out << "image ID = config digest on a classic engine; with the containerd image store the "
         "image ID is the index digest\n";
}

void PrintManifestTree(std::ostream& out, const ImageDescription& d) {
  const PlatformImage& image = d.platforms.front();
  out << "└─ manifest  " << d.digest.String() << "  (" << MediaTypeTitle(d.media_type) << ", "
      << DisplayText(image.platform.String()) << ", single platform)\n";
  PrintImageDetails(out, "     ", image);
  out << "\npin by:   " << d.reference.Name() << "@" << d.digest.String()
      << " (single-platform image)\n";
  out << "image ID = config digest on a classic engine; with the containerd image store the "
         "image ID is the manifest digest\n";
}

}  // namespace

std::string DescriptionText(const ImageDescription& description) {
  std::ostringstream out;
  out << description.reference.String() << "\n";
  if (description.is_index) {
    PrintIndexTree(out, description);
  } else {
    PrintManifestTree(out, description);
  }
  return out.str();
}

nlohmann::ordered_json DescriptionJson(const ImageDescription& d) {
  nlohmann::ordered_json json = {{"reference", d.reference.String()},
                                 {"digest", d.digest.String()},
                                 {"mediaType", d.media_type}};
  if (!d.is_index && !d.platforms.empty()) {
    json["configDigest"] = d.platforms.front().config_digest.String();
  }
  nlohmann::ordered_json platforms = nlohmann::ordered_json::array();
  for (const PlatformImage& image : d.platforms) {
    platforms.push_back({{"platform", image.platform.String()},
                         {"digest", image.manifest_digest.String()},
                         {"mediaType", image.media_type},
                         {"configDigest", image.config_digest.String()},
                         {"size", image.manifest_size},
                         {"layers", image.layer_count},
                         {"layersSize", image.layers_size},
                         {"created", image.created},
                         {"configPlatform", image.config_platform.String()}});
  }
  json["platforms"] = std::move(platforms);
  json["attestations"] = d.attestation_count;
  return json;
}

}  // namespace regdigest
