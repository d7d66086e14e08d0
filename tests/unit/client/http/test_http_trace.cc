// Tests for client/http/http_trace.h: the -vv lines for requests and
// responses show headers, never credentials or URL queries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "client/http/http_trace.h"

namespace regdigest {
namespace {

TEST_CASE("TraceHeaderLine redacts credentials and strips URL queries") {
  struct Case {
    std::string name, value, line;
  };
  const Case cases[] = {
      {"Accept", "application/vnd.oci.image.index.v1+json",
       "Accept: application/vnd.oci.image.index.v1+json"},
      {"Authorization", "Bearer eyJhbGciOi.secret", "Authorization: Bearer [redacted]"},
      {"authorization", "Basic YWxpY2U6c2VjcmV0", "authorization: Basic [redacted]"},
      {"Proxy-Authorization", "Basic abc", "Proxy-Authorization: Basic [redacted]"},
      {"Cookie", "session=abc", "Cookie: [redacted]"},
      {"Set-Cookie", "session=abc; Path=/", "Set-Cookie: [redacted]"},
      {"X-Registry-Token", "t0ken", "X-Registry-Token: [redacted]"},
      {"WWW-Authenticate", "Bearer realm=\"https://auth/token\",service=\"reg\"",
       "WWW-Authenticate: Bearer realm=\"https://auth/token\",service=\"reg\""},
      {"WWW-Authenticate", "Bearer realm=\"https://auth/token?X-Sig=s3cr3t\",service=\"reg\"",
       "WWW-Authenticate: Bearer realm=\"https://auth/token\",service=\"reg\""},
      {"Link", "<https://a/x?s=1>; rel=\"next\", <http://b/y#f>",
       "Link: <https://a/x>; rel=\"next\", <http://b/y>"},
      {"Location", "https://storage.example/blob?X-Amz-Signature=s3cr3t&X-Amz-Credential=k",
       "Location: https://storage.example/blob"},
      {"Location", "/v2/app/blobs/uploads/1?_state=abc", "Location: /v2/app/blobs/uploads/1?…"},
      {"Location", "http://alice:s3cr3t@127.0.0.1:5000/v2/x?y=1",
       "Location: http://[redacted]@127.0.0.1:5000/v2/x"},
      {"WWW-Authenticate", "Bearer realm=\"http://alice:s3cr3t@127.0.0.1:1/token\",service=\"x\"",
       "WWW-Authenticate: Bearer realm=\"http://[redacted]@127.0.0.1:1/token\",service=\"x\""},
      {"Docker-Content-Digest", "sha256:abc\x1b[2J", "Docker-Content-Digest: sha256:abc\\x1b[2J"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(TraceHeaderLine(c.name, c.value) == c.line);
  }
}

TEST_CASE("RequestTraceLines and ResponseTraceLines: the first line, then each header") {
  HttpRequest request;
  request.method = "HEAD";
  request.url = "https://registry.example/v2/app/manifests/v1?token=secret";
  request.headers.Add("Accept", "application/json");
  request.headers.Add("Authorization", "Bearer secret");
  const std::vector<std::string> sent = RequestTraceLines(request);
  CHECK(sent == std::vector<std::string>{"HEAD https://registry.example/v2/app/manifests/v1",
                                         "Accept: application/json",
                                         "Authorization: Bearer [redacted]"});
  const std::vector<std::string> received =
      ResponseTraceLines(200, {{"Content-Type", "application/json"}, {"Set-Cookie", "a=b"}});
  CHECK(received == std::vector<std::string>{"HTTP 200", "Content-Type: application/json",
                                             "Set-Cookie: [redacted]"});
  for (const std::string& line : sent) CHECK(line.find("secret") == std::string::npos);
}

}  // namespace
}  // namespace regdigest
