// Tests for cli/pin/pin_files.h: reading the files `pin` and `pin --check`
// work on (each real file once, its mode kept, failures naming the file), the
// "FILE:LINE" places, and the error line for an invalid written reference.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/pin/pin_files.h"

namespace regdigest {
namespace {

struct Dir {
  Dir() {
    path = std::filesystem::temp_directory_path() /
           ("regdigest-pin-files-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
  }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string file = (path / name).string();
    std::ofstream(file) << text;
    return file;
  }
  std::filesystem::path path;
};

TEST_CASE("LoadPinFiles reads each file once and finds its references") {
  Dir dir;
  const std::string dockerfile =
      dir.Write("Dockerfile", "FROM alpine:3.19\nRUN true\nFROM nginx\n");
  ::chmod(dockerfile.c_str(), 0600);
  const std::string compose =
      dir.Write("compose.yaml", "services:\n  web:\n    image: ghcr.io/a/web:1\n");
  const std::string link = (dir.path / "link.Dockerfile").string();
  std::filesystem::create_symlink(dockerfile, link);
  const std::string real_dockerfile = std::filesystem::canonical(dockerfile).string();

  Result<std::vector<PinFile>> got = LoadPinFiles({dockerfile, compose, link, dockerfile});
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  REQUIRE(got->size() == 2);  // the symlink and the repeat name the same file
  const PinFile& first = (*got)[0];
  CHECK(first.path == dockerfile);
  CHECK(first.real_path == real_dockerfile);
  CHECK(first.mode == 0600);
  REQUIRE(first.occurrences.size() == 2);
  CHECK(first.occurrences[0].text == "alpine:3.19");
  CHECK(PlaceOf(first, first.occurrences[0]) == dockerfile + ":1");
  CHECK(PlaceOf(first, first.occurrences[1]) == dockerfile + ":3");
  REQUIRE((*got)[1].occurrences.size() == 1);
  CHECK((*got)[1].occurrences[0].text == "ghcr.io/a/web:1");
  CHECK((*got)[1].occurrences[0].line == 3);
}

TEST_CASE("LoadPinFiles: the first failure, naming the file") {
  Dir dir;
  const std::string good = dir.Write("Dockerfile", "FROM alpine\n");
  const std::string unknown = dir.Write("notes.txt", "hello\n");
  const std::string bad_yaml = dir.Write("compose.yaml", "services: [\n");
  struct Case {
    std::string path;
    StatusCode code;
  };
  const Case cases[] = {
      {(dir.path / "missing").string(), StatusCode::kIo},
      {dir.path.string(), StatusCode::kIo},  // a directory
      {unknown, StatusCode::kInvalidArgument},
      {bad_yaml, StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Result<std::vector<PinFile>> got = LoadPinFiles({good, c.path});
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == c.code);
    CHECK(got.status().message().find(c.path) != std::string::npos);
  }
}

TEST_CASE("ParseWrittenReference: the reference, or a whole error line") {
  PinFile file;
  file.path = "k8s/app.yaml";
  struct Case {
    std::string text;
    std::size_t line;
    std::string want;  // canonical reference, or the error message
    bool ok;
  };
  const Case cases[] = {
      {"nginx:1.25", 4, "docker.io/library/nginx:1.25", true},
      {"ghcr.io/a/b", 9, "ghcr.io/a/b", true},
      {"Bad_Repo:x", 7, "k8s/app.yaml:7: invalid reference: \"Bad_Repo:x\": ", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    ImageOccurrence occurrence;
    occurrence.text = c.text;
    occurrence.line = c.line;
    Result<Reference> got = ParseWrittenReference(file, occurrence);
    REQUIRE(got.ok() == c.ok);
    if (c.ok) {
      CHECK(got->String() == c.want);
    } else {
      CHECK(got.status().code() == StatusCode::kInvalidReference);
      CHECK(got.status().message().rfind(c.want, 0) == 0);
    }
  }
}

}  // namespace
}  // namespace regdigest
