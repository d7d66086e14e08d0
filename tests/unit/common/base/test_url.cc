// Tests for common/url.h: parsing, printing, Location resolution, loopback
// detection, percent-encoding and same-origin checks.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/base/url.h"

namespace regdigest {
namespace {

Url MustParse(const std::string& text) {
  Result<Url> url = Url::Parse(text);
  REQUIRE_MESSAGE(url.ok(), text, " ", url.status().ToString());
  return *url;
}

TEST_CASE("Url::Parse splits valid URLs") {
  struct Case {
    std::string input;
    std::string scheme;
    std::string host;
    std::optional<int> port;
    std::string path_and_query;
    std::string authority;
    int effective_port;
    std::string string;
  };
  const Case cases[] = {
      {"https://registry-1.docker.io/v2/", "https", "registry-1.docker.io", std::nullopt, "/v2/",
       "registry-1.docker.io", 443, "https://registry-1.docker.io/v2/"},
      {"http://localhost:5000/v2/library/ubuntu/manifests/latest", "http", "localhost", 5000,
       "/v2/library/ubuntu/manifests/latest", "localhost:5000", 5000,
       "http://localhost:5000/v2/library/ubuntu/manifests/latest"},
      {"https://auth.docker.io/token?service=registry.docker.io&scope=a%3Ab", "https",
       "auth.docker.io", std::nullopt, "/token?service=registry.docker.io&scope=a%3Ab",
       "auth.docker.io", 443,
       "https://auth.docker.io/token?service=registry.docker.io&scope=a%3Ab"},
      {"http://example.com", "http", "example.com", std::nullopt, "/", "example.com", 80,
       "http://example.com/"},
      {"http://example.com?x=1", "http", "example.com", std::nullopt, "/?x=1", "example.com", 80,
       "http://example.com/?x=1"},
      {"https://example.com/p#frag", "https", "example.com", std::nullopt, "/p", "example.com", 443,
       "https://example.com/p"},
      {"HTTPS://Example.COM/Path", "https", "example.com", std::nullopt, "/Path", "example.com",
       443, "https://example.com/Path"},
      {"https://example.com:443/", "https", "example.com", 443, "/", "example.com:443", 443,
       "https://example.com:443/"},
      {"http://example.com:/x", "http", "example.com", std::nullopt, "/x", "example.com", 80,
       "http://example.com/x"},
      {"http://[::1]:5000/v2/", "http", "::1", 5000, "/v2/", "[::1]:5000", 5000,
       "http://[::1]:5000/v2/"},
      {"https://[2001:DB8::1]/", "https", "2001:db8::1", std::nullopt, "/", "[2001:db8::1]", 443,
       "https://[2001:db8::1]/"},
      {"http://127.0.0.1:65535/", "http", "127.0.0.1", 65535, "/", "127.0.0.1:65535", 65535,
       "http://127.0.0.1:65535/"},
      {"https://s3.us-east-1.amazonaws.com/bucket/blob?X-Amz-Signature=abc", "https",
       "s3.us-east-1.amazonaws.com", std::nullopt, "/bucket/blob?X-Amz-Signature=abc",
       "s3.us-east-1.amazonaws.com", 443,
       "https://s3.us-east-1.amazonaws.com/bucket/blob?X-Amz-Signature=abc"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    const Url url = MustParse(c.input);
    CHECK(url.scheme == c.scheme);
    CHECK(url.host == c.host);
    CHECK(url.port == c.port);
    CHECK(url.path_and_query == c.path_and_query);
    CHECK(url.Authority() == c.authority);
    CHECK(url.EffectivePort() == c.effective_port);
    CHECK(url.String() == c.string);
    CHECK(MustParse(url.String()) == url);
  }
}

TEST_CASE("Url::StringWithoutQuery drops the query only") {
  struct Case {
    const char* url;
    const char* expected;
  };
  const Case cases[] = {
      {"https://auth.example/token?account=alice&scope=x", "https://auth.example/token"},
      {"http://127.0.0.1:5000/v2/a/manifests/v1", "http://127.0.0.1:5000/v2/a/manifests/v1"},
      {"https://s3.example/blob?X-Amz-Signature=abc", "https://s3.example/blob"},
      {"https://[::1]:8443/?q", "https://[::1]:8443/"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.url) {
      Result<Url> url = Url::Parse(c.url);
      REQUIRE(url.ok());
      CHECK(url->StringWithoutQuery() == c.expected);
    }
  }
}

TEST_CASE("Url::Parse rejects malformed URLs without echoing credentials") {
  struct Case {
    std::string input;
    std::string phrase;
  };
  const Case cases[] = {
      {"", "must be absolute"},
      {"example.com/v2/", "must be absolute"},
      {"/v2/", "must be absolute"},
      {"https:/example.com", "must be absolute"},
      {"ftp://example.com/", "unsupported URL scheme \"ftp\""},
      {"unix:///var/run/docker.sock", "unsupported URL scheme \"unix\""},
      {"https://", "no host"},
      {"https:///path", "no host"},
      {"https://:443/", "no host"},
      {"https://user:hunter2@example.com/", "must not contain user information"},
      {"https://exa mple.com/", "space or control character"},
      {"https://example.com/\x01", "space or control character"},
      {"https://example.com/\xc3\xa9", "non-ASCII"},
      {"https://example.com:99999/", "out of range"},
      {"https://example.com:0/", "out of range"},
      {"https://example.com:12a/", "invalid port \"12a\""},
      {"https://example.com:123456789012/", "invalid port"},
      {"https://[::1/", "without ']'"},
      {"https://[not-ipv6]/", "invalid IPv6 address"},
      {"https://[fe80::1%25eth0]/", "invalid IPv6 address"},
      {"https://[::1]x/", "after IPv6 address"},
      {"https://exa!mple.com/", "invalid character '!'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Url> url = Url::Parse(c.input);
    REQUIRE_FALSE(url.ok());
    CHECK(url.status().code() == StatusCode::kInvalidArgument);
    CAPTURE(url.status().message());
    CHECK(url.status().message().find(c.phrase) != std::string::npos);
    CHECK(url.status().message().find("hunter2") == std::string::npos);
  }
}

TEST_CASE("ResolveLocation follows RFC 3986 reference resolution") {
  const Url base = MustParse("https://registry.example.com:5000/v2/lib/app/manifests/latest?x=1");
  struct Case {
    std::string location;
    std::string expected;
  };
  const Case cases[] = {
      {"https://cdn.example.net/blobs/abc?sig=1", "https://cdn.example.net/blobs/abc?sig=1"},
      {"http://other:8080", "http://other:8080/"},
      {"//cdn.example.net/p", "https://cdn.example.net/p"},
      {"/v2/lib/app/blobs/sha256:abc",
       "https://registry.example.com:5000/v2/lib/app/blobs/sha256:abc"},
      {"/a/./b/../c", "https://registry.example.com:5000/a/c"},
      {"/a/b/..", "https://registry.example.com:5000/a/"},
      {"/../../x", "https://registry.example.com:5000/x"},
      {"/", "https://registry.example.com:5000/"},
      {"?y=2", "https://registry.example.com:5000/v2/lib/app/manifests/latest?y=2"},
      {"./sha256:abc", "https://registry.example.com:5000/v2/lib/app/manifests/sha256:abc"},
      {"other", "https://registry.example.com:5000/v2/lib/app/manifests/other"},
      {"../blobs/x?z=3", "https://registry.example.com:5000/v2/lib/app/blobs/x?z=3"},
      {"./x", "https://registry.example.com:5000/v2/lib/app/manifests/x"},
      {"../../../../../../x", "https://registry.example.com:5000/x"},
      {"", "https://registry.example.com:5000/v2/lib/app/manifests/latest?x=1"},
      {"#frag", "https://registry.example.com:5000/v2/lib/app/manifests/latest?x=1"},
      {"/p#frag", "https://registry.example.com:5000/p"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.location);
    Result<Url> url = ResolveLocation(base, c.location);
    REQUIRE_MESSAGE(url.ok(), url.status().ToString());
    CHECK(url->String() == c.expected);
  }
}

TEST_CASE("ResolveLocation rejects bad targets") {
  const Url base = MustParse("https://registry.example.com/v2/");
  struct Case {
    std::string location;
    std::string phrase;
  };
  const Case cases[] = {
      {"ftp://example.com/x", "unsupported URL scheme"},
      {"//", "no host"},
      // A first segment with ':' is a scheme (RFC 3986 4.2); write "./sha256:abc".
      {"sha256:abc", "must be absolute"},
      {"/a b", "space or control character"},
      {"https://u:p@evil.example/", "user information"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.location);
    Result<Url> url = ResolveLocation(base, c.location);
    REQUIRE_FALSE(url.ok());
    CHECK(url.status().message().find(c.phrase) != std::string::npos);
  }
}

TEST_CASE("IsLoopbackHost") {
  struct Case {
    std::string host;
    bool loopback;
  };
  const Case cases[] = {
      {"localhost", true},
      {"LOCALHOST", true},
      {"localhost:5000", true},
      {"127.0.0.1", true},
      {"127.255.255.254", true},
      {"127.0.0.1:5000", true},
      {"::1", true},
      {"[::1]", true},
      {"[::1]:5000", true},
      {"0:0:0:0:0:0:0:1", true},
      {"::ffff:127.0.0.1", true},
      {"[::ffff:127.1.2.3]:80", true},
      {"128.0.0.1", false},
      {"10.0.0.1", false},
      {"0.0.0.0", false},
      {"::", false},
      {"::2", false},
      {"[fe80::1]", false},
      {"example.com", false},
      {"localhost.example", false},
      {"mylocalhost", false},
      {"127.0.0.1.nip.io", false},
      {"", false},
      {"[::1", false},
      {"docker.io", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.host);
    CHECK(IsLoopbackHost(c.host) == c.loopback);
  }
}

TEST_CASE("PercentEncode keeps only unreserved characters") {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"", ""},
      {"abcXYZ019-._~", "abcXYZ019-._~"},
      {"repository:library/ubuntu:pull", "repository%3Alibrary%2Fubuntu%3Apull"},
      {"a b+c&d=e", "a%20b%2Bc%26d%3De"},
      {"100%", "100%25"},
      {"\xc3\xa9", "%C3%A9"},
      {std::string("\0", 1), "%00"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(PercentEncode(c.input) == c.expected);
  }
}

TEST_CASE("SameOrigin compares scheme, host and effective port") {
  struct Case {
    std::string a;
    std::string b;
    bool same;
  };
  const Case cases[] = {
      {"https://r.example.com/v2/", "https://r.example.com/token", true},
      {"https://r.example.com/", "https://r.example.com:443/", true},
      {"http://r.example.com/", "http://r.example.com:80/x", true},
      {"https://R.Example.com/", "https://r.example.com/", true},
      {"https://r.example.com/", "http://r.example.com/", false},
      {"https://r.example.com/", "https://r.example.com:5000/", false},
      {"https://r.example.com/", "https://cdn.example.com/", false},
      {"http://[::1]:5000/", "http://[::1]:5000/v2/", true},
      {"http://localhost:5000/", "http://127.0.0.1:5000/", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(SameOrigin(MustParse(c.a), MustParse(c.b)) == c.same);
    CHECK(SameOrigin(MustParse(c.b), MustParse(c.a)) == c.same);
  }
}

TEST_CASE("UrlForDisplay drops user info, query and fragment") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"https://cdn.test/blob?X-Amz-Signature=secret", "https://cdn.test/blob"},
      {"https://user:pw@cdn.test:8443/a/b?x=1#frag", "https://cdn.test:8443/a/b"},
      {"https://user@host", "https://host"},
      {"http://host/p@th?q", "http://host/p@th"},
      {"/relative?token=secret", "/relative"},
      {"https://host/#x?y", "https://host/"},
      {"https://host/plain", "https://host/plain"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(UrlForDisplay(c.in) == c.out);
  }
}

TEST_CASE("RedactUrlsInText strips every URL's query in a message") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"GET https://cdn.test/b?sig=secret failed: timeout",
       "GET https://cdn.test/b failed: timeout"},
      {"from \"HTTPS://a:pw@x.test/a?s=1\" to <http://y.test/?k=secret>",
       "from \"HTTPS://x.test/a\" to <http://y.test/>"},
      {"two: http://a/?1 http://b/?2", "two: http://a/ http://b/"},
      {"no url? here", "no url? here"},
      {"ends with https://c.test/x?secret", "ends with https://c.test/x"},
      {"", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(RedactUrlsInText(c.in) == c.out);
  }
}

}  // namespace
}  // namespace regdigest
