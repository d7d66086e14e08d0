// Media types of manifests and configs (OCI image-spec and Docker's
// distribution formats), the Accept header regdigest sends, and helpers to
// classify a Content-Type value a registry answered with.
#pragma once

#include <string>
#include <string_view>

namespace regdigest {

// Multi-platform manifests.
inline constexpr std::string_view kOciImageIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";

// Single-platform image manifests.
inline constexpr std::string_view kOciImageManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerManifestV2 =
    "application/vnd.docker.distribution.manifest.v2+json";

// Legacy Docker schema 1 (unsigned and JWS-signed); deprecated, never requested.
inline constexpr std::string_view kDockerManifestV1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerManifestV1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

// Image configuration blobs.
inline constexpr std::string_view kOciImageConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kDockerImageConfig =
    "application/vnd.docker.container.image.v1+json";

// The media type without parameters or surrounding whitespace, lowercased:
// "Application/JSON; charset=utf-8" -> "application/json".
std::string BaseMediaType(std::string_view content_type);

// Classifiers; each accepts a full Content-Type value (parameters and case
// are ignored).
bool IsIndexMediaType(std::string_view media_type);          // OCI index, Docker list
bool IsImageManifestMediaType(std::string_view media_type);  // OCI manifest, Docker v2
bool IsSchema1MediaType(std::string_view media_type);        // Docker v1, v1 signed
// One of the four manifest types regdigest accepts (index or image manifest).
bool IsManifestMediaType(std::string_view media_type);
// A type that says nothing about the document: missing, application/octet-stream,
// binary/octet-stream, text/plain or application/json. A manifest answered
// with one is accepted only if its body parses as a manifest.
bool IsGenericMediaType(std::string_view media_type);

// Accept header value for manifest requests: OCI index, OCI manifest, Docker
// list, Docker v2, comma-separated. Schema 1 is deliberately absent so that
// registries do not convert manifests to it.
std::string ManifestAcceptHeader();

// "oci-index", "oci-manifest", "docker-list", "docker-v2" or "docker-v1" (both
// schema 1 variants); "unknown" for anything else.
std::string_view MediaTypeShortName(std::string_view media_type);

}  // namespace regdigest
