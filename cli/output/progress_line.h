// ProgressLine: "resolved 120/500 (35.2/s), 2 failed" on one stderr line for
// long runs, rewritten in place at most every 100 ms; Clear() removes it before
// results are printed. Silent when disabled (stderr not a terminal, --quiet).
#pragma once

#include <chrono>
#include <cstddef>

namespace regdigest {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  // Shows the counts; always when done == total, else at most every 100 ms.
  void Update(std::size_t done, std::size_t total, std::size_t failed);
  // Erases the line if it is shown (it comes back with the next Update).
  void Clear();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

}  // namespace regdigest
