#include "common/registry/rate_limit.h"

namespace regdigest {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-negative decimal integer that fits in int64_t, and nothing else.
std::optional<int64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

struct CountWithWindow {
  std::optional<int64_t> count;
  std::optional<int64_t> window_seconds;
};

// "100;w=21600" (parameters other than w are ignored). A list of several
// policies ("100;w=21600, 20;w=3600") uses the first.
CountWithWindow ParseLimitHeader(std::optional<std::string_view> header) {
  CountWithWindow out;
  if (!header) return out;
  std::string_view value = header->substr(0, header->find(','));
  std::size_t semicolon = value.find(';');
  out.count = ParseCount(value.substr(0, semicolon));
  while (semicolon != std::string_view::npos) {
    value.remove_prefix(semicolon + 1);
    semicolon = value.find(';');
    std::string_view param = Trim(value.substr(0, semicolon));
    if (param.size() > 2 && (param[0] == 'w' || param[0] == 'W') && param[1] == '=') {
      std::optional<int64_t> window = ParseCount(param.substr(2));
      if (window && *window > 0) out.window_seconds = window;
    }
  }
  return out;
}

// Printable ASCII only, at most 100 characters; anything else is dropped.
std::string CleanSource(std::optional<std::string_view> header) {
  if (!header) return "";
  std::string_view value = Trim(*header);
  if (value.size() > 100) return "";
  for (char c : value) {
    if (c <= 0x20 || c >= 0x7f) return "";
  }
  return std::string(value);
}

}  // namespace

std::optional<RateLimit> ParseRateLimit(std::optional<std::string_view> limit_header,
                                        std::optional<std::string_view> remaining_header,
                                        std::optional<std::string_view> source_header) {
  const CountWithWindow limit = ParseLimitHeader(limit_header);
  const CountWithWindow remaining = ParseLimitHeader(remaining_header);
  if (!limit.count && !remaining.count) return std::nullopt;
  RateLimit out;
  out.limit = limit.count;
  out.remaining = remaining.count;
  out.window_seconds = limit.window_seconds ? limit.window_seconds : remaining.window_seconds;
  out.source = CleanSource(source_header);
  return out;
}

nlohmann::ordered_json RateLimitJson(const RateLimit& rate_limit) {
  auto number = [](const std::optional<int64_t>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  return {{"limit", number(rate_limit.limit)},
          {"remaining", number(rate_limit.remaining)},
          {"windowSeconds", number(rate_limit.window_seconds)},
          {"source", rate_limit.source.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(rate_limit.source)}};
}

std::string DescribeRateLimit(const RateLimit& rate_limit) {
  auto text = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "?"; };
  std::string out =
      text(rate_limit.remaining) + " of " + text(rate_limit.limit) + " pulls remaining";
  if (rate_limit.window_seconds) {
    const int64_t seconds = *rate_limit.window_seconds;
    out += ", window " + std::to_string(seconds) + " s";
    if (seconds % 3600 == 0) out += " (" + std::to_string(seconds / 3600) + " h)";
  }
  if (!rate_limit.source.empty()) out += ", source " + rate_limit.source;
  return out;
}

}  // namespace regdigest
