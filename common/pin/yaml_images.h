// The image references of compose files (`image:` of each service under the
// top-level `services:`) and Kubernetes manifests (`image:` of every entry of
// `containers`, `initContainers` and `ephemeralContainers` anywhere in each
// document: Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Lists
// ...), in every document of a multi-document file, with byte positions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/pin/image_references.h"

namespace regdigest {

// In file order, each occurrence once (an anchored image used through aliases
// is one occurrence, at its anchor). `line` is left 0. Skipped, with the
// reason: values using variables (`${TAG}`), block scalars and scalars written
// with escapes, whose text cannot be replaced in place. kInvalidArgument for
// malformed YAML.
Result<std::vector<ImageOccurrence>> FindComposeImages(std::string_view content);
Result<std::vector<ImageOccurrence>> FindKubernetesImages(std::string_view content);

// kCompose when a document has a top-level `services:` mapping, kKubernetes
// when one has `apiVersion` and `kind`; nullopt when neither;
// kInvalidArgument for malformed YAML.
Result<std::optional<ImageFileKind>> DetectYamlImageFileKind(std::string_view content);

}  // namespace regdigest
