// Tests for CurlTransport (client/curl_transport.h) against a tiny HTTP/1.1
// server running on loopback (or a Unix socket) inside the test process
// (tests/unit/fakes/loopback_http_server.h).
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/http/curl_transport.h"
#include "tests/unit/fakes/log_capture.h"
#include "tests/unit/fakes/loopback_http_server.h"

namespace regdigest {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("CurlTransport exchanges requests with a loopback server") {
  const std::string digest = "sha256:" + std::string(64, 'a');
  struct Case {
    std::string name;
    std::string method;
    std::string body;
    std::string reply;
    int status;
    std::string response_body;
    std::vector<std::pair<std::string, std::vector<std::string>>> response_fields;
    std::vector<std::string> request_contains;
  };
  const std::vector<Case> cases = {
      {"GET with repeated header fields",
       "GET",
       "",
       Reply("200 OK",
             "Docker-Content-Digest: " + digest + "\r\nLink: <a>\r\nlink: <b>\r\nX-Empty:\r\n",
             "hello"),
       200,
       "hello",
       {{"Docker-Content-Digest", {digest}}, {"Link", {"<a>", "<b>"}}, {"X-Empty", {""}}},
       {"GET /v2/x HTTP/1.1\r\n", "Authorization: Bearer tok\r\n", "User-Agent: regdigest/"}},
      {"HEAD reads no body",
       "HEAD",
       "",
       "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
       200,
       "",
       {{"Content-Length", {"100"}}},
       {"HEAD /v2/x HTTP/1.1\r\n"}},
      {"error status is a response",
       "GET",
       "",
       Reply("404 Not Found", "", "{\"errors\":[]}"),
       404,
       "{\"errors\":[]}",
       {},
       {}},
      {"POST sends the body as is",
       "POST",
       "grant_type=password&scope=a%20b",
       Reply("200 OK", "", "{}"),
       200,
       "{}",
       {},
       {"POST /v2/x HTTP/1.1\r\n", "Content-Length: 31\r\n"}},
      {"PUT sends the body",
       "PUT",
       "data",
       Reply("201 Created", "", ""),
       201,
       "",
       {},
       {"PUT /v2/x HTTP/1.1\r\n"}},
      {"interim response headers are dropped",
       "GET",
       "",
       "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n" + Reply("200 OK", "X-Final: 2\r\n", "ok"),
       200,
       "ok",
       {{"X-Interim", {}}, {"X-Final", {"2"}}},
       {}},
      {"chunked body",
       "GET",
       "",
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
       200,
       "abcde",
       {},
       {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    LoopbackServer server([&](const SeenRequest&) { return c.reply; });
    CurlTransport transport(CurlOptions{});
    HttpRequest request;
    request.method = c.method;
    request.url = server.Url("/v2/x");
    request.body = c.body;
    request.headers.Add("Authorization", "Bearer tok");
    auto response = transport.RoundTrip(request);
    REQUIRE_MESSAGE(response.ok(), response.status().ToString());
    CHECK(response->status == c.status);
    CHECK(response->body == c.response_body);
    CHECK(response->url == request.url);
    for (const auto& [name, values] : c.response_fields) {
      CAPTURE(name);
      CHECK(response->headers.GetAll(name) == values);
    }
    auto seen = server.requests();
    REQUIRE(seen.size() == 1);
    for (const auto& text : c.request_contains) CHECK_MESSAGE(Contains(seen[0].head, text), text);
    CHECK(seen[0].body == c.body);
    CHECK_FALSE(Contains(seen[0].head, "Expect:"));
    CHECK_FALSE(Contains(seen[0].head, "x-www-form-urlencoded"));
    CHECK_FALSE(Contains(seen[0].head, "Accept-Encoding"));
  }
}

TEST_CASE("CurlTransport enforces size caps and timeouts") {
  struct Case {
    std::string name;
    std::string reply;
    int delay_ms;
    StatusCode code;
    std::string message;
    bool retryable;  // worth another attempt: Status::retryable()
  };
  const std::string big(100, 'x');
  std::string many_fields;
  for (int i = 0; i < 6; ++i) many_fields += "X-Field-" + std::to_string(i) + ": v\r\n";
  const std::vector<Case> cases = {
      {"body with Content-Length over the cap", Reply("200 OK", "", big), 0, StatusCode::kProtocol,
       "response body exceeds 10 bytes", false},
      {"chunked body over the cap",
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + big + "\r\n0\r\n\r\n", 0,
       StatusCode::kProtocol, "response body exceeds 10 bytes", false},
      {"close-delimited body over the cap", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big, 0,
       StatusCode::kProtocol, "response body exceeds 10 bytes", false},
      {"headers over the cap", Reply("200 OK", "X-Big: " + std::string(300, 'h') + "\r\n", ""), 0,
       StatusCode::kProtocol, "response headers exceed 200 bytes", false},
      {"more header fields than allowed", Reply("200 OK", many_fields, ""), 0,
       StatusCode::kProtocol, "more than 5 header fields", false},
      {"slow server", Reply("200 OK", "", ""), 800, StatusCode::kTransport,
       "timed out after 200 ms", true},
      {"body shorter than its Content-Length",
       "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nabc", 0,
       StatusCode::kTransport, "GET http://127.0.0.1:", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    LoopbackServer server([&](const SeenRequest&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(c.delay_ms));
      return c.reply;
    });
    CurlOptions options;
    options.max_body_bytes = 10;
    options.max_header_bytes = 200;
    options.max_header_fields = 5;
    options.timeout = std::chrono::milliseconds(200);
    CurlTransport transport(options);
    HttpRequest request;
    request.url = server.Url("/v2/");
    auto response = transport.RoundTrip(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == c.code);
    CHECK_MESSAGE(Contains(response.status().message(), c.message), response.status().message());
    CHECK(response.status().retryable() == c.retryable);
    CHECK(response.status().http_status() == 0);  // no HTTP answer
  }
}

int UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_CASE("CurlTransport reports requests that get no response") {
  LoopbackServer plain_http([](const SeenRequest&) { return Reply("200 OK", "", ""); }, "",
                            "HTTP/1.1 400 Bad Request\r\n\r\n");
  const std::string refused = "127.0.0.1:" + std::to_string(UnusedPort());
  struct Case {
    std::string name;
    std::string method;
    std::string url;
    std::string header_value;
    StatusCode code;
    std::vector<std::string> message;
    bool retryable;  // worth another attempt: Status::retryable()
  };
  const std::vector<Case> cases = {
      {"connection refused",
       "GET",
       "http://" + refused + "/v2/?X-Amz-Signature=s3cr3t",
       "",
       StatusCode::kTransport,
       {"connection refused", refused},
       true},
      {"TLS to a plain HTTP server",
       "GET",
       "https://127.0.0.1:" + std::to_string(plain_http.port()) + "/v2/",
       "",
       StatusCode::kTransport,
       {"https://127.0.0.1:" + std::to_string(plain_http.port()) +
        " answered the TLS handshake in plain HTTP"},
       false},
      {"not a URL", "GET", "not a url", "", StatusCode::kInvalidArgument, {}, false},
      {"unsupported scheme",
       "GET",
       "ftp://127.0.0.1/x",
       "",
       StatusCode::kInvalidArgument,
       {},
       false},
      {"empty URL", "GET", "", "", StatusCode::kInvalidArgument, {}, false},
      {"header injection",
       "GET",
       plain_http.Url("/v2/"),
       "a\r\nX-Evil: 1",
       StatusCode::kInvalidArgument,
       {"X-Test"},
       false},
      {"bad method",
       "GE T",
       plain_http.Url("/v2/"),
       "",
       StatusCode::kInvalidArgument,
       {"method"},
       false},
  };
  CurlTransport transport(CurlOptions{});
  for (const auto& c : cases) {
    CAPTURE(c.name);
    HttpRequest request;
    request.method = c.method;
    request.url = c.url;
    if (!c.header_value.empty()) request.headers.Add("X-Test", c.header_value);
    auto response = transport.RoundTrip(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == c.code);
    CHECK(response.status().retryable() == c.retryable);
    CHECK(response.status().http_status() == 0);  // no HTTP answer
    // Only the refused connection and the failed handshake record an OS error.
    const int want_errno = c.name == "connection refused"           ? ECONNREFUSED
                           : c.name == "TLS to a plain HTTP server" ? EPROTO
                                                                    : 0;
    CHECK(response.status().os_errno() == want_errno);
    for (const auto& text : c.message) {
      CHECK_MESSAGE(Contains(response.status().message(), text), response.status().message());
    }
    CHECK_FALSE(Contains(response.status().message(), "X-Evil"));
    CHECK_FALSE(Contains(response.status().message(), "s3cr3t"));  // no query in messages
  }
  CHECK(plain_http.connections() == 1);  // only the TLS case got as far as connecting
}

TEST_CASE("CurlTransport logs each exchange without the URL's query") {
  // A presigned storage URL carries its signature in the query, and a token
  // realm may carry a secret parameter: -vv shows the path, never the query.
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "ok"); });
  const std::string origin = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string refused = "http://127.0.0.1:" + std::to_string(UnusedPort());
  struct Case {
    std::string name;
    std::string url;
    std::string logged;  // the whole log, or its start for a failure
    bool fails = false;
  };
  const std::vector<Case> cases = {
      {"presigned blob URL", origin + "/blob?X-Amz-Signature=SECRET&X-Amz-Credential=KEY",
       "debug GET " + origin + "/blob -> 200 (HTTP/1.x)\n"},
      {"token realm with a secret parameter",
       origin + "/token?service=registry.test&client_secret=SECRET",
       "debug GET " + origin + "/token -> 200 (HTTP/1.x)\n"},
      {"failed request", refused + "/blob?X-Amz-Signature=SECRET",
       "debug GET " + refused + "/blob failed: ", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CurlTransport transport(CurlOptions{});
    HttpRequest request;
    request.url = c.url;
    LogCapture log;
    auto response = transport.RoundTrip(request);
    const std::string text = log.text();
    std::string
        debug;  // the -v lines; -vv adds "trace" lines (tests/unit/client/http/test_http_trace.cc)
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("debug ")) debug += line + "\n";
    }
    CHECK_MESSAGE((c.fails ? debug.starts_with(c.logged) : debug == c.logged), text);
    CHECK(Contains(text, "trace > GET "));
    CHECK(response.ok() == !c.fails);
    CHECK_FALSE(Contains(text, "SECRET"));
    CHECK_FALSE(Contains(text, "?"));
  }
  REQUIRE(server.requests().size() == 2);
  CHECK(Contains(server.requests()[0].head, "X-Amz-Signature=SECRET"));  // the query was sent
}

TEST_CASE("CurlTransport reuses connections across requests and threads") {
  LoopbackServer server(
      [](const SeenRequest& r) { return Reply("200 OK", "", r.head.substr(0, r.head.find(' '))); });
  CurlTransport transport(CurlOptions{});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        HttpRequest request;
        request.method = i % 2 == 0 ? "GET" : "DELETE";
        request.url = server.Url("/v2/");
        auto response = transport.RoundTrip(request);
        if (response.ok() && response->status == 200 && response->body == request.method) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == kThreads * kPerThread);
  CHECK(server.requests().size() == kThreads * kPerThread);
  CHECK(server.connections() >= 1);
  CHECK(server.connections() <= kThreads);
}

TEST_CASE("CurlTransport keeps a connection for each request in flight (pool sized to it)") {
  // 16 plain-http requests at once, twice: the second burst reuses the first
  // burst's 16 connections (the old pool of 8 made it open 8 new ones). With a pool smaller than
  // the concurrency, every burst reconnects all but that many.
  constexpr int kInFlight = 16;
  std::mutex mu;
  std::condition_variable all_in;
  int arrived = 0;
  LoopbackServer server([&](const SeenRequest&) {
    std::unique_lock lock(mu);
    ++arrived;
    all_in.notify_all();
    // Hold each answer until the whole burst is in flight (or 5 s passed).
    all_in.wait_for(lock, std::chrono::seconds(5), [&] { return arrived % kInFlight == 0; });
    return Reply("200 OK", "", "ok");
  });
  CurlTransport transport(CurlOptions{});
  for (int burst = 0; burst < 2; ++burst) {
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int t = 0; t < kInFlight; ++t) {
      threads.emplace_back([&] {
        HttpRequest request;
        request.url = server.Url("/v2/");
        auto response = transport.RoundTrip(request);
        if (response.ok() && response->status == 200) ++good;
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(good == kInFlight);
  }
  CHECK(server.requests().size() == 2 * kInFlight);
  CHECK(server.connections() == kInFlight);
}

TEST_CASE("CurlTransport talks over a Unix socket") {
  const std::string path = "/tmp/regdigest-test-" + std::to_string(::getpid()) + ".sock";
  LoopbackServer server([](const SeenRequest&) { return Reply("200 OK", "", "{\"Version\":1}"); },
                        path);
  CurlOptions options;
  options.unix_socket_path = path;
  CurlTransport transport(options);
  HttpRequest request;
  request.url = "http://localhost/v1.43/version";
  auto response = transport.RoundTrip(request);
  REQUIRE_MESSAGE(response.ok(), response.status().ToString());
  CHECK(response->body == "{\"Version\":1}");
  auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(Contains(seen[0].head, "GET /v1.43/version HTTP/1.1\r\n"));

  CurlOptions missing;
  missing.unix_socket_path = path + ".missing";
  auto failed = CurlTransport(missing).RoundTrip(request);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kTransport);
  CHECK_MESSAGE(Contains(failed.status().message(), missing.unix_socket_path),
                failed.status().message());
}

}  // namespace
}  // namespace regdigest
