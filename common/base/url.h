// Url: a small parsed http(s) URL value for registry endpoints, token realms
// and redirect targets, plus the few URL operations the client needs
// (resolving a Location header, same-origin checks, query encoding).
// Pure functions and a value type: no I/O, safe from any thread.
//
// Why not libcurl's CURLU API: this parser is used in regdigest_common
// (registry/endpoint.cc validates configured endpoints) and fuzzed there
// (tests/fuzz/fuzz_registry_answers.cc), and regdigest_common links no
// network code; libcurl lives in regdigest_client. Url also refuses more than
// CURLU on purpose: user info, schemes other than http(s), a missing scheme,
// spaces, raw non-ASCII, port 0. For every URL Url accepts, Url and libcurl
// agree on scheme, host, effective port and path?query, except where libcurl
// normalizes and Url keeps the text: IPv4 in non-dotted forms ("0x7f.1"),
// "." and ".." segments, an empty "?". Each of those makes Url the more
// cautious side (not loopback, not the same origin). The unit test
// tests/unit/common/base/test_url_libcurl.cc checks all of this against the
// libcurl the client uses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

struct Url {
  std::string scheme;          // "http" or "https" (lowercased)
  std::string host;            // lowercased; IPv6 literals without brackets
  std::optional<int> port;     // only when written explicitly
  std::string path_and_query;  // never empty, starts with '/'; no fragment

  // Parses an absolute http:// or https:// URL. User info ("user:pw@") is
  // rejected, and the fragment is dropped. Errors are kInvalidArgument; their
  // messages never repeat user info.
  static Result<Url> Parse(std::string_view text);

  // host[:port], with IPv6 hosts bracketed: "[::1]:5000".
  std::string Authority() const;
  // The explicit port, else 443 for https and 80 for http.
  int EffectivePort() const;
  // scheme://authority/path?query
  std::string String() const;
  // scheme://authority/path: what messages and logs show of a URL (a query may
  // hold an account name, a scope or a storage signature).
  std::string StringWithoutQuery() const;

  friend bool operator==(const Url&, const Url&) = default;
};

// True for "localhost", 127.0.0.0/8, ::1 (also "[::1]") and IPv4-mapped
// 127.x addresses. A trailing ":port" is ignored ("localhost:5000",
// "[::1]:5000"), so a Reference's domain() can be passed directly.
bool IsLoopbackHost(std::string_view host);

// Resolves a Location header value against the URL that returned it:
// absolute URLs, scheme-relative "//host/p", absolute paths "/p", queries
// "?q" and relative paths "p", "../p" (RFC 3986 section 5.2).
Result<Url> ResolveLocation(const Url& base, std::string_view location);

// Percent-encodes everything except RFC 3986 unreserved characters
// (A-Z a-z 0-9 - . _ ~), for query parameter names and values.
std::string PercentEncode(std::string_view value);

// Same scheme, host and effective port.
bool SameOrigin(const Url& a, const Url& b);

// What a message or a log line shows of a URL given as text (a Location
// header, a configured endpoint): no user info, no query, no fragment, so a
// presigned storage URL's signature or a password never reaches the terminal.
std::string UrlForDisplay(std::string_view url);

// `text` with every http:// or https:// URL in it passed through
// UrlForDisplay (a URL ends at whitespace, a quote or one of <>`). The last
// line of defense for messages and logs that may quote a URL.
std::string RedactUrlsInText(std::string_view text);

}  // namespace regdigest
