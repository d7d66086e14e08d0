// CurlMultiLoop: one libcurl multi handle driven by its own thread, so that
// transfers started from many threads share one connection cache. Requests
// to the same origin then reuse connections whichever thread sends them, and
// over HTTP/2 they run as concurrent streams of one connection (multiplexing)
// instead of one connection per thread. Used only by CurlTransport.
#pragma once

#include <curl/curl.h>

#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace regdigest {

class CurlMultiLoop {
 public:
  // How the loop waits for activity: curl_multi_poll(multi, nullptr, 0,
  // timeout_ms, nullptr) unless a test injects a failure.
  using PollFunction = std::function<CURLMcode(CURLM* multi, int timeout_ms)>;

  // How the loop thread is started: std::thread unless a test injects a
  // failure (std::thread throws std::system_error when the system cannot
  // start one).
  using ThreadStarter = std::function<std::thread(std::function<void()> run)>;

  CurlMultiLoop();
  explicit CurlMultiLoop(PollFunction poll, ThreadStarter start = nullptr);
  // Stops and joins the loop thread. No Perform may be running.
  ~CurlMultiLoop();
  CurlMultiLoop(const CurlMultiLoop&) = delete;
  CurlMultiLoop& operator=(const CurlMultiLoop&) = delete;

  // Runs one fully configured easy handle to completion on the loop thread
  // and returns its result, like curl_easy_perform. Blocks the caller; safe
  // to call from any number of threads at once. The handle's callbacks run
  // on the loop thread while the caller waits. If the multi handle fails
  // (curl_multi_perform or curl_multi_poll reports an error), every transfer
  // queued or in flight gets an error (CURLE_OUT_OF_MEMORY or
  // CURLE_FAILED_INIT), the loop thread ends rather than spin, and later
  // transfers run on their caller's thread (curl_easy_perform). If the loop
  // thread cannot be started (std::system_error), the loop is marked broken
  // at once and every transfer runs on its caller's thread: slower to set up
  // connections, but the request still gets its real answer.
  CURLcode Perform(CURL* easy);

 private:
  struct Transfer;

  void Run();
  void Complete(Transfer* transfer, CURLcode result);

  CURLM* multi_ = nullptr;
  PollFunction poll_;
  ThreadStarter start_;
  std::mutex mutex_;  // guards queued_, stopping_, broken_, started_, thread_ and each `done`
  std::deque<Transfer*> queued_;  // waiting to be added by the loop thread
  bool stopping_ = false;
  bool broken_ = false;   // the loop thread ended on a multi handle error
  bool started_ = false;  // the first Perform tried to start the thread
  std::thread thread_;
};

}  // namespace regdigest
