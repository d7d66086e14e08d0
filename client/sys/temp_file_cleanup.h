// Removes in-flight temporary files when the process is stopped by SIGINT or
// SIGTERM: WriteFileAtomic registers its temp file for the time it exists, and
// a handler (installed when a file is tracked, for each signal whose action
// is still the default) unlinks every registered file and then re-raises the
// signal with its default action (so the exit status still says "killed by
// SIGTERM"). A signal whose disposition is not the default
// (ignored, or handled by someone else) is left alone.
//
// Thread safety: registration is lock-free (a fixed table of slots claimed
// with atomics) and the handler is async-signal-safe; any thread may register.
#pragma once

#include <string>

namespace regdigest {

// The most temp files tracked at once; further ones are simply not tracked.
inline constexpr int kMaxTrackedTempFiles = 32;

// Tracks `path` while it lives. Installs the handlers the first time.
class ScopedTempFileCleanup {
 public:
  explicit ScopedTempFileCleanup(const std::string& path);
  ~ScopedTempFileCleanup();  // stops tracking (does not unlink)
  ScopedTempFileCleanup(const ScopedTempFileCleanup&) = delete;
  ScopedTempFileCleanup& operator=(const ScopedTempFileCleanup&) = delete;

  bool tracked() const { return slot_ >= 0; }

 private:
  int slot_ = -1;
};

// How many paths are tracked now (for tests).
int TrackedTempFileCount();

}  // namespace regdigest
