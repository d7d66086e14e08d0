// Tests for client/sys/temp_file_cleanup.h: a tracked temp file is removed
// when SIGTERM or SIGINT stops the process, the process still dies of that
// signal, and an ignored signal stays ignored. Each case runs in a child.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "client/sys/temp_file_cleanup.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;

// Forks; the child creates `path`, tracks it and raises `signal_number`
// (first ignoring it when `ignore`). The child's wait status.
int RaiseInChild(const std::string& path, int signal_number, bool ignore) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // As in regdigest: the default actions (the test runner installs its own).
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (ignore) ::signal(signal_number, SIG_IGN);
    std::ofstream(path) << "half-written";
    ScopedTempFileCleanup tracked(path);
    if (!tracked.tracked()) ::_exit(3);
    ::raise(signal_number);
    ::_exit(0);  // reached only when the signal is ignored
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return status;
}

TEST_CASE("A tracked temp file is removed on SIGTERM and SIGINT, and the process dies of it") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    CAPTURE(signal_number);
    testing::TempDir dir;
    const std::string path = dir.File(".regdigest.lock.tmp-abc123");
    const int status = RaiseInChild(path, signal_number, false);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == signal_number);
    CHECK_FALSE(fs::exists(path));
  }
}

TEST_CASE("An ignored signal stays ignored and the temp file is kept") {
  testing::TempDir dir;
  const std::string path = dir.File(".x.tmp-abc123");
  const int status = RaiseInChild(path, SIGINT, true);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(fs::exists(path));
}

TEST_CASE("Tracking ends with the scope; more than the table holds is not tracked") {
  const int before = TrackedTempFileCount();
  {
    ScopedTempFileCleanup a("/nonexistent/a");
    ScopedTempFileCleanup b("/nonexistent/b");
    CHECK(TrackedTempFileCount() == before + 2);
  }
  CHECK(TrackedTempFileCount() == before);
  std::vector<std::unique_ptr<ScopedTempFileCleanup>> many;
  for (int i = 0; i < kMaxTrackedTempFiles + 3; ++i)
    many.push_back(std::make_unique<ScopedTempFileCleanup>("/nonexistent/" + std::to_string(i)));
  CHECK(TrackedTempFileCount() == kMaxTrackedTempFiles);
  CHECK_FALSE(many.back()->tracked());
}

}  // namespace
}  // namespace regdigest
