// ParallelFor: runs work(i) for every i in [begin, end) on up to `threads`
// threads (the caller's included), handing out indexes one at a time.
// The worker pool behind bulk resolve, resolve --platform and compare.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace regdigest {

template <typename Work>
void ParallelFor(std::size_t begin, std::size_t end, std::size_t threads, Work work) {
  if (begin >= end) return;
  std::atomic<std::size_t> next{begin};
  auto worker = [&] {
    for (std::size_t i = next++; i < end; i = next++) work(i);
  };
  threads = std::clamp<std::size_t>(threads, 1, end - begin);
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
}

}  // namespace regdigest
