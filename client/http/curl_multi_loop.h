// CurlMultiLoop: one libcurl multi handle driven by its own thread, so that
// transfers started from many threads share one connection cache. Requests
// to the same origin then reuse connections whichever thread sends them, and
// over HTTP/2 they run as concurrent streams of one connection (multiplexing)
// instead of one connection per thread. Used only by CurlTransport.
#pragma once

#include <curl/curl.h>

#include <deque>
#include <mutex>
#include <thread>

namespace regdigest {

class CurlMultiLoop {
 public:
  CurlMultiLoop();
  // Stops and joins the loop thread. No Perform may be running.
  ~CurlMultiLoop();
  CurlMultiLoop(const CurlMultiLoop&) = delete;
  CurlMultiLoop& operator=(const CurlMultiLoop&) = delete;

  // Runs one fully configured easy handle to completion on the loop thread
  // and returns its result, like curl_easy_perform. Blocks the caller; safe
  // to call from any number of threads at once. The handle's callbacks run
  // on the loop thread while the caller waits.
  CURLcode Perform(CURL* easy);

 private:
  struct Transfer;

  void Run();
  void Complete(Transfer* transfer, CURLcode result);

  CURLM* multi_ = nullptr;
  std::mutex mutex_;              // guards queued_, stopping_ and each Transfer's `done`
  std::deque<Transfer*> queued_;  // waiting to be added by the loop thread
  bool stopping_ = false;
  std::once_flag started_;
  std::thread thread_;
};

}  // namespace regdigest
