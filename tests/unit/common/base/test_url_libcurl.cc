// Cross-check of common/base/url.h against libcurl's URL API (CURLU). The
// client parses a request URL with Url::Parse (same-origin checks, which
// credentials to send, which CA file) and then hands the same text to
// libcurl, so both must see the same scheme, host, port and path. Url stays
// a parser of its own in regdigest_common, which links no libcurl; this test
// (in the unit binary, which links libcurl through regdigest_client) pins the
// rules the two share and the few where Url is deliberately stricter.
#include <curl/curl.h>
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "common/base/ascii.h"
#include "common/base/url.h"

namespace regdigest {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

// One part of a URL as libcurl parsed it, or "" when libcurl has none.
std::string Part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

// The URL parts libcurl would use for a request, in Url's own terms.
struct CurlView {
  bool ok = false;
  std::string scheme, host, path_and_query;
  int port = 0;
};

CurlView ParseWithCurl(const std::string& text) {
  CurlView view;
  CurlUrlPtr u(curl_url());
  REQUIRE(u != nullptr);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return view;
  view.ok = true;
  view.scheme = AsciiLower(Part(u.get(), CURLUPART_SCHEME));
  view.host = AsciiLower(Part(u.get(), CURLUPART_HOST));
  if (view.host.size() >= 2 && view.host.front() == '[') {
    view.host = view.host.substr(1, view.host.size() - 2);  // Url keeps IPv6 without brackets
  }
  view.port = std::stoi(Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT));
  view.path_and_query = Part(u.get(), CURLUPART_PATH);
  if (const std::string query = Part(u.get(), CURLUPART_QUERY); !query.empty()) {
    view.path_and_query += "?" + query;
  }
  return view;
}

TEST_CASE("Url::Parse and libcurl agree on every URL Url accepts") {
  const char* cases[] = {
      "https://registry-1.docker.io/v2/",
      "http://localhost:5000/v2/library/ubuntu/manifests/latest",
      "https://auth.docker.io/token?service=registry.docker.io&scope=a%3Ab",
      "http://example.com",
      "http://example.com?x=1",
      "https://example.com/p#frag",
      "HTTPS://Example.COM/Path",
      "https://example.com:443/",
      "http://example.com:/x",
      "http://[::1]:5000/v2/",
      "https://[2001:DB8::1]/",
      "http://127.0.0.1:65535/",
      "https://s3.us-east-1.amazonaws.com/bucket/blob?X-Amz-Signature=abc",
      "https://my_registry.local/v2/",
      "https://example.com/a%2Fb?q=%20",
      "https://example.com/p?x=1#frag?y",
      "https://example.com//double//slash",
      "https://xn--bcher-kva.example/v2/",
  };
  for (const char* text : cases) {
    CAPTURE(text);
    Result<Url> ours = Url::Parse(text);
    REQUIRE_MESSAGE(ours.ok(), ours.status().ToString());
    const CurlView curl = ParseWithCurl(text);
    REQUIRE(curl.ok);
    CHECK(curl.scheme == ours->scheme);
    CHECK(curl.host == ours->host);
    CHECK(curl.port == ours->EffectivePort());
    CHECK(curl.path_and_query == ours->path_and_query);
  }
}

// Where libcurl normalizes and Url keeps the text. Each difference only makes
// Url more cautious: "0x7f.1" is not loopback to IsLoopbackHost (so plain
// http is refused) and not the same origin as "127.0.0.1" (so credentials are
// dropped on such a redirect).
TEST_CASE("Url::Parse keeps what libcurl normalizes") {
  struct Case {
    const char* text;
    std::string our_host, curl_host, our_path, curl_path;
  };
  const Case cases[] = {
      {"http://0x7f.1/", "0x7f.1", "127.0.0.1", "/", "/"},               // IPv4 in hex, short form
      {"http://2130706433:5000/", "2130706433", "127.0.0.1", "/", "/"},  // IPv4 as one number
      {"https://example.com/a/../b/./c", "example.com", "example.com", "/a/../b/./c", "/b/c"},
      {"https://example.com/v2/?", "example.com", "example.com", "/v2/?", "/v2/"},  // empty query
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<Url> ours = Url::Parse(c.text);
    REQUIRE(ours.ok());
    const CurlView curl = ParseWithCurl(c.text);
    REQUIRE(curl.ok);
    CHECK(ours->host == c.our_host);
    CHECK(curl.host == c.curl_host);
    CHECK(ours->path_and_query == c.our_path);
    CHECK(curl.path_and_query == c.curl_path);
    CHECK(curl.port == ours->EffectivePort());
  }
  CHECK_FALSE(IsLoopbackHost("0x7f.1"));
  CHECK_FALSE(IsLoopbackHost("2130706433"));
}

TEST_CASE("Url::Parse rejects what libcurl rejects, and more") {
  struct Case {
    const char* text;
    bool curl_accepts;  // Url is stricter on purpose for these
  };
  const Case cases[] = {
      {"https://", false},
      {"https://[::1/", false},
      {"https://example.com:99999/", false},
      {"https://example.com:x/", false},
      {"https://exa mple.com/", false},
      {"https://user:secret@example.com/", true},  // credentials never come from a URL
      {"ftp://example.com/", true},                // http and https only
      {"example.com/v2/", true},                   // curl guesses a scheme; Url wants one
      {"https://example.com/a b", true},           // curl encodes the space; Url refuses it
      {"https://example.com:0/", true},            // port 0
      {"https://example.com/\xc3\xa9", true},      // raw UTF-8 must be percent-encoded
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK_FALSE(Url::Parse(c.text).ok());
    CurlUrlPtr u(curl_url());
    REQUIRE(u != nullptr);
    const unsigned flags = CURLU_GUESS_SCHEME | CURLU_ALLOW_SPACE | CURLU_NON_SUPPORT_SCHEME;
    CHECK((curl_url_set(u.get(), CURLUPART_URL, c.text, flags) == CURLUE_OK) == c.curl_accepts);
  }
}

}  // namespace
}  // namespace regdigest
