#include "client/http/http_trace.h"

#include <spdlog/spdlog.h>

#include "common/base/ascii.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

bool IsSecretHeader(std::string_view name) {
  const std::string lower = AsciiLower(name);
  if (lower == "www-authenticate") return false;  // a challenge: realm, service, scope
  for (std::string_view secret : {"authorization", "proxy-authorization", "cookie", "set-cookie"}) {
    if (lower == secret) return true;
  }
  for (std::string_view word : {"token", "secret", "key", "password", "auth"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool IsUrlHeader(std::string_view name) {
  const std::string lower = AsciiLower(name);
  return lower == "location" || lower == "content-location";
}

// `value` with the user information, query and fragment of every absolute
// URL in it removed (a WWW-Authenticate realm may carry a signature or a
// password, as a Location may).
std::string StripUrlQueries(std::string_view value) {
  std::string out;
  std::size_t at = 0;
  while (at < value.size()) {
    const std::size_t scheme = value.find("://", at);
    if (scheme == std::string_view::npos) break;
    const std::size_t host = scheme + 3;
    const std::size_t end = std::min(value.find_first_of(" \",;<>", host), value.size());
    const std::size_t query = std::min(value.find_first_of("?#", host), end);
    out.append(value.substr(at, host - at));
    std::string_view rest = value.substr(host, query - host);  // authority and path
    const std::size_t userinfo = rest.substr(0, rest.find('/')).rfind('@');
    if (userinfo != std::string_view::npos) {
      out += "[redacted]@";
      rest.remove_prefix(userinfo + 1);
    }
    out.append(rest);
    at = end;
  }
  out.append(value.substr(std::min(at, value.size())));
  return out;
}

// A URL, absolute or relative, without user information, query and fragment.
std::string WithoutQuery(std::string_view value) {
  if (value.find("://") != std::string_view::npos) return StripUrlQueries(value);
  const std::size_t cut = value.find_first_of("?#");
  return std::string(value.substr(0, cut)) + (cut == std::string_view::npos ? "" : "?…");
}

}  // namespace

std::string TraceHeaderLine(std::string_view name, std::string_view value) {
  std::string shown;
  if (IsSecretHeader(name)) {
    // Authorization keeps its scheme ("Bearer [redacted]"); the rest keeps nothing.
    const std::size_t space = value.find(' ');
    const bool scheme = AsciiLower(name).find("authorization") != std::string::npos &&
                        space != std::string_view::npos;
    shown = (scheme ? std::string(value.substr(0, space + 1)) : "") + "[redacted]";
  } else if (IsUrlHeader(name)) {
    shown = WithoutQuery(value);
  } else {
    shown = StripUrlQueries(value);
  }
  return DisplayText(name) + ": " + DisplayText(shown);
}

std::vector<std::string> RequestTraceLines(const HttpRequest& request) {
  std::vector<std::string> lines{DisplayText(request.method) + " " + WithoutQuery(request.url)};
  for (const auto& [name, value] : request.headers.fields()) {
    lines.push_back(TraceHeaderLine(name, value));
  }
  return lines;
}

std::vector<std::string> ResponseTraceLines(
    int status, const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::string> lines{"HTTP " + std::to_string(status)};
  for (const auto& [name, value] : headers) lines.push_back(TraceHeaderLine(name, value));
  return lines;
}

void TraceRequest(const HttpRequest& request) {
  if (!spdlog::should_log(spdlog::level::trace)) return;
  for (const std::string& line : RequestTraceLines(request)) spdlog::trace("> {}", line);
}

void TraceResponse(const std::string& method, const std::string& url, int status,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  if (!spdlog::should_log(spdlog::level::trace)) return;
  spdlog::trace("< {} {}", DisplayText(method), WithoutQuery(url));
  for (const std::string& line : ResponseTraceLines(status, headers)) spdlog::trace("< {}", line);
}

}  // namespace regdigest
