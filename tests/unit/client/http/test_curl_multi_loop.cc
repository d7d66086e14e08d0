// Tests for CurlMultiLoop (client/curl_multi_loop.h): transfers from many
// threads run concurrently on one multi handle and share its connections.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
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

// Holds each request until `want` requests are in hand at once (or a
// deadline passes), and records the most seen together. No sleep decides the
// outcome: on a loaded machine the threads may start late, the handler waits.
class Gate {
 public:
  explicit Gate(int want) : want_(want) {}
  std::string Hold() {
    std::unique_lock<std::mutex> lock(mutex_);
    most_ = std::max(most_, ++in_hand_);
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(10), [this] { return in_hand_ >= want_; });
    return Reply("200 OK", "", "held");
  }
  // Before each burst: the next requests wait again.
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    in_hand_ = 0;
  }
  int most() {
    std::lock_guard<std::mutex> lock(mutex_);
    return most_;
  }

 private:
  const int want_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int in_hand_ = 0;
  int most_ = 0;
};

// `n` transfers from `n` threads, each held by the server until all are in.
int Burst(CurlMultiLoop& loop, LoopbackServer& server, Gate& gate, int n) {
  gate.Reset();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    threads.emplace_back([&] {
      std::string body;
      if (Get(loop, server.Url("/held"), &body) == CURLE_OK && body == "held") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  return good;
}

TEST_CASE("CurlMultiLoop runs transfers concurrently, not one after another") {
  // Transfers run one after another would each wait out the gate's deadline
  // alone: most would be 1.
  Gate gate(4);
  LoopbackServer server([&](const SeenRequest&) { return gate.Hold(); });
  CurlMultiLoop loop;
  CHECK(Burst(loop, server, gate, 4) == 4);
  CHECK(gate.most() == 4);  // the server had all four requests in hand at once
}

TEST_CASE("CurlMultiLoop keeps a burst's connections through a lull") {
  // libcurl's default cache size is 4 per transfer in the multi handle when
  // one finishes: lone transfers after a burst of 8 closed 4 of its 8
  // connections, and the next burst opened new ones.
  Gate gate(8);
  LoopbackServer server([&](const SeenRequest& r) {
    return PathOf(r) == "/held" ? gate.Hold() : Reply("200 OK", "", "lone");
  });
  CurlMultiLoop loop;
  REQUIRE(Burst(loop, server, gate, 8) == 8);
  REQUIRE(server.connections() == 8);
  for (int i = 0; i < 8; ++i) {
    std::string body;
    CHECK(Get(loop, server.Url("/lone"), &body) == CURLE_OK);
  }
  CHECK(Burst(loop, server, gate, 8) == 8);
  CHECK(gate.most() == 8);
  CHECK(server.requests().size() == 24);
  CHECK(server.connections() == 8);
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

TEST_CASE("CurlMultiLoop ends on a failing poll: an error to every waiter, no spinning") {
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "fine"); });
  std::atomic<int> polls{0};
  // The first poll fails as a broken multi handle would, every time.
  CurlMultiLoop loop([&](CURLM*, int) {
    ++polls;
    return CURLM_INTERNAL_ERROR;
  });
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::vector<CURLcode> results(kThreads, CURLE_OK);
  std::vector<std::string> bodies(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = Get(loop, server.Url("/"), &bodies[t]); });
  }
  for (auto& thread : threads) thread.join();
  // Each transfer either finished before the poll or got the loop's error;
  // none is left waiting, and the loop polled once and stopped.
  for (int t = 0; t < kThreads; ++t) {
    CAPTURE(t);
    CHECK((results[t] == CURLE_OK || results[t] == CURLE_FAILED_INIT));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(polls == 1);
  // Later transfers run on their caller's thread and still work.
  std::string after;
  CHECK(Get(loop, server.Url("/"), &after) == CURLE_OK);
  CHECK(after == "fine");
  CHECK(polls == 1);
}

TEST_CASE("CurlMultiLoop runs transfers on the caller's thread when the loop thread cannot start") {
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "fine"); });
  std::atomic<int> starts{0};
  CurlMultiLoop loop(
      [](CURLM* multi, int timeout_ms) {
        return curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
      },
      [&](std::function<void()>) -> std::thread {
        ++starts;
        throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
      });
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    std::string body;
    CHECK(Get(loop, server.Url("/"), &body) == CURLE_OK);
    CHECK(body == "fine");
  }
  // One failed start marks the loop broken; it is not retried per transfer.
  CHECK(starts == 1);
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
