// Tests for DockerCredentialStore::Lookup from several threads: a slow
// credential helper for one registry must not delay another registry, and
// concurrent lookups of one registry run its helper once.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/auth/credential_store.h"
#include "tests/unit/fakes/fake_system.h"

namespace regdigest {
namespace {

using namespace std::chrono_literals;
using testing::Exited;
using testing::FakeFileSystem;

constexpr const char* kPath = "/home/u/.docker/config.json";

// docker-credential-slow blocks until released; docker-credential-fast answers
// at once. Thread-safe.
class GatedRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const std::vector<std::string>& argv, std::string_view stdin_text,
                            std::chrono::milliseconds /*timeout*/) override {
    const std::string server(stdin_text);
    if (argv.at(0) == "docker-credential-slow") {
      ++slow_calls;
      slow_entered.set_value();
      release.wait();
      return Exited(0, R"({"ServerURL": ")" + server + R"(", "Username": "s", "Secret": "p"})");
    }
    return Exited(0, R"({"ServerURL": ")" + server + R"(", "Username": "f", "Secret": "p"})");
  }

  std::atomic<int> slow_calls{0};
  std::promise<void> slow_entered;
  std::shared_future<void> release;
};

TEST_CASE("DockerCredentialStore::Lookup: a slow helper holds up only its own registry") {
  FakeFileSystem files;
  files.files[kPath] = {R"({"credHelpers": {"slow.example": "slow", "fast.example": "fast"}})",
                        0600};
  std::promise<void> release;
  GatedRunner runner;
  runner.release = release.get_future().share();
  std::future<void> entered = runner.slow_entered.get_future();
  DockerCredentialStore store(kPath, files, runner);

  auto slow = std::async(std::launch::async, [&] { return store.Lookup("slow.example"); });
  REQUIRE(entered.wait_for(10s) == std::future_status::ready);
  // A second lookup of the slow registry waits for the first one's answer...
  auto slow_again = std::async(std::launch::async, [&] { return store.Lookup("slow.example"); });
  // ...while another registry is answered although the slow helper still runs.
  auto fast = std::async(std::launch::async, [&] { return store.Lookup("fast.example"); });
  // Releases the slow helper when the test ends, even after a failed REQUIRE,
  // before the futures above wait for their threads.
  struct Releaser {
    std::promise<void>& promise;
    bool released = false;
    void Release() {
      if (!released) promise.set_value();
      released = true;
    }
    ~Releaser() { Release(); }
  } releaser{release};
  REQUIRE(fast.wait_for(10s) == std::future_status::ready);
  Result<std::optional<AuthEntry>> fast_answer = fast.get();
  REQUIRE(fast_answer.ok());
  CHECK((*fast_answer)->username == "f");
  CHECK(slow.wait_for(0s) == std::future_status::timeout);

  releaser.Release();
  Result<std::optional<AuthEntry>> first = slow.get();
  Result<std::optional<AuthEntry>> second = slow_again.get();
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK((*first)->username == "s");
  CHECK((*second)->username == "s");
  CHECK(runner.slow_calls == 1);
}

}  // namespace
}  // namespace regdigest
