// LoopbackServer: a tiny HTTP/1.1 server on 127.0.0.1 (or a Unix socket)
// inside the test process, for unit tests of the libcurl layer
// (test_curl_transport.cc, test_curl_multi_loop.cc). Each connection is served
// on its own thread by a handler that returns the raw reply bytes; it records
// the requests and counts connections.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/base/ascii.h"

namespace regdigest {

struct SeenRequest {
  std::string head;  // request line and header fields
  std::string body;
};

// Serves each connection on its own thread; handler returns raw reply bytes.
// Connections are kept alive unless the reply contains "Connection: close".
// A non-empty greeting is instead sent as soon as a connection is accepted,
// which is then closed (a server speaking the wrong protocol).
class LoopbackServer {
 public:
  using Handler = std::function<std::string(const SeenRequest&)>;

  explicit LoopbackServer(Handler handler, std::string unix_path = "", std::string greeting = "")
      : handler_(std::move(handler)),
        unix_path_(std::move(unix_path)),
        greeting_(std::move(greeting)) {
    if (unix_path_.empty()) {
      fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
      socklen_t len = sizeof addr;
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
      port_ = ntohs(addr.sin_port);
    } else {
      fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, unix_path_.c_str(), sizeof addr.sun_path - 1);
      ::unlink(unix_path_.c_str());
      REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    REQUIRE(::listen(fd_, 16) == 0);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& worker : workers_) worker.join();
    ::close(fd_);
    if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  int connections() const { return connections_; }
  std::vector<SeenRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int conn = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      ++connections_;
      workers_.emplace_back([this, conn] {
        if (greeting_.empty()) {
          Serve(conn);
        } else {
          Send(conn, greeting_);
        }
        ::close(conn);
      });
    }
  }

  bool ReadMore(int conn, std::string& buffer) {
    while (!stop_) {
      pollfd p{conn, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      char chunk[4096];
      ssize_t n = ::recv(conn, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    return false;
  }

  static std::size_t ContentLength(const std::string& head) {
    const std::string lower = AsciiLower(head);
    auto at = lower.find("\r\ncontent-length:");
    return at == std::string::npos ? 0 : std::stoul(lower.substr(at + 17));
  }

  static bool Send(int conn, const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
      ssize_t n = ::send(conn, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  void Serve(int conn) {
    std::string buffer;
    while (true) {
      std::size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!ReadMore(conn, buffer)) return;
      }
      SeenRequest request;
      request.head = buffer.substr(0, end + 4);
      buffer.erase(0, end + 4);
      const std::size_t length = ContentLength(request.head);
      while (buffer.size() < length) {
        if (!ReadMore(conn, buffer)) return;
      }
      request.body = buffer.substr(0, length);
      buffer.erase(0, length);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      const std::string reply = handler_(request);
      if (!Send(conn, reply)) return;
      if (reply.find("Connection: close") != std::string::npos) return;
    }
  }

  Handler handler_;
  std::string unix_path_;
  std::string greeting_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;  // touched by the acceptor, then the destructor
  mutable std::mutex mutex_;
  std::vector<SeenRequest> requests_;
};

inline std::string Reply(const std::string& status_line, const std::string& fields,
                         const std::string& body) {
  return "HTTP/1.1 " + status_line + "\r\n" + fields +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace regdigest
