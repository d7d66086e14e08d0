#include "common/engine/docker_host.h"

#include <cctype>
#include <string>

#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr std::string_view kDefaultTcpPort = "2375";

Status Bad(std::string_view value, std::string what) {
  return Status(StatusCode::kInvalidArgument,
                "DOCKER_HOST " + Quoted(value) + " " + std::move(what));
}

DockerHost UnixHost(std::string_view path) {
  return DockerHost{std::string(path), "http://localhost", std::string(path)};
}

bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

// A DNS name or IPv4 address, a bracketed IPv6 address, or "" (localhost).
bool IsHostName(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    for (char c : host.substr(1, host.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    return true;
  }
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

// "host[:port]" or "[v6]:port" after tcp:// or http://, with an optional "/".
Result<DockerHost> TcpHost(std::string_view value, std::string_view authority) {
  if (!authority.empty() && authority.back() == '/') authority.remove_suffix(1);
  if (authority.empty()) return Bad(value, "has no host (use tcp://host:port)");
  if (authority.find('/') != std::string_view::npos) {
    return Bad(value, "must not have a path (use tcp://host:port)");
  }
  if (authority.find_first_of("@?# ") != std::string_view::npos) {
    return Bad(value, "must be tcp://host[:port]");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(value, "has an unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad(value, "must be tcp://host[:port]");
      port = rest.substr(1);
      if (port.empty()) return Bad(value, "has an empty port");
    }
    if (host.size() == 2) return Bad(value, "has an empty IPv6 address");
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty()) return Bad(value, "has an empty port");
  }
  if (!IsHostName(host)) {
    return Bad(value, "has an invalid host " + Quoted(host));
  }
  if (!port.empty() && !IsPort(port)) {
    return Bad(value, "has an invalid port " + Quoted(port));
  }
  // Like the docker CLI, an empty host means localhost.
  std::string address = host.empty() ? "localhost" : std::string(host);
  address += ":";
  address += port.empty() ? kDefaultTcpPort : port;
  return DockerHost{"", "http://" + address, address};
}

}  // namespace

Result<DockerHost> DockerHost::Parse(std::string_view value) {
  if (value.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "DOCKER_HOST is empty (use unix:///path or tcp://host:port)");
  }
  if (value.front() == '/') return UnixHost(value);
  size_t sep = value.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return Bad(value, "must be unix:///path or tcp://host[:port]");
  }
  std::string_view scheme = value.substr(0, sep);
  std::string_view rest = value.substr(sep + 3);
  if (scheme == "unix") {
    if (rest.empty()) return Bad(value, "has no socket path");
    return UnixHost(rest);
  }
  if (scheme == "tcp" || scheme == "http") return TcpHost(value, rest);
  return Status(StatusCode::kInvalidArgument, "DOCKER_HOST scheme " + std::string(scheme) +
                                                  " is not supported (use unix:// or tcp://)");
}

}  // namespace regdigest
