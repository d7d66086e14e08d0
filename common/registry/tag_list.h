// Tag listing values: one page of GET /v2/<name>/tags/list, the Link header
// that names the next page (RFC 8288; relative or absolute, same origin
// only), the pagination rules (a repeated page ends the list, a page cap
// stops an endless chain) and which tags are signature/referrer artefacts
// (sha256-<hex>, .sig, .att, .sbom). Pure values and functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/base/url.h"
#include "common/image/digest.h"

namespace regdigest {

// Tags asked for per page (`?n=`). Registries may ignore it (docker-registry 2.8).
inline constexpr int kTagPageSize = 1000;
// Pages followed before giving up on a chain that does not end.
inline constexpr std::size_t kMaxTagPages = 1000;
// Tags kept in all; a longer list is refused with a message.
inline constexpr std::size_t kMaxTags = 1'000'000;

struct TagListPage {
  std::string name;               // "name" as the registry wrote it
  std::vector<std::string> tags;  // as listed; entries that are not valid tags dropped
  std::size_t invalid = 0;        // entries dropped (not a string, not a valid tag)
};

// Parses {"name": …, "tags": [...]}; "tags": null is an empty page.
// kProtocol naming what is wrong for anything else.
Result<TagListPage> ParseTagListPage(std::string_view body);

// The target of the rel="next" link among `link_headers` (every Link field of
// the answer), resolved against `page`: nullopt when there is none.
// kProtocol when the target is malformed, on another origin (scheme, host,
// port) or is not a tags/list URL.
Result<std::optional<Url>> NextTagPage(const Url& page,
                                       const std::vector<std::string>& link_headers);

// The first page: <base>/v2/<path>/tags/list?n=<page_size>.
std::string FirstTagPageUrl(std::string_view base_url, std::string_view path, int page_size);
// A page after `last` for a registry that sends no Link: ?n=<page_size>&last=<last>.
std::string TagPageAfter(std::string_view base_url, std::string_view path, int page_size,
                         std::string_view last);

// True for tags that name a digest rather than a version: "sha256-<64 hex>"
// alone or with ".sig", ".att" or ".sbom" (cosign signatures, attestations,
// SBOMs and the OCI referrers tag-schema fallback).
bool IsDigestTag(std::string_view tag);

// What `tags --digest D` looks for: a full digest ("sha256:<64 hex>", or 64
// hex without the algorithm, as an image ID may be written) or an image ID
// prefix of 12 to 63 hex digits, with or without "sha256:".
struct DigestQuery {
  std::string hex;  // lowercase; 64 digits when full

  // kUsage saying what is wrong (too short, not hex, another algorithm).
  static Result<DigestQuery> Parse(std::string_view text);
  bool full() const { return hex.size() == 64; }
  // Whether `digest` (a sha256 digest) is this one, or starts with the prefix.
  bool Matches(const Digest& digest) const;
  // "sha256:<hex>" as the user gave it (a prefix stays a prefix).
  std::string String() const { return "sha256:" + hex; }
};

// What a tags/list walk has gathered: every distinct tag once, the pages and
// URLs seen. Add() says whether the walk goes on.
class TagCollector {
 public:
  enum class Next { kContinue, kRepeated };

  explicit TagCollector(std::size_t max_pages = kMaxTagPages) : max_pages_(max_pages) {}

  // Records one page fetched from `url`. kRepeated when the URL was fetched
  // before or the page lists no tag that earlier pages did not (the walk then
  // ends with what it has). kProtocol when the page cap or kMaxTags is exceeded.
  Result<Next> Add(const std::string& url, const TagListPage& page);
  // Whether `url` was fetched already (a Link back to an earlier page).
  bool Seen(const std::string& url) const { return urls_.count(url) > 0; }

  std::size_t pages() const { return urls_.size(); }
  // The tags in lexical (byte) order.
  std::vector<std::string> Sorted() const { return {tags_.begin(), tags_.end()}; }
  const std::string& last_tag() const { return last_tag_; }

 private:
  std::set<std::string> urls_;
  std::set<std::string> tags_;
  std::string last_tag_;  // the last tag of the last page, for ?last=
  std::size_t max_pages_;
};

}  // namespace regdigest
