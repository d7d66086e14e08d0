// AttemptTransport: a Transport that, when a request fails without an HTTP
// answer, also says whether the failure may pass if the same request is sent
// again (connection refused or reset, timeout, transfer cut short) or will
// not (unknown host, TLS verification, size caps, invalid request). The
// retry layer (client/retry_transport.h) sits on one; CurlTransport is one.
#pragma once

#include "client/http/http.h"
#include "common/base/status.h"

namespace regdigest {

class AttemptTransport : public Transport {
 public:
  // Like RoundTrip. On failure, *transient is true when another attempt may
  // succeed; it is left false for a successful result.
  virtual Result<HttpResponse> Attempt(const HttpRequest& request, bool* transient) = 0;

  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    bool transient = false;
    return Attempt(request, &transient);
  }
};

}  // namespace regdigest
