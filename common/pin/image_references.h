// Finding the image references written in a Dockerfile, a compose file or a
// Kubernetes manifest, each with its exact byte position in the file text, so
// that `pin` can replace just those bytes (formatting and comments are kept)
// and `lock --from` / `pin --check` can say where a reference is written.
// Pure functions over the text: no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

enum class ImageFileKind { kDockerfile, kCompose, kKubernetes };

// "Dockerfile", "compose file", "Kubernetes manifest".
std::string_view ImageFileKindName(ImageFileKind kind);

struct ImageOccurrence {
  // The reference exactly as written, e.g. "nginx:1.25" or
  // "nginx:1.25@sha256:..." (without YAML quotes).
  std::string text;
  std::size_t offset = 0;  // byte offset of `text` in the content
  std::size_t line = 0;    // 1-based
  // Non-empty: why this is not a reference to pin, e.g. "scratch is the empty
  // image", "earlier build stage \"builder\"", "uses build argument ${BASE}".
  std::string skipped;

  friend bool operator==(const ImageOccurrence&, const ImageOccurrence&) = default;
};

// By name first: Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile,
// Containerfile(.*) -> kDockerfile; compose*.y(a)ml, docker-compose*.y(a)ml ->
// kCompose. Otherwise by content: a Dockerfile's first instruction is FROM or
// ARG; a YAML document with a top-level `services:` mapping is a compose file,
// one with `apiVersion` and `kind` a Kubernetes manifest. kInvalidArgument when
// none applies (or the YAML does not parse), naming the file.
Result<ImageFileKind> DetectImageFileKind(std::string_view path, std::string_view content);

// Every image reference of the file, in file order (skipped ones included,
// with the reason). kInvalidArgument for unparsable YAML, naming file and line.
Result<std::vector<ImageOccurrence>> FindImageReferences(std::string_view path,
                                                         std::string_view content);
// The same for a known kind (`path` only names the file in errors).
Result<std::vector<ImageOccurrence>> FindImageReferences(ImageFileKind kind, std::string_view path,
                                                         std::string_view content);

// "${BASE}" or "$BASE": the first variable `text` uses ("" when none).
std::string FirstVariable(std::string_view text);

// 1-based line number of byte `offset` in `content` (lines end with '\n').
std::size_t LineAtOffset(std::string_view content, std::size_t offset);

}  // namespace regdigest
