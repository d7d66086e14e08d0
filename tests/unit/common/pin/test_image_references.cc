// Tests for common/image_references.h: which kind of file, and every image
// reference with its byte offset and line.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/pin/image_references.h"

namespace regdigest {
namespace {

TEST_CASE("DetectImageFileKind: by name, then by content") {
  struct Case {
    std::string path, content;
    std::optional<ImageFileKind> want;  // nullopt: an error
    std::string error;                  // part of the error message
  };
  const std::string k8s = "apiVersion: v1\nkind: Pod\n";
  const std::string compose = "services:\n  web:\n    image: nginx\n";
  const Case cases[] = {
      {"Dockerfile", "", ImageFileKind::kDockerfile, ""},
      {"build/dockerfile", "", ImageFileKind::kDockerfile, ""},
      {"build/Dockerfile.prod", compose, ImageFileKind::kDockerfile, ""},
      {"app.Dockerfile", "", ImageFileKind::kDockerfile, ""},
      {"Containerfile", "", ImageFileKind::kDockerfile, ""},
      {"compose.yaml", k8s, ImageFileKind::kCompose, ""},
      {"dir/docker-compose.override.yml", "", ImageFileKind::kCompose, ""},
      {"compose.prod.yml", "", ImageFileKind::kCompose, ""},
      {"deploy/app.yaml", k8s, ImageFileKind::kKubernetes, ""},
      {"pod.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", ImageFileKind::kKubernetes, ""},
      {"stack.yml", compose, ImageFileKind::kCompose, ""},
      {"build.txt", "# syntax=docker/dockerfile:1\nFROM x\n", ImageFileKind::kDockerfile, ""},
      {"manifest", k8s, ImageFileKind::kKubernetes, ""},
      {"weird.yaml", "FROM x\n", std::nullopt, "weird.yaml: not a Dockerfile"},
      {"Dockerfile.dockerignore", "node_modules\n", std::nullopt, "not a Dockerfile"},
      {"notes.txt", "hello: [", std::nullopt, "notes.txt: not a Dockerfile"},
      {"bad.yaml", "a: [\n", std::nullopt, "bad.yaml: invalid YAML: line "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Result<ImageFileKind> got = DetectImageFileKind(c.path, c.content);
    if (c.want) {
      REQUIRE(got.ok());
      CHECK(*got == *c.want);
    } else {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == StatusCode::kInvalidArgument);
      CHECK(got.status().message().find(c.error) != std::string::npos);
    }
  }
}

TEST_CASE("FindImageReferences: text, offset and line of each reference") {
  struct Case {
    std::string path, content;
    std::vector<ImageOccurrence> want;
  };
  const Case cases[] = {
      {"Dockerfile",
       "ARG BASE\nFROM --platform=$BUILDPLATFORM golang:1.22 AS builder\nFROM ${BASE}\n"
       "FROM scratch\nCOPY --from=builder /app /app\n",
       {{"golang:1.22", 40, 2, ""},
        {"${BASE}", 68, 3, "uses build argument ${BASE}"},
        {"scratch", 81, 4, "scratch is the empty image"}}},
      {"compose.yaml",
       "services:\n  web:\n    # the proxy\n    image: \"nginx:1.25\"\n",
       {{"nginx:1.25", 45, 4, ""}}},
      {"k8s.yaml",
       "# first\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: 'a:1'\n"
       "---\napiVersion: v1\nkind: Pod\nspec: {initContainers: [{image: b:2}]}\n",
       {{"a:1", 69, 7, ""}, {"b:2", 135, 11, ""}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Result<std::vector<ImageOccurrence>> got = FindImageReferences(c.path, c.content);
    REQUIRE(got.ok());
    CHECK(*got == c.want);
    for (const ImageOccurrence& o : *got) CHECK(LineAtOffset(c.content, o.offset) == o.line);
  }
  Result<std::vector<ImageOccurrence>> error = FindImageReferences("x.yaml", "a: [\n");
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().message().starts_with("x.yaml: "));
}

TEST_CASE("FirstVariable and LineAtOffset") {
  CHECK(FirstVariable("${A}/x:${B}") == "${A}");
  CHECK(FirstVariable("reg/$NAME:1") == "$NAME");
  CHECK(FirstVariable("${UNCLOSED") == "${UNCLOSED");
  CHECK(FirstVariable("plain") == "");
  CHECK(LineAtOffset("a\nb\nc", 0) == 1);
  CHECK(LineAtOffset("a\nb\nc", 2) == 2);
  CHECK(LineAtOffset("a\nb\nc", 4) == 3);
  CHECK(LineAtOffset("a\nb\nc", 99) == 3);
}

}  // namespace
}  // namespace regdigest
