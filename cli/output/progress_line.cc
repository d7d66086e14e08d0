#include "cli/output/progress_line.h"

#include <cstdio>

namespace regdigest {

void ProgressLine::Update(std::size_t done, std::size_t total, std::size_t failed) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::fprintf(stderr, "\rresolved %zu/%zu (%.1f/s), %zu failed\033[K", done, total, rate, failed);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace regdigest
