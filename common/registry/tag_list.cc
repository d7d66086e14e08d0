#include "common/registry/tag_list.h"

#include <nlohmann/json.hpp>

namespace regdigest {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// distribution's tag grammar: [\w][\w.-]{0,127}.
bool IsValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128 || !IsWordChar(tag.front())) return false;
  for (char c : tag) {
    if (!IsWordChar(c) && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Whether the parameters of one link-value (after "<target>") say rel="next".
bool RelIsNext(std::string_view params) {
  while (!params.empty()) {
    const std::size_t semicolon = params.find(';');
    std::string_view param = Trim(params.substr(0, semicolon));
    params = semicolon == std::string_view::npos ? "" : params.substr(semicolon + 1);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos || Lower(Trim(param.substr(0, eq))) != "rel") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // rel may hold several space-separated relation types.
    std::string lowered = Lower(value);
    std::string_view rest = lowered;
    while (!rest.empty()) {
      const std::size_t space = rest.find(' ');
      if (rest.substr(0, space) == "next") return true;
      rest = space == std::string_view::npos ? "" : rest.substr(space + 1);
    }
  }
  return false;
}

// The targets of the rel="next" link-values of one Link field.
Result<std::optional<std::string>> NextTarget(std::string_view field) {
  std::string_view rest = field;
  while (true) {
    rest = Trim(rest);
    while (!rest.empty() && rest.front() == ',') rest = Trim(rest.substr(1));
    if (rest.empty()) return std::optional<std::string>();
    if (rest.front() != '<') {
      return Status(StatusCode::kProtocol, "tags/list: malformed Link header (no <URL>)");
    }
    const std::size_t close = rest.find('>');
    if (close == std::string_view::npos) {
      return Status(StatusCode::kProtocol, "tags/list: malformed Link header (no closing '>')");
    }
    const std::string_view target = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    // Parameters run to the next comma outside a quoted string.
    std::size_t end = 0;
    bool quoted = false;
    for (; end < rest.size(); ++end) {
      if (rest[end] == '"') quoted = !quoted;
      if (rest[end] == ',' && !quoted) break;
    }
    if (RelIsNext(rest.substr(0, end))) return std::optional<std::string>(std::string(target));
    rest = rest.substr(end);
  }
}

}  // namespace

Result<TagListPage> ParseTagListPage(std::string_view body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status(StatusCode::kProtocol, "tags/list: the answer is not a JSON object");
  }
  TagListPage page;
  if (auto name = json.find("name"); name != json.end() && name->is_string()) {
    page.name = name->get<std::string>();
  }
  auto tags = json.find("tags");
  if (tags == json.end() || tags->is_null()) return page;
  if (!tags->is_array()) {
    return Status(StatusCode::kProtocol, "tags/list: \"tags\" is not an array");
  }
  page.tags.reserve(tags->size());
  for (const nlohmann::json& tag : *tags) {
    if (tag.is_string() && IsValidTag(tag.get_ref<const std::string&>())) {
      page.tags.push_back(tag.get<std::string>());
    } else {
      ++page.invalid;
    }
  }
  return page;
}

Result<std::optional<Url>> NextTagPage(const Url& page,
                                       const std::vector<std::string>& link_headers) {
  for (const std::string& field : link_headers) {
    Result<std::optional<std::string>> target = NextTarget(field);
    if (!target.ok()) return target.status();
    if (!target->has_value()) continue;
    Result<Url> next = ResolveLocation(page, **target);
    if (!next.ok()) {
      return Status(StatusCode::kProtocol,
                    "tags/list: the next-page link is not a valid URL: " + next.status().message());
    }
    if (!SameOrigin(page, *next)) {
      return Status(StatusCode::kProtocol,
                    "tags/list: refusing a next-page link to another host (" + next->Authority() +
                        ", the list is on " + page.Authority() + ")");
    }
    const std::string path = next->path_and_query.substr(0, next->path_and_query.find('?'));
    if (!path.starts_with("/v2/") || !path.ends_with("/tags/list")) {
      return Status(StatusCode::kProtocol,
                    "tags/list: refusing a next-page link that is not a tags/list URL");
    }
    return std::optional<Url>(std::move(next).value());
  }
  return std::optional<Url>();
}

std::string FirstTagPageUrl(std::string_view base_url, std::string_view path, int page_size) {
  return std::string(base_url) + "/v2/" + std::string(path) +
         "/tags/list?n=" + std::to_string(page_size);
}

std::string TagPageAfter(std::string_view base_url, std::string_view path, int page_size,
                         std::string_view last) {
  return FirstTagPageUrl(base_url, path, page_size) + "&last=" + PercentEncode(last);
}

Result<DigestQuery> DigestQuery::Parse(std::string_view text) {
  std::string_view hex = text;
  if (hex.starts_with("sha256:")) hex.remove_prefix(7);
  if (hex.find(':') != std::string_view::npos) {
    return Status(StatusCode::kUsage, "--digest: only sha256 digests and image IDs are looked up");
  }
  DigestQuery query;
  for (char c : hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!IsLowerHex(c)) {
      return Status(StatusCode::kUsage,
                    "--digest: not a digest or image ID (hex digits, optionally after sha256:)");
    }
    query.hex += c;
  }
  if (query.hex.size() < 12 || query.hex.size() > 64) {
    return Status(StatusCode::kUsage,
                  "--digest: give 12 to 64 hex digits (an image ID as "
                  "`docker images` shows it, or a full digest); got " +
                      std::to_string(query.hex.size()));
  }
  return query;
}

bool DigestQuery::Matches(const Digest& digest) const {
  return digest.algorithm() == "sha256" && digest.hex().starts_with(hex);
}

bool IsDigestTag(std::string_view tag) {
  constexpr std::string_view kPrefix = "sha256-";
  if (!tag.starts_with(kPrefix)) return false;
  tag.remove_prefix(kPrefix.size());
  if (tag.size() < 64) return false;
  for (std::size_t i = 0; i < 64; ++i) {
    if (!IsLowerHex(tag[i])) return false;
  }
  const std::string_view suffix = tag.substr(64);
  return suffix.empty() || suffix == ".sig" || suffix == ".att" || suffix == ".sbom";
}

Result<TagCollector::Next> TagCollector::Add(const std::string& url, const TagListPage& page) {
  if (!urls_.insert(url).second) return Next::kRepeated;
  if (urls_.size() > max_pages_) {
    return Status(StatusCode::kProtocol, "tags/list: stopped after " + std::to_string(max_pages_) +
                                             " pages; the registry's next-page links do not end (" +
                                             std::to_string(tags_.size()) + " tags so far)");
  }
  std::size_t added = 0;
  for (const std::string& tag : page.tags) added += tags_.insert(tag).second ? 1 : 0;
  if (tags_.size() > kMaxTags) {
    return Status(StatusCode::kProtocol,
                  "tags/list: more than " + std::to_string(kMaxTags) + " tags; not listing them");
  }
  // A page with tags, none of them new, is a page seen before under another URL.
  if (!page.tags.empty() && added == 0) return Next::kRepeated;
  if (!page.tags.empty()) last_tag_ = page.tags.back();
  return Next::kContinue;
}

}  // namespace regdigest
