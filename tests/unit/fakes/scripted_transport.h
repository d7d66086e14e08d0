// ScriptedTransport: a Transport for unit tests that answers each request
// with a function and records every request it saw. Not thread-safe.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "client/http/http.h"

namespace regdigest::testing {

// Answers each request with the function given; records what it saw.
class ScriptedTransport : public Transport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit ScriptedTransport(Handler handler) : handler_(std::move(handler)) {}
  Result<HttpResponse> RoundTrip(const HttpRequest& request) override {
    requests.push_back(request);
    return handler_(request);
  }
  std::vector<HttpRequest> requests;

 private:
  Handler handler_;
};

}  // namespace regdigest::testing
