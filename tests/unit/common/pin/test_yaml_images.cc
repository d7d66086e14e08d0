// Tests for common/yaml_images.h: image references of compose files and
// Kubernetes manifests, with exact positions.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/pin/yaml_images.h"

namespace regdigest {
namespace {

// "LINE:text" or "LINE:text (REASON)"; every offset must point at the text.
std::vector<std::string> Describe(std::string_view content,
                                  const Result<std::vector<ImageOccurrence>>& found) {
  REQUIRE(found.ok());
  std::vector<std::string> out;
  for (const ImageOccurrence& o : *found) {
    if (o.skipped.empty()) CHECK(content.substr(o.offset, o.text.size()) == o.text);
    std::string text = std::to_string(LineAtOffset(content, o.offset)) + ":" + o.text;
    if (!o.skipped.empty()) text += " (" + o.skipped + ")";
    out.push_back(text);
  }
  return out;
}

struct Case {
  std::string name, content;
  std::vector<std::string> want;
};

TEST_CASE("FindComposeImages: image: of each service") {
  const Case cases[] = {
      {"plain, quoted, commented",
       "# services of the app\nservices:\n  web:\n    image: nginx:1.25 # trailing comment\n"
       "  db:\n    image: 'postgres:16'\n  cache:\n    image: \"redis:7\"\n",
       {"4:nginx:1.25", "6:postgres:16", "8:redis:7"}},
      {"merge keys: the anchored image once, at its anchor",
       "x-base: &base\n  image: \"registry.example.com/base:1\"   # quoted\n"
       "services:\n  a:\n    <<: *base\n  b:\n    <<: [*base]\n    ports: [80]\n",
       {"2:registry.example.com/base:1"}},
      {"build-only services, variables, escapes, block scalars",
       "services:\n  built:\n    build: .\n  var:\n    image: ${REGISTRY}/app:${TAG:-latest}\n"
       "  esc:\n    image: \"nginx\\x3a1\"\n  block:\n    image: >-\n      nginx:1\n"
       "  empty:\n    image:\n",
       {"5:${REGISTRY}/app:${TAG:-latest} (uses variable ${REGISTRY})",
        "7:nginx:1 (written with escapes or over several lines)",
        "9:nginx:1 (written as a block scalar)"}},
      {"flow style",
       "services: {web: {image: \"nginx:1\"}, db: {image: pg}}\n",
       {"1:nginx:1", "1:pg"}},
      {"image keys outside services are not references",
       "x-note:\n  image: not-this\nservices:\n  web:\n    environment:\n      image: nor-this\n"
       "    image: this:1\n",
       {"7:this:1"}},
      {"a tag before the value", "services:\n  web:\n    image: !!str nginx:1\n", {"3:nginx:1"}},
      {"CRLF, a byte order mark and multibyte text before the image",
       "\xEF\xBB\xBF# caf\xC3\xA9 \xE2\x98\x95\r\nservices:\r\n  web:\r\n"
       "    labels: {note: \"\xC3\xA9\xC3\xA9\"}\r\n    image: nginx:1\r\n",
       {"5:nginx:1"}},
      {"every document",
       "services:\n  a:\n    image: a:1\n---\nservices:\n  b:\n    image: b:1\n",
       {"3:a:1", "7:b:1"}},
      {"no services", "version: '3'\n", {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(Describe(c.content, FindComposeImages(c.content)) == c.want);
  }
}

const char kKubernetes[] = R"(# deployment of the app
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    image: not-a-container-image
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: app
          image: "ghcr.io/o/app:v1"  # the app
        - name: side
          image: envoy:1
---
# a service: no images
apiVersion: v1
kind: Service
spec:
  ports: [{port: 80}]
---
apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - image: alpine:3.19
            name: c
---
apiVersion: v1
kind: Pod
spec:
  ephemeralContainers: [{name: dbg, image: 'busybox:debug'}]
  containers:
  - name: x
    image: nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  volumes:
  - name: data
    image: {reference: "not-a-container:1"}
)";

TEST_CASE("FindKubernetesImages: containers, initContainers, ephemeralContainers anywhere") {
  const Case cases[] = {
      {"deployment, service, cronjob, pod",
       kKubernetes,
       {"12:busybox:1.36", "15:ghcr.io/o/app:v1", "17:envoy:1", "33:alpine:3.19",
        "39:busybox:debug",
        "42:nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
      {"a List of pods",
       "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  spec:\n    containers:\n"
       "    - {name: a, image: a:1}\n- kind: Pod\n  spec:\n    containers: [{image: b:2}]\n",
       {"7:a:1", "10:b:2"}},
      {"aliases: a shared container spec is listed once",
       "a: &c {name: a, image: shared:1}\nspec:\n  containers: [*c]\n  initContainers: [*c]\n",
       {"1:shared:1"}},
      {"JSON",
       "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {\"containers\": "
       "[{\"name\": \"a\", \"image\": \"nginx:1\"}]}}",
       {"1:nginx:1"}},
      {"empty documents", "---\n---\n# nothing\n", {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(Describe(c.content, FindKubernetesImages(c.content)) == c.want);
  }
}

TEST_CASE("Malformed YAML is an error naming the line") {
  for (const std::string content : {"services:\n  web:\n    image: [a\n", "a: *missing\n"}) {
    CAPTURE(content);
    Result<std::vector<ImageOccurrence>> found = FindComposeImages(content);
    REQUIRE_FALSE(found.ok());
    CHECK(found.status().code() == StatusCode::kInvalidArgument);
    CHECK(found.status().message().starts_with("invalid YAML: line "));
  }
}

TEST_CASE("DetectYamlImageFileKind") {
  struct KindCase {
    std::string content;
    std::optional<ImageFileKind> want;
  };
  const KindCase cases[] = {
      {"services:\n  web: {image: x}\n", ImageFileKind::kCompose},
      {"version: '3'\nservices: {}\n", ImageFileKind::kCompose},
      {"apiVersion: v1\nkind: Pod\n", ImageFileKind::kKubernetes},
      {"---\n# first is empty\n---\napiVersion: v1\nkind: Service\n", ImageFileKind::kKubernetes},
      {"services: [a]\n", std::nullopt},
      {"apiVersion: v1\n", std::nullopt},
      {"just text\n", std::nullopt},
      {"", std::nullopt},
  };
  for (const KindCase& c : cases) {
    CAPTURE(c.content);
    Result<std::optional<ImageFileKind>> got = DetectYamlImageFileKind(c.content);
    REQUIRE(got.ok());
    CHECK(*got == c.want);
  }
  CHECK_FALSE(DetectYamlImageFileKind("a: [\n").ok());
}

}  // namespace
}  // namespace regdigest
