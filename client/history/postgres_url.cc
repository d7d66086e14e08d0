#include "client/history/postgres_url.h"

#include <vector>

namespace regdigest {

std::string RedactPostgresUrl(const std::string& url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const std::size_t query = url.find('?', scheme + 3);
  std::string base = url.substr(0, query);
  const std::size_t at = base.rfind('@');
  if (at != std::string::npos && at > scheme) {
    const std::size_t colon = base.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) base.erase(colon, at - colon);
  }
  if (query == std::string::npos) return base;
  std::string kept;
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string param = url.substr(start, end - start);
    if (!param.empty() && !param.starts_with("password=") && param != "password") {
      kept += (kept.empty() ? "?" : "&") + param;
    }
    start = end + 1;
  }
  return base + kept;
}

std::string ScrubPostgresPassword(const std::string& message, const std::string& url) {
  const std::string redacted = RedactPostgresUrl(url);
  std::vector<std::string> secrets;
  const std::size_t scheme = url.find("://");
  const std::size_t query = url.find('?');
  const std::size_t at = url.substr(0, query).rfind('@');
  if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
    const std::size_t colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at)
      secrets.push_back(url.substr(colon + 1, at - colon - 1));
  }
  for (std::size_t p = url.find("password=", query == std::string::npos ? url.size() : query);
       p != std::string::npos; p = url.find("password=", p + 1)) {
    secrets.push_back(url.substr(p + 9, url.find('&', p) - (p + 9)));
  }
  std::string out = message;
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t p = out.find(secret); p != std::string::npos; p = out.find(secret, p + 3)) {
      out.replace(p, secret.size(), "***");
    }
  }
  return out;
}

}  // namespace regdigest
