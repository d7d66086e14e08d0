// Tests for client/sys/file_io.h on a real temporary directory: WriteFileAtomic
// replaces the file by rename (never in place), even when a write fails part
// way; CreateParentDirectories gives every directory it creates one mode.
#include <doctest/doctest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "client/sys/file_io.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Sets the umask while it lives (the test binary runs one test at a time).
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

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

ino_t InodeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

TEST_CASE(
    "WriteFileAtomic replaces the file, keeping its mode: a hard link to the old one keeps the old "
    "bytes") {
  TempDir dir;
  const std::string target = dir.File("regdigest.lock");
  const std::string link = dir.File("old.lock");
  const std::string old_bytes = "old contents\n";
  REQUIRE(WriteFileAtomic(target, old_bytes, 0644).ok());
  REQUIRE(::link(target.c_str(), link.c_str()) == 0);
  const ino_t old_inode = InodeOf(target);

  REQUIRE(WriteFileAtomic(target, "new contents, longer than the old ones\n", 0640).ok());
  CHECK(Read(link) == old_bytes);
  CHECK(Read(target) == "new contents, longer than the old ones\n");
  CHECK(InodeOf(target) != old_inode);
  CHECK(ModeOf(target) == 0644);  // the existing file's mode, not the one asked for a new file
  CHECK(ModeOf(link) == 0644);
  CHECK(dir.Names() == std::set<std::string>{"old.lock", "regdigest.lock"});  // no temp file
}

TEST_CASE("WriteFileAtomic: a write that fails part way leaves the old file byte-identical") {
  TempDir dir;
  const std::string target = dir.File("config.json");
  const std::string old_bytes(1000, 'o');
  REQUIRE(WriteFileAtomic(target, old_bytes, 0600).ok());
  const std::string new_bytes(64 * 1024, 'n');
  constexpr rlim_t kLimit = 4096;  // more than the old file, less than the new one

  // In a child: files cannot grow past kLimit and SIGXFSZ is ignored, so the
  // write fails with EFBIG after kLimit bytes. Exit code: 0 when
  // WriteFileAtomic reported kIo, 1 when it claimed success, 2 on another
  // status, 3 when the limit could not be set.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{kLimit, kLimit};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(3);
    const Status status = WriteFileAtomic(target, new_bytes, 0600);
    const bool right_text =
        status.message() == "cannot write " + target + ": " + std::strerror(EFBIG);
    ::_exit(status.ok() ? 1 : status.code() == StatusCode::kIo && right_text ? 0 : 2);
  }
  int wait_status = 0;
  REQUIRE(::waitpid(pid, &wait_status, 0) == pid);
  REQUIRE(WIFEXITED(wait_status));
  CHECK(WEXITSTATUS(wait_status) == 0);
  CHECK(Read(target) == old_bytes);
  CHECK(ModeOf(target) == 0600);
  CHECK(dir.Names() == std::set<std::string>{"config.json"});  // the temp file is gone
}

TEST_CASE("WriteFileAtomic refuses a directory, naming it, and leaves no temp file") {
  TempDir dir;
  const std::string target = dir.File("taken");
  REQUIRE(fs::create_directory(target));
  REQUIRE(WriteFileAtomic(dir.File("taken/inner"), "x", 0644).ok());
  Status status = WriteFileAtomic(target, "contents", 0644);
  CHECK(status.code() == StatusCode::kIo);
  CHECK(status.message() == "cannot write " + target + ": Is a directory");
  CHECK(fs::is_directory(target));
  CHECK(dir.Names() == std::set<std::string>{"taken"});
}

TEST_CASE("WriteFileAtomic sets the mode exactly, whatever the umask, and writes any bytes") {
  TempDir dir;
  ScopedUmask scoped_umask(0077);
  const std::string bytes("a\0b\n\xff", 5);
  for (mode_t mode : {mode_t{0600}, mode_t{0640}, mode_t{0644}, mode_t{0755}}) {
    CAPTURE(mode);
    const std::string path = dir.File("f" + std::to_string(mode));
    REQUIRE(WriteFileAtomic(path, bytes, mode).ok());
    CHECK(ModeOf(path) == mode);
    CHECK(Read(path) == bytes);
  }
  REQUIRE(WriteFileAtomic(dir.File("empty"), "", 0600).ok());
  CHECK(Read(dir.File("empty")).empty());
}

TEST_CASE("CreateParentDirectories: every directory it creates is 0700; others are untouched") {
  for (mode_t mask : {mode_t{0}, mode_t{0022}, mode_t{0077}, mode_t{0277}}) {
    CAPTURE(mask);
    TempDir dir;
    ScopedUmask scoped_umask(mask);
    REQUIRE(fs::create_directory(dir.File("existing")));
    REQUIRE(::chmod(dir.File("existing").c_str(), 0755) == 0);

    REQUIRE(CreateParentDirectories(dir.File("existing/a/b/c/history.db")).ok());
    CHECK(ModeOf(dir.File("existing")) == 0755);
    for (const char* created : {"existing/a", "existing/a/b", "existing/a/b/c"}) {
      CAPTURE(created);
      CHECK(fs::is_directory(dir.File(created)));
      CHECK(ModeOf(dir.File(created)) == kCreatedDirectoryMode);
    }
    CHECK_FALSE(fs::exists(dir.File("existing/a/b/c/history.db")));

    // WriteFileAtomic creates parents the same way.
    REQUIRE(WriteFileAtomic(dir.File("x/y/config.json"), "{}", 0600).ok());
    CHECK(ModeOf(dir.File("x")) == kCreatedDirectoryMode);
    CHECK(ModeOf(dir.File("x/y")) == kCreatedDirectoryMode);
  }
}

TEST_CASE("CreateParentDirectories: nothing to do, and errors") {
  TempDir dir;
  CHECK(CreateParentDirectories("relative-file-name").ok());
  CHECK(CreateParentDirectories(dir.File("file")).ok());
  CHECK(CreateParentDirectories(dir.File("a//b/")).ok());
  CHECK(fs::is_directory(dir.File("a/b")));

  REQUIRE(WriteFileAtomic(dir.File("plain"), "x", 0644).ok());
  Status status = CreateParentDirectories(dir.File("plain/sub/file"));
  CHECK(status.code() == StatusCode::kIo);
  CHECK(status.message() == "cannot create " + dir.File("plain") + ": Not a directory");
  CHECK(WriteFileAtomic(dir.File("plain/file"), "x", 0644).code() == StatusCode::kIo);
}

TEST_CASE("ReadFileIfExists names a directory instead of reading it as empty") {
  TempDir dir;
  Result<std::optional<std::string>> text = ReadFileIfExists(dir.path().string());
  CHECK(text.status().code() == StatusCode::kIo);
  CHECK(text.status().message() == "cannot read " + dir.path().string() + ": Is a directory");
}

TEST_CASE("ReadFileIfExists and StatFile") {
  TempDir dir;
  const std::string path = dir.File("f");
  Result<std::optional<std::string>> missing = ReadFileIfExists(path);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  Result<std::optional<FileInfo>> no_info = StatFile(path);
  REQUIRE(no_info.ok());
  CHECK_FALSE(no_info->has_value());

  REQUIRE(WriteFileAtomic(path, "12345", 0640).ok());
  CHECK(Read(path) == "12345");
  Result<std::optional<FileInfo>> info = RealFiles().Stat(path);
  REQUIRE(info.ok());
  REQUIRE(info->has_value());
  CHECK_FALSE((*info)->is_directory);
  CHECK((*info)->mode == 0640);
  CHECK((*info)->size == 5);

  Result<std::optional<FileInfo>> dir_info = StatFile(dir.File(""));
  REQUIRE(dir_info.ok());
  REQUIRE(dir_info->has_value());
  CHECK((*dir_info)->is_directory);

  Result<std::optional<FileInfo>> through_file = StatFile(path + "/below");
  CHECK(through_file.status().code() == StatusCode::kIo);
}

}  // namespace
}  // namespace regdigest
