#include "client/http/curl_handle.h"

#include <cstdlib>

namespace regdigest {

void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) std::abort();
  });
}

bool CurlHeaderList::Append(const char* line) {
  curl_slist* appended = curl_slist_append(list_.get(), line);
  if (appended == nullptr) return false;
  // curl_slist_append returns the head of the list, which only changes when
  // the list was empty.
  if (!list_) list_.reset(appended);
  return true;
}

CurlShare::CurlShare() {
  EnsureCurlGlobalInit();
  share_ = curl_share_init();
  if (share_ == nullptr) return;  // easy handles then simply do not share
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::Lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::Unlock);
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

CurlShare::~CurlShare() {
  if (share_ != nullptr) curl_share_cleanup(share_);
}

void CurlShare::Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<CurlShare*>(self)->mutexes_[data].lock();
}

void CurlShare::Unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlShare*>(self)->mutexes_[data].unlock();
}

}  // namespace regdigest
