// Tests for what WriteFileAtomic (client/sys/file_io.h) replaces: it writes
// through symbolic links to their target, keeps an existing file's mode, and
// refuses files the user cannot write (root included), on a real temporary
// directory.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "client/sys/file_io.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string Read(const std::string& path) {
  Result<std::optional<std::string>> text = ReadFileIfExists(path);
  REQUIRE_MESSAGE(text.ok(), text.status().ToString());
  REQUIRE(text->has_value());
  return **text;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("WriteFileAtomic writes through a symbolic link to its target, which keeps its mode") {
  TempDir dir;
  REQUIRE(fs::create_directory(dir.File("real")));
  REQUIRE(fs::create_directory(dir.File("work")));
  const std::string target = dir.File("real/regdigest.lock");
  REQUIRE(WriteFileAtomic(target, "old\n", 0640).ok());
  // work/regdigest.lock -> work/middle.lock -> ../real/regdigest.lock (relative links)
  fs::create_symlink("../real/regdigest.lock", dir.File("work/middle.lock"));
  fs::create_symlink("middle.lock", dir.File("work/regdigest.lock"));

  REQUIRE(WriteFileAtomic(dir.File("work/regdigest.lock"), "new\n", 0644).ok());
  CHECK(fs::is_symlink(dir.File("work/regdigest.lock")));
  CHECK(fs::is_symlink(dir.File("work/middle.lock")));
  CHECK(Read(target) == "new\n");
  CHECK(ModeOf(target) == 0640);
  // The temp file was made next to the target, and is gone.
  CHECK(TempDir::NamesIn(dir.File("real")) == std::set<std::string>{"regdigest.lock"});
  CHECK(TempDir::NamesIn(dir.File("work")) ==
        std::set<std::string>{"middle.lock", "regdigest.lock"});
}

TEST_CASE("WriteFileAtomic with a keep mask: a file holding secrets loses group and other bits") {
  TempDir dir;
  const std::string path = dir.File("config.json");
  for (mode_t before : {mode_t{0644}, mode_t{0640}, mode_t{0600}, mode_t{0700}}) {
    CAPTURE(before);
    REQUIRE(WriteFileAtomic(path, "{}", before).ok());
    REQUIRE(::chmod(path.c_str(), before) == 0);
    REQUIRE(WriteFileAtomic(path, "{\"auths\": {}}", 0600, 0600).ok());
    CHECK(ModeOf(path) == (before & 0600));
    CHECK(Read(path) == "{\"auths\": {}}");
  }
}

TEST_CASE("WriteFileAtomic through a dangling link creates the file the link names") {
  TempDir dir;
  fs::create_symlink(dir.File("sub/config.json"), dir.File("config.json"));
  REQUIRE(WriteFileAtomic(dir.File("config.json"), "{}", 0600).ok());
  CHECK(fs::is_symlink(dir.File("config.json")));
  CHECK(Read(dir.File("sub/config.json")) == "{}");
  CHECK(ModeOf(dir.File("sub/config.json")) == 0600);
}

TEST_CASE("WriteFileAtomic refuses a link loop with one line") {
  TempDir dir;
  fs::create_symlink("b", dir.File("a"));
  fs::create_symlink("a", dir.File("b"));
  Status status = WriteFileAtomic(dir.File("a"), "x", 0644);
  CHECK(status.code() == StatusCode::kIo);
  CHECK(status.message() == "cannot write " + dir.File("a") + ": " + std::strerror(ELOOP));
}

TEST_CASE("WriteFileAtomic refuses a read-only file, even for root, and leaves it unchanged") {
  TempDir dir;
  const std::string path = dir.File("regdigest.lock");
  for (mode_t mode : {mode_t{0444}, mode_t{0400}, mode_t{0000}}) {
    CAPTURE(mode);
    REQUIRE(WriteFileAtomic(path, "old\n", 0644).ok());
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    Status status = WriteFileAtomic(path, "new\n", 0644);
    CHECK(status.code() == StatusCode::kIo);
    CHECK(status.message().starts_with("cannot write " + path + ": Permission denied (mode 0"));
    CHECK(status.message().ends_with("); it was left unchanged"));
    CHECK(ModeOf(path) == mode);
    REQUIRE(::chmod(path.c_str(), 0644) == 0);
    CHECK(Read(path) == "old\n");
    CHECK(dir.Names() == std::set<std::string>{"regdigest.lock"});
  }
  // Through a link too: the link's own (always 0777) mode does not count.
  REQUIRE(::chmod(path.c_str(), 0444) == 0);
  fs::create_symlink(path, dir.File("link.lock"));
  CHECK(WriteFileAtomic(dir.File("link.lock"), "new\n", 0644).code() == StatusCode::kIo);
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  CHECK(Read(path) == "old\n");
}

TEST_CASE("WriteFileAtomic refuses what is not a regular file") {
  TempDir dir;
  const std::string fifo = dir.File("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  Status status = WriteFileAtomic(fifo, "x", 0644);
  CHECK(status.message() == "cannot write " + fifo + ": not a regular file");
  CHECK(fs::is_fifo(fifo));
}

}  // namespace
}  // namespace regdigest
