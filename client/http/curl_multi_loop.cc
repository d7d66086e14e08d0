#include "client/http/curl_multi_loop.h"

#include <condition_variable>
#include <system_error>
#include <unordered_map>

#include "client/http/curl_handle.h"

namespace regdigest {
namespace {

// How long the loop sleeps when nothing happens; a new transfer or the
// destructor wakes it at once (curl_multi_wakeup), and libcurl's own timers
// (timeouts, retries of a connect) shorten the wait as needed.
constexpr int kIdlePollMs = 1000;

// Idle connections the shared cache keeps. libcurl's default is 4 times the
// number of transfers in the multi handle at the moment one finishes, so a
// lull after a burst (one transfer left) closed all but 4 of the burst's
// connections, and the next burst opened (and TLS-negotiated) them again.
// A fixed size at least the most requests ever in flight (64 per registry,
// kMaxConcurrency) keeps them for reuse.
constexpr long kMaxCachedConnections = 256;

CURLcode FromMultiCode(CURLMcode code) {
  return code == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
}

}  // namespace

// One Perform call: lives on the caller's stack until `done` is set. Its own
// condition variable, so a finished transfer wakes its caller only; it is
// notified under the loop's mutex, so the caller (who must take that mutex
// to return) cannot destroy it mid-notify.
struct CurlMultiLoop::Transfer {
  CURL* easy = nullptr;
  CURLcode result = CURLE_OK;
  bool done = false;
  std::condition_variable finished;
};

CurlMultiLoop::CurlMultiLoop()
    : CurlMultiLoop([](CURLM* multi, int timeout_ms) {
        return curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
      }) {}

CurlMultiLoop::CurlMultiLoop(PollFunction poll, ThreadStarter start)
    : poll_(std::move(poll)), start_(std::move(start)) {
  if (!start_) {
    start_ = [](std::function<void()> run) { return std::thread(std::move(run)); };
  }
  EnsureCurlGlobalInit();
  multi_ = curl_multi_init();
  if (multi_ != nullptr) {
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, kMaxCachedConnections);
  }
}

CurlMultiLoop::~CurlMultiLoop() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_);
    thread_.join();
  }
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

CURLcode CurlMultiLoop::Perform(CURL* easy) {
  // Without a multi handle or a thread, each transfer runs on its caller's
  // thread: still correct, only without the shared connection cache.
  if (multi_ == nullptr) return curl_easy_perform(easy);
  Transfer transfer;
  transfer.easy = easy;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_) {
      started_ = true;
      try {
        thread_ = start_([this] { Run(); });
      } catch (const std::system_error&) {
        broken_ = true;  // no loop thread: every transfer runs on its caller's
      }
    }
    if (broken_) {
      // The loop thread has ended: run on this thread (no shared connections).
      transfer.done = true;
    } else {
      queued_.push_back(&transfer);
    }
  }
  if (transfer.done) return curl_easy_perform(easy);
  curl_multi_wakeup(multi_);
  std::unique_lock<std::mutex> lock(mutex_);
  transfer.finished.wait(lock, [&transfer] { return transfer.done; });
  return transfer.result;
}

void CurlMultiLoop::Complete(Transfer* transfer, CURLcode result) {
  std::lock_guard<std::mutex> lock(mutex_);
  transfer->result = result;
  transfer->done = true;
  transfer->finished.notify_one();
}

void CurlMultiLoop::Run() {
  std::unordered_map<CURL*, Transfer*> in_flight;
  for (;;) {
    std::deque<Transfer*> incoming;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ && queued_.empty() && in_flight.empty()) return;
      incoming.swap(queued_);
    }
    for (Transfer* transfer : incoming) {
      CURLMcode added = curl_multi_add_handle(multi_, transfer->easy);
      if (added == CURLM_OK) {
        in_flight.emplace(transfer->easy, transfer);
      } else {
        Complete(transfer, FromMultiCode(added));
      }
    }

    int running = 0;
    CURLMcode performed = curl_multi_perform(multi_, &running);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      // Copy before removing: the message is freed with the handle's removal.
      CURL* easy = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, easy);
      if (auto it = in_flight.find(easy); it != in_flight.end()) {
        Complete(it->second, result);
        in_flight.erase(it);
      }
    }
    CURLMcode failed = performed;
    if (failed == CURLM_OK) failed = poll_(multi_, kIdlePollMs);
    if (failed != CURLM_OK) {
      // The multi handle is broken: fail what is queued or in flight rather
      // than leave callers waiting, and end the thread rather than spin on a
      // poll that fails at once. Later transfers run on their own threads.
      for (auto& [easy, transfer] : in_flight) {
        curl_multi_remove_handle(multi_, easy);
        Complete(transfer, FromMultiCode(failed));
      }
      std::deque<Transfer*> waiting;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        broken_ = true;
        waiting.swap(queued_);
      }
      for (Transfer* transfer : waiting) Complete(transfer, FromMultiCode(failed));
      return;
    }
  }
}

}  // namespace regdigest
