// Reference: an image reference, valid once parsed (like go-containerregistry's
// pkg/name and distribution/reference), with Docker's normalisation applied:
// "ubuntu" -> docker.io/library/ubuntu, "index.docker.io" -> docker.io.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/image/digest.h"

namespace regdigest {

inline constexpr std::string_view kDefaultDomain = "docker.io";
inline constexpr std::string_view kDefaultTag = "latest";

class Reference {
 public:
  // Parses and normalises. Errors are kInvalidReference with a message that
  // says what is wrong (e.g. "repository name must be lowercase").
  static Result<Reference> Parse(std::string_view input);

  const std::string& domain() const { return domain_; }  // "docker.io", "localhost:5000"
  const std::string& path() const { return path_; }      // "library/ubuntu"
  const std::optional<std::string>& tag() const { return tag_; }
  const std::optional<Digest>& digest() const { return digest_; }

  // "docker.io/library/ubuntu"
  std::string Name() const { return domain_ + "/" + path_; }
  // Docker's familiar name: "ubuntu", "jenkins/jenkins", "ghcr.io/o/r".
  std::string FamiliarName() const;
  // Canonical full form: name[:tag][@digest].
  std::string String() const;
  // Familiar form with tag/digest: "ubuntu:22.04".
  std::string FamiliarString() const;

  // The same reference with tag "latest" when it has neither tag nor digest.
  Reference WithDefaultTag() const;
  // What goes after /manifests/: the digest if present, else the tag, else "latest".
  std::string Identifier() const;

  friend bool operator==(const Reference&, const Reference&) = default;

 private:
  Reference() = default;
  std::string domain_;
  std::string path_;
  std::optional<std::string> tag_;
  std::optional<Digest> digest_;
};

}  // namespace regdigest
