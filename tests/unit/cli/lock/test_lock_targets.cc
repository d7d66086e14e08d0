// Tests for cli/lock/lock_targets.h and cli/lock/lock_resolution.h: which
// references `lock` resolves (REF arguments, --from files, --update's lock
// entries), for which platforms, what is refused or skipped, and how the lock
// file is loaded (missing, corrupt, valid).
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/lock/lock_resolution.h"
#include "cli/lock/lock_targets.h"

namespace regdigest {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

std::filesystem::path TempDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("regdigest-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST_CASE("LockableReference: the tag, without a digest") {
  struct Case {
    std::string input;
    std::string want;  // "" when refused
  };
  const Case cases[] = {
      {"nginx", "docker.io/library/nginx:latest"},
      {"nginx:1.25", "docker.io/library/nginx:1.25"},
      {"ghcr.io/a/b:v1@" + kDigest, "ghcr.io/a/b:v1"},
      {"alpine@" + kDigest, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Reference> got = LockableReference(Reference::Parse(c.input).value());
    if (c.want.empty()) {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == StatusCode::kInvalidReference);
      CHECK(got.status().message().find("lock records tags") != std::string::npos);
    } else {
      REQUIRE(got.ok());
      CHECK(got->String() == c.want);
    }
  }
}

LockFile LockWith(const std::string& reference, const std::map<std::string, Digest>& platforms) {
  LockFile lock;
  lock.entries.push_back(
      LockEntry{Reference::Parse(reference).value(), Digest::Parse(kDigest).value(),
                "application/vnd.oci.image.index.v1+json", platforms, "2026-11-29T00:00:00Z", 0});
  return lock;
}

std::vector<std::string> Strings(const std::vector<LockTarget>& targets) {
  std::vector<std::string> out;
  for (const LockTarget& t : targets) {
    std::string line = t.location + "|" + t.reference.String();
    for (const Platform& p : t.platforms) line += "|" + p.String();
    out.push_back(line);
  }
  return out;
}

TEST_CASE("GatherLockTargets: arguments, --from files and --update") {
  const std::filesystem::path dir = TempDir("lock-targets");
  const std::string dockerfile = (dir / "Dockerfile").string();
  std::ofstream(dockerfile) << "FROM alpine:3.19 AS build\nFROM ${BASE}\nFROM build\n"
                               "FROM nginx:1.25\n";
  const Digest arm = Digest::Parse("sha256:" + std::string(64, 'b')).value();
  const LockFile lock = LockWith("docker.io/library/nginx:1.25", {{"linux/arm64", arm}});
  const std::vector<Platform> amd64{Platform::Parse("linux/amd64").value()};
  struct Case {
    const char* name;
    std::vector<std::string> inputs;
    std::vector<std::string> from;
    std::vector<Platform> platforms;
    std::vector<std::string> want;
    std::size_t errors;
    std::size_t skipped;
  };
  const Case cases[] = {
      {"arguments, each once, with the default tag",
       {"alpine", "docker.io/library/alpine:latest", "nginx:1.25@" + kDigest},
       {},
       {},
       {"|docker.io/library/alpine:latest", "|docker.io/library/nginx:1.25|linux/arm64"},
       0,
       0},
      {"--platform replaces the platforms the entry records",
       {"nginx:1.25"},
       {},
       amd64,
       {"|docker.io/library/nginx:1.25|linux/amd64"},
       0,
       0},
      {"invalid and digest-only references are errors",
       {"Bad_Repo", "alpine@" + kDigest, "busybox"},
       {},
       {},
       {"|docker.io/library/busybox:latest"},
       2,
       0},
      {"--from: the file's images with their line, ${ARG} and stages skipped",
       {},
       {dockerfile},
       {},
       {dockerfile + ":1|docker.io/library/alpine:3.19",
        dockerfile + ":4|docker.io/library/nginx:1.25|linux/arm64"},
       0,
       2},
      {"--from a missing file", {}, {(dir / "nope").string()}, {}, {}, 1, 0},
      {"nothing given: every lock entry",
       {},
       {},
       {},
       {"|docker.io/library/nginx:1.25|linux/arm64"},
       0,
       0},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      const LockTargets got = GatherLockTargets(lock, c.inputs, c.from, c.platforms);
      CHECK(Strings(got.targets) == c.want);
      CHECK(got.errors.size() == c.errors);
      CHECK(got.skipped.size() == c.skipped);
      for (const LockTarget& t : got.targets) CHECK_FALSE(t.head.ok());  // not resolved yet
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("LoadLockFile: absent, corrupt or valid, errors name the file") {
  const std::filesystem::path dir = TempDir("lock-load");
  const std::string valid = (dir / "valid.lock").string();
  std::ofstream(valid) << SerializeLockFile(LockWith("reg.example/app:v1", {}));
  const std::string corrupt = (dir / "corrupt.lock").string();
  std::ofstream(corrupt) << "{\"version\": 1, \"entries\": [{}]}";
  const std::string newer = (dir / "newer.lock").string();
  std::ofstream(newer) << "{\"version\": 99, \"entries\": []}";
  struct Case {
    std::string path;
    bool ok;
    bool present;
    std::string error;  // prefix of the message
  };
  const Case cases[] = {
      {(dir / "missing.lock").string(), true, false, ""},
      {valid, true, true, ""},
      {corrupt, false, false, corrupt + ": "},
      {newer, false, false, newer + ": "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Result<std::optional<LockFile>> got = LoadLockFile(c.path);
    REQUIRE(got.ok() == c.ok);
    if (!c.ok) {
      CHECK(got.status().code() == StatusCode::kInvalidArgument);
      CHECK(got.status().message().rfind(c.error, 0) == 0);
      continue;
    }
    CHECK(got->has_value() == c.present);
    if (c.present) CHECK((*got)->entries.at(0).reference.String() == "reg.example/app:v1");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace regdigest
