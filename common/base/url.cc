#include "common/base/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/base/ascii.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

Status Bad(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

std::string Quote(std::string_view s) { return Quoted(s); }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of a leading "scheme:" (RFC 3986 ALPHA *( ALPHA / DIGIT / + - . )),
// excluding the colon; 0 when there is none.
size_t SchemeLength(std::string_view s) {
  if (s.empty() || !IsAlpha(s[0])) return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return i;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return 0;
  }
  return 0;
}

// Rejects bytes that may not appear unencoded anywhere in a URL.
Status CheckCharacters(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return Bad("URL contains a space or control character");
    if (u >= 0x80) return Bad("URL contains a non-ASCII byte (it must be percent-encoded)");
  }
  return Status::Ok();
}

bool IsIpv6Literal(const std::string& text, in6_addr* out) {
  in6_addr addr{};
  if (inet_pton(AF_INET6, text.c_str(), &addr) != 1) return false;
  if (out != nullptr) *out = addr;
  return true;
}

Status ParseAuthority(std::string_view authority, Url* url) {
  if (authority.find('@') != std::string_view::npos) {
    return Bad("URL must not contain user information (user:password@)");
  }
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad("URL host has '[' without ']'");
    url->host = AsciiLower(authority.substr(1, close - 1));
    if (!IsIpv6Literal(url->host, nullptr)) {
      return Bad("invalid IPv6 address " + Quote(authority.substr(0, close + 1)) + " in URL");
    }
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad("unexpected " + Quote(rest) + " after IPv6 address");
      port = rest.substr(1);
      has_port = true;
    }
  } else {
    const size_t colon = authority.find(':');
    url->host = AsciiLower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
    for (char c : url->host) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '.' && c != '_') {
        return Bad("invalid character '" + std::string(1, c) + "' in URL host " + Quote(url->host));
      }
    }
  }
  if (url->host.empty()) return Bad("URL has no host");
  if (has_port && !port.empty()) {  // "host:" means the default port
    int value = 0;
    for (char c : port) {
      if (!IsDigit(c) || value > 65535) return Bad("invalid port " + Quote(port) + " in URL");
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) return Bad("port " + Quote(port) + " is out of range");
    url->port = value;
  }
  return Status::Ok();
}

// RFC 3986 5.2.4 for an absolute path: drops "." and resolves "..".
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  size_t start = 1;  // path starts with '/'
  while (true) {
    const size_t slash = path.find('/', start);
    const std::string_view segment = path.substr(start, slash - start);
    const bool last = slash == std::string_view::npos;
    if (segment == "." || segment == "..") {
      if (segment == ".." && !segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(segment);
    }
    if (last) break;
    start = slash + 1;
  }
  std::string out;
  for (std::string_view segment : segments) {
    out += '/';
    out.append(segment);
  }
  if (out.empty() || trailing_slash) out += '/';
  return out;
}

// Joins a path (made absolute and cleaned) with an optional "?query".
std::string CleanPathAndQuery(std::string_view path_and_query) {
  const size_t q = path_and_query.find('?');
  const std::string_view path = path_and_query.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : path_and_query.substr(q);
  return RemoveDotSegments(path) + std::string(query);
}

}  // namespace

Result<Url> Url::Parse(std::string_view text) {
  if (Status s = CheckCharacters(text); !s.ok()) return s;
  const size_t scheme_len = SchemeLength(text);
  if (scheme_len == 0 || text.substr(scheme_len, 3) != "://") {
    return Bad("URL must be absolute (scheme://host/path)");
  }
  Url url;
  url.scheme = AsciiLower(text.substr(0, scheme_len));
  if (url.scheme != "http" && url.scheme != "https") {
    return Bad("unsupported URL scheme " + Quote(url.scheme) + " (want http or https)");
  }
  std::string_view rest = text.substr(scheme_len + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  if (Status s = ParseAuthority(rest.substr(0, path_start), &url); !s.ok()) return s;
  if (path_start == std::string_view::npos) {
    url.path_and_query = "/";
  } else {
    url.path_and_query = std::string(rest.substr(path_start));
    if (url.path_and_query.front() == '?') url.path_and_query.insert(0, "/");
  }
  return url;
}

std::string Url::Authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port) out += ":" + std::to_string(*port);
  return out;
}

int Url::EffectivePort() const {
  if (port) return *port;
  return scheme == "https" ? 443 : 80;
}

std::string Url::String() const { return scheme + "://" + Authority() + path_and_query; }

std::string Url::StringWithoutQuery() const {
  return scheme + "://" + Authority() + path_and_query.substr(0, path_and_query.find('?'));
}

bool IsLoopbackHost(std::string_view host) {
  std::string_view h = host;
  if (!h.empty() && h.front() == '[') {
    const size_t close = h.find(']');
    if (close == std::string_view::npos) return false;
    h = h.substr(1, close - 1);
  } else if (const size_t colon = h.find(':');
             colon != std::string_view::npos && h.find(':', colon + 1) == std::string_view::npos) {
    h = h.substr(0, colon);  // "name:port"; several colons mean a bare IPv6 address
  }
  const std::string lower = AsciiLower(h);
  if (lower == "localhost" || lower == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, lower.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (IsIpv6Literal(lower, &v6)) {
    if (std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0) return true;
    static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return std::memcmp(v6.s6_addr, kMappedPrefix, sizeof(kMappedPrefix)) == 0 &&
           v6.s6_addr[12] == 127;
  }
  return false;
}

Result<Url> ResolveLocation(const Url& base, std::string_view location) {
  location = location.substr(0, location.find('#'));
  if (location.empty()) return base;
  if (SchemeLength(location) > 0) return Url::Parse(location);
  if (location.starts_with("//")) return Url::Parse(base.scheme + ":" + std::string(location));
  if (Status s = CheckCharacters(location); !s.ok()) return s;

  Url out = base;
  if (location.front() == '/') {
    out.path_and_query = CleanPathAndQuery(location);
  } else if (location.front() == '?') {
    const std::string_view base_path =
        std::string_view(base.path_and_query).substr(0, base.path_and_query.find('?'));
    out.path_and_query = std::string(base_path) + std::string(location);
  } else {
    std::string_view base_path =
        std::string_view(base.path_and_query).substr(0, base.path_and_query.find('?'));
    base_path = base_path.substr(0, base_path.rfind('/') + 1);  // keeps the last '/'
    out.path_and_query = CleanPathAndQuery(std::string(base_path) + std::string(location));
  }
  return out;
}

std::string PercentEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    }
  }
  return out;
}

bool SameOrigin(const Url& a, const Url& b) {
  return a.scheme == b.scheme && a.host == b.host && a.EffectivePort() == b.EffectivePort();
}

std::string UrlForDisplay(std::string_view url) {
  std::string_view rest = url.substr(0, url.find_first_of("?#"));
  const std::size_t scheme_end = rest.find("://");
  const std::size_t authority_begin = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const std::size_t authority_end = std::min(rest.find('/', authority_begin), rest.size());
  const std::size_t at = rest.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority_begin) return std::string(rest);
  return std::string(rest.substr(0, authority_begin)) + std::string(rest.substr(at + 1));
}

std::string RedactUrlsInText(std::string_view text) {
  const std::string lower = AsciiLower(text);  // schemes are case-insensitive
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = std::min(lower.find("http://", i), lower.find("https://", i));
    if (start == std::string::npos) break;
    out.append(text.substr(i, start - i));
    std::size_t end = text.find_first_of(" \t\r\n\"'<>`", start);
    if (end == std::string_view::npos) end = text.size();
    out += UrlForDisplay(text.substr(start, end - start));
    i = end;
  }
  if (i < text.size()) out.append(text.substr(i));
  return out;
}

}  // namespace regdigest
