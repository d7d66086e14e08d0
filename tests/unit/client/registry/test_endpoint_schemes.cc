// EndpointSchemes (client/registry/endpoint_schemes.h): which scheme a
// loopback or insecure endpoint speaks is found by one request and remembered;
// concurrent first requests wait for that one instead of probing too.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/registry/endpoint_schemes.h"

namespace regdigest {
namespace {

Endpoint Fallback(const std::string& authority) {
  Endpoint endpoint;
  endpoint.scheme = "https";
  endpoint.authority = authority;
  endpoint.http_fallback = true;
  return endpoint;
}

Result<HttpResponse> Answer(const std::string& base_url) {
  HttpResponse response;
  response.status = 200;
  response.url = base_url;
  return response;
}

const Status kPlainText =
    Status(StatusCode::kTransport, "answered the TLS handshake in plain HTTP").WithOsErrno(EPROTO);
const Status kRefused =
    Status(StatusCode::kTransport, "connection refused").WithOsErrno(ECONNREFUSED);

TEST_CASE("EndpointSchemes probes a plain-http endpoint once for many concurrent requests") {
  EndpointSchemes schemes;
  const Endpoint endpoint = Fallback("127.0.0.1:5000");
  std::mutex mu;
  std::vector<std::string> sent;
  constexpr int kThreads = 32;
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto result = schemes.RoundTrip(endpoint, [&](const std::string& base, bool) {
        {
          std::lock_guard lock(mu);
          sent.push_back(base);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return base.starts_with("https") ? Result<HttpResponse>(kPlainText) : Answer(base);
      });
      if (result.ok() && result->url == "http://127.0.0.1:5000") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == kThreads);
  REQUIRE(sent.size() == kThreads + 1);  // one https attempt in all
  CHECK(std::count(sent.begin(), sent.end(), "https://127.0.0.1:5000") == 1);
  CHECK(schemes.BaseUrl(endpoint) == "http://127.0.0.1:5000");
}

TEST_CASE("EndpointSchemes: what the https attempt decides") {
  struct Case {
    const char* name;
    std::string authority;
    bool fallback;
    Status https;                   // ok: an HTTP answer
    std::vector<std::string> sent;  // base URL, then " probe" for a no-retry attempt
    std::string remembered;
  };
  const std::vector<Case> cases = {
      {"TLS server",
       "127.0.0.1:5000",
       true,
       Status::Ok(),
       {"https://127.0.0.1:5000"},
       "https://127.0.0.1:5000"},
      {"plain http server",
       "127.0.0.1:5000",
       true,
       kPlainText,
       {"https://127.0.0.1:5000", "http://127.0.0.1:5000"},
       "http://127.0.0.1:5000"},
      {"refused on the same port: the registry is down, nothing remembered",
       "127.0.0.1:5000",
       true,
       kRefused,
       {"https://127.0.0.1:5000"},
       "https://127.0.0.1:5000"},
      {"refused on 443, http on 80",
       "localhost",
       true,
       kRefused,
       {"https://localhost probe", "http://localhost"},
       "http://localhost"},
      {"no fallback configured",
       "reg.example.com",
       false,
       kPlainText,
       {"https://reg.example.com"},
       "https://reg.example.com"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      EndpointSchemes schemes;
      Endpoint endpoint = Fallback(c.authority);
      endpoint.http_fallback = c.fallback;
      std::vector<std::string> sent;
      auto send = [&](const std::string& base, bool probe) -> Result<HttpResponse> {
        sent.push_back(base + (probe ? " probe" : ""));
        if (base.starts_with("https") && !c.https.ok()) return c.https;
        return Answer(base);
      };
      (void)schemes.RoundTrip(endpoint, send);
      CHECK(sent == c.sent);
      CHECK(schemes.BaseUrl(endpoint) == c.remembered);
    }
  }
}

TEST_CASE("EndpointSchemes tries again after a probe that decided nothing") {
  EndpointSchemes schemes;
  const Endpoint endpoint = Fallback("127.0.0.1:5000");
  bool up = false;
  std::vector<std::string> sent;
  auto send = [&](const std::string& base, bool) -> Result<HttpResponse> {
    sent.push_back(base);
    if (!up) return kRefused;
    return base.starts_with("https") ? Result<HttpResponse>(kPlainText) : Answer(base);
  };
  CHECK_FALSE(schemes.RoundTrip(endpoint, send).ok());
  up = true;
  CHECK(schemes.RoundTrip(endpoint, send).ok());
  CHECK(schemes.RoundTrip(endpoint, send).ok());
  CHECK(sent == std::vector<std::string>{"https://127.0.0.1:5000", "https://127.0.0.1:5000",
                                         "http://127.0.0.1:5000", "http://127.0.0.1:5000"});
}

}  // namespace
}  // namespace regdigest
