// Tests for CurlMultiLoop (client/curl_multi_loop.h): transfers from many
// threads run concurrently on one multi handle and share its connections.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "client/http/curl_handle.h"
#include "client/http/curl_multi_loop.h"
#include "tests/unit/fakes/loopback_http_server.h"

namespace regdigest {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// One GET with its own easy handle through `loop`; the body goes to *body.
CURLcode Get(CurlMultiLoop& loop, const std::string& url, std::string* body) {
  CurlEasyPtr easy(curl_easy_init());
  REQUIRE(easy);
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, body);
  return loop.Perform(easy.get());
}

std::string PathOf(const SeenRequest& request) {
  const std::size_t start = request.head.find(' ') + 1;
  return request.head.substr(start, request.head.find(' ', start) - start);
}

TEST_CASE("CurlMultiLoop runs transfers from many threads and returns each its result") {
  struct Case {
    const char* name;
    int threads;
    int per_thread;
  };
  const Case cases[] = {
      {"one thread, one transfer", 1, 1},
      {"one thread, many transfers", 1, 20},
      {"many threads at once", 8, 10},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      LoopbackServer server([](const SeenRequest& r) { return Reply("200 OK", "", PathOf(r)); });
      CurlMultiLoop loop;
      std::atomic<int> good{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < c.threads; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < c.per_thread; ++i) {
            const std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
            std::string body;
            if (Get(loop, server.Url(path), &body) == CURLE_OK && body == path) ++good;
          }
        });
      }
      for (auto& thread : threads) thread.join();
      CHECK(good == c.threads * c.per_thread);
      CHECK(static_cast<int>(server.requests().size()) == c.threads * c.per_thread);
      CHECK(server.connections() <= c.threads);  // HTTP/1.1: one per transfer in flight at most
    }
  }
}

TEST_CASE("CurlMultiLoop shares one connection cache between easy handles and threads") {
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "ok"); });
  CurlMultiLoop loop;
  // One after another, each from a new thread with a new easy handle: only the
  // multi handle's connection cache can carry the connection over.
  for (int i = 0; i < 5; ++i) {
    std::thread([&] {
      std::string body;
      CHECK(Get(loop, server.Url("/v2/"), &body) == CURLE_OK);
      CHECK(body == "ok");
    }).join();
  }
  CHECK(server.requests().size() == 5);
  CHECK(server.connections() == 1);
}

TEST_CASE("CurlMultiLoop runs transfers concurrently, not one after another") {
  std::atomic<int> in_handler{0};
  std::atomic<int> most{0};
  LoopbackServer server([&](const SeenRequest&) {
    const int now = ++in_handler;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    --in_handler;
    return Reply("200 OK", "", "slow");
  });
  CurlMultiLoop loop;
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::string body;
      if (Get(loop, server.Url("/slow"), &body) == CURLE_OK && body == "slow") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 4);
  CHECK(most.load() >= 2);  // the server had several requests in hand at once
}

TEST_CASE("CurlMultiLoop reports a failed transfer's own error") {
  struct Case {
    const char* name;
    std::string url;
    CURLcode expected;
  };
  // A port that was just free: nothing listens there.
  int closed_port = 0;
  {
    LoopbackServer probe([](const SeenRequest&) { return Reply("200 OK", "", ""); });
    closed_port = probe.port();
  }
  const Case cases[] = {
      {"connection refused", "http://127.0.0.1:" + std::to_string(closed_port) + "/",
       CURLE_COULDNT_CONNECT},
      {"unsupported scheme", "nope://127.0.0.1/", CURLE_UNSUPPORTED_PROTOCOL},
  };
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "fine"); });
  CurlMultiLoop loop;
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      std::string body;
      CHECK(Get(loop, c.url, &body) == c.expected);
      // The loop goes on serving other transfers after a failure.
      std::string after;
      CHECK(Get(loop, server.Url("/"), &after) == CURLE_OK);
      CHECK(after == "fine");
    }
  }
}

TEST_CASE("CurlMultiLoop can be destroyed unused, idle or right after a transfer") {
  { CurlMultiLoop unused; }
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "x"); });
  for (int i = 0; i < 10; ++i) {
    CurlMultiLoop loop;
    std::string body;
    CHECK(Get(loop, server.Url("/"), &body) == CURLE_OK);
  }
  CHECK(server.requests().size() == 10);
}

}  // namespace
}  // namespace regdigest
