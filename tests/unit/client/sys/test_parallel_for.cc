// Tests for client/sys/parallel_for.h: every index runs once; a thread that
// cannot be started or a worker that throws never terminates the process.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "client/sys/parallel_for.h"

namespace regdigest {
namespace {

TEST_CASE("ParallelFor runs every index exactly once") {
  for (std::size_t threads : {0, 1, 3, 8, 100}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> runs(37);
    ParallelFor(0, runs.size(), threads, [&](std::size_t i) { ++runs[i]; });
    for (const std::atomic<int>& count : runs) CHECK(count.load() == 1);
  }
}

TEST_CASE("ParallelFor: a thread that cannot start leaves its work to the others") {
  struct Case {
    int starts_allowed;  // threads started before std::system_error (EAGAIN)
  };
  for (const Case c : {Case{0}, Case{1}, Case{5}}) {
    CAPTURE(c.starts_allowed);
    std::vector<std::atomic<int>> runs(50);
    int started = 0;
    ParallelForWith(
        0, runs.size(), 16, [&](std::size_t i) { ++runs[i]; },
        [&](const auto& body) {
          if (started == c.starts_allowed) {
            throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                                    "thread");
          }
          ++started;
          return std::thread(body);
        });
    CHECK(started == c.starts_allowed);
    for (const std::atomic<int>& count : runs) CHECK(count.load() == 1);
  }
}

TEST_CASE("ParallelFor: an exception in a worker is rethrown in the caller after the join") {
  for (std::size_t threads : {1, 4}) {
    CAPTURE(threads);
    std::atomic<int> ran{0};
    CHECK_THROWS_WITH_AS(ParallelFor(0, 1000, threads,
                                     [&](std::size_t i) {
                                       ++ran;
                                       if (i == 3) throw std::runtime_error("worker failed");
                                     }),
                         "worker failed", std::runtime_error);
    CHECK(ran.load() < 1000);  // handing out stopped at the failure
  }
}

TEST_CASE("ParallelFor: a failure in a nested pool reaches the outer caller") {
  CHECK_THROWS_AS(ParallelFor(0, 4, 4,
                              [](std::size_t outer) {
                                ParallelFor(0, 4, 2, [&](std::size_t inner) {
                                  if (outer == 2 && inner == 1) throw std::logic_error("nested");
                                });
                              }),
                  std::logic_error);
}

}  // namespace
}  // namespace regdigest
