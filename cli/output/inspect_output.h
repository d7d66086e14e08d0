// What `regdigest inspect` prints for an ImageDescription: the text tree
// (index -> platform manifests -> configs, saying which digest is which and
// which one `docker images` shows as the image ID) and the JSON document.
// Pure formatting; the describing is client/registry/image_describer.h.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "client/registry/image_describer.h"

namespace regdigest {

// "Docker manifest list", "OCI image index"...: what a person calls the
// document; the media type itself when unknown.
std::string MediaTypeTitle(std::string_view media_type);

// Decimal units, as docker prints sizes: "812 B", "2.0 kB", "52.1 MB".
std::string HumanSize(int64_t bytes);

// "2023-07-11T18:03:48.792964918Z" -> "2023-07-11T18:03:48Z" (fractions
// dropped); "(not recorded)" for "".
std::string ShortTime(const std::string& created);

// The reference, then the tree, then how to pin it; ends with a newline.
std::string DescriptionText(const ImageDescription& description);

// {"reference", "digest", "mediaType", ["configDigest",] "platforms": [...],
// "attestations"}.
nlohmann::ordered_json DescriptionJson(const ImageDescription& description);

}  // namespace regdigest
