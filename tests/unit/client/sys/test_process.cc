// Tests for RunProcess (client/process.h): real programs from the base system.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client/sys/process.h"

namespace regdigest {
namespace {

using std::chrono::milliseconds;

TEST_CASE("RunProcess runs programs and captures their output") {
  struct Case {
    std::string name;
    std::vector<std::string> argv;
    std::string stdin_text;
    int exit_code;
    std::string stdout_text;
    std::string stderr_text;
  };
  const std::string big(300 * 1024, 'x');  // larger than any pipe buffer
  const std::vector<Case> cases = {
      {"cat echoes stdin",
       {"/bin/cat"},
       "{\"ServerURL\":\"x\"}\n",
       0,
       "{\"ServerURL\":\"x\"}\n",
       ""},
      {"PATH lookup", {"cat"}, "hello", 0, "hello", ""},
      {"exit code", {"sh", "-c", "exit 3"}, "", 3, "", ""},
      {"stderr captured", {"sh", "-c", "echo oops >&2; echo out"}, "", 0, "out\n", "oops\n"},
      {"arguments are not split by a shell",
       {"printf", "%s|", "a b", "$HOME"},
       "",
       0,
       "a b|$HOME|",
       ""},
      {"child ignores stdin", {"sh", "-c", "echo done"}, big, 0, "done\n", ""},
      {"big stdin round trip", {"cat"}, big, 0, big, ""},
      {"killed by a signal", {"sh", "-c", "kill -9 $$"}, "", 128 + 9, "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto result = RunProcess(c.argv, c.stdin_text, milliseconds(10000));
    REQUIRE_MESSAGE(result.ok(), result.status().ToString());
    CHECK(result->exit_code == c.exit_code);
    CHECK(result->stdout_text == c.stdout_text);
    CHECK(result->stderr_text == c.stderr_text);
  }
}

TEST_CASE("RunProcess reports failures as kIo errors") {
  struct Case {
    std::string name;
    std::vector<std::string> argv;
    milliseconds timeout;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"missing program",
       {"docker-credential-foo", "get"},
       milliseconds(5000),
       "cannot run docker-credential-foo: not found in PATH"},
      {"missing path", {"/nonexistent/helper"}, milliseconds(5000), "no such file"},
      {"timeout", {"sleep", "5"}, milliseconds(200), "timed out after 200 ms"},
      {"stdout cap",
       {"head", "-c", "2000000", "/dev/zero"},
       milliseconds(10000),
       "exceeds 1048576"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto start = std::chrono::steady_clock::now();
    auto result = RunProcess(c.argv, "", c.timeout);
    auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().code() == StatusCode::kIo);
    CHECK_MESSAGE(result.status().message().find(c.message) != std::string::npos,
                  result.status().message());
    CHECK(elapsed < c.timeout + milliseconds(2000));
  }
}

int FailingPoll(::pollfd*, nfds_t, int) {
  errno = ENOMEM;
  return -1;
}

TEST_CASE("RunProcess kills and reaps the program when poll() fails") {
  SetPollFunctionForTesting(FailingPoll);
  const auto start = std::chrono::steady_clock::now();
  Result<ProcessResult> run = RunProcess({"sleep", "30"}, "", milliseconds(60000));
  SetPollFunctionForTesting(nullptr);
  CHECK(run.status().code() == StatusCode::kIo);
  CHECK(run.status().message() == "cannot wait for sleep: Cannot allocate memory");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // No child is left, running or as a zombie.
  int status = 0;
  CHECK(::waitpid(-1, &status, WNOHANG) == -1);
  CHECK(errno == ECHILD);
}

TEST_CASE("RunProcess rejects an empty command") {
  auto result = RunProcess({}, "");
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("RealProcesses() is RunProcess behind the ProcessRunner interface") {
  ProcessRunner& runner = RealProcesses();
  auto result = runner.Run({"sh", "-c", "cat; echo err >&2; exit 4"}, "in", milliseconds(10000));
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  CHECK(result->exit_code == 4);
  CHECK(result->stdout_text == "in");
  CHECK(result->stderr_text == "err\n");
  CHECK(runner.Run({}, "", milliseconds(1000)).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace regdigest
