// RAII owners for libcurl handles (easy handle, header list, share object)
// and the once-per-process curl_global_init. Used only by CurlTransport.
#pragma once

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>

namespace regdigest {

// Calls curl_global_init exactly once per process, thread-safely. Never
// cleaned up: other threads may still use libcurl while the process exits.
void EnsureCurlGlobalInit();

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// A curl_slist built by appending; freed with the object.
class CurlHeaderList {
 public:
  // False when libcurl could not allocate.
  bool Append(const char* line);
  curl_slist* get() const { return list_.get(); }

 private:
  std::unique_ptr<curl_slist, CurlSlistDeleter> list_;
};

// A CURLSH sharing the DNS cache and TLS sessions between easy handles, with
// one mutex per shared data kind so handles may run on different threads.
// (Connections are not shared through it: libcurl documents that sharing the
// connection cache between concurrent threads is unsafe; CurlTransport runs
// https transfers on one multi handle instead, see client/curl_multi_loop.h.)
class CurlShare {
 public:
  CurlShare();
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  CURLSH* get() const { return share_; }

 private:
  static void Lock(CURL* handle, curl_lock_data data, curl_lock_access access, void* self);
  static void Unlock(CURL* handle, curl_lock_data data, void* self);

  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
};

}  // namespace regdigest
