// ParallelFor: runs work(i) for every i in [begin, end) on up to `threads`
// threads (the caller's included), handing out indexes one at a time.
// The worker pool behind bulk resolve, resolve --platform and compare.
// Never terminates the process: a thread that cannot be started (EAGAIN at
// about a thousand threads) leaves its share to the threads that did start
// (at worst the caller's alone); an exception thrown by `work` stops the
// handing out of indexes and is rethrown in the caller once every thread has
// been joined (cli/main.cc reports it and exits 3).
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace regdigest {

// The same, starting each extra thread with start(body) -> std::thread (a
// seam: tests inject a starter that throws std::system_error).
template <typename Work, typename Starter>
void ParallelForWith(std::size_t begin, std::size_t end, std::size_t threads, Work work,
                     Starter start) {
  if (begin >= end) return;
  std::atomic<std::size_t> next{begin};
  std::mutex failure_mutex;
  std::exception_ptr failure;  // the first exception thrown by work
  auto worker = [&] {
    try {
      for (std::size_t i = next++; i < end; i = next++) work(i);
    } catch (...) {
      next = end;  // hand out nothing more
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  threads = std::clamp<std::size_t>(threads, 1, end - begin);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      pool.push_back(start(worker));
    } catch (const std::system_error& error) {
      spdlog::warn("could not start a worker thread ({}); going on with {}", error.what(),
                   pool.size() + 1);
      break;
    }
  }
  worker();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

template <typename Work>
void ParallelFor(std::size_t begin, std::size_t end, std::size_t threads, Work work) {
  ParallelForWith(begin, end, threads, std::move(work),
                  [](const auto& body) { return std::thread(body); });
}

}  // namespace regdigest
