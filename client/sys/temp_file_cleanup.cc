#include "client/sys/temp_file_cleanup.h"

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace regdigest {
namespace {

enum SlotState : int { kFree = 0, kFilling = 1, kReady = 2 };

struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};

Slot g_slots[kMaxTrackedTempFiles];

void UnlinkTrackedAndReraise(int signal_number) {
  for (Slot& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) == kReady) ::unlink(slot.path);
  }
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(signal_number, &default_action, nullptr);
  // Pending until the handler returns (the signal is blocked while it runs),
  // then delivered with the default action.
  ::raise(signal_number);
}

void InstallHandlers() {
  for (int signal_number : {SIGINT, SIGTERM}) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    // Ours already, ignored, or someone else's: left as it is.
    if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = UnlinkTrackedAndReraise;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    ::sigaction(signal_number, &action, nullptr);
  }
}

}  // namespace

ScopedTempFileCleanup::ScopedTempFileCleanup(const std::string& path) {
  // Checked on every use (two sigaction calls), so a signal whose default
  // action was restored since is covered again.
  InstallHandlers();
  if (path.size() >= PATH_MAX) return;
  for (int i = 0; i < kMaxTrackedTempFiles; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kFilling, std::memory_order_acq_rel))
      continue;
    std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
    g_slots[i].state.store(kReady, std::memory_order_release);
    slot_ = i;
    return;
  }
}

ScopedTempFileCleanup::~ScopedTempFileCleanup() {
  if (slot_ >= 0) g_slots[slot_].state.store(kFree, std::memory_order_release);
}

int TrackedTempFileCount() {
  int count = 0;
  for (const Slot& slot : g_slots) count += slot.state.load() == kReady ? 1 : 0;
  return count;
}

}  // namespace regdigest
