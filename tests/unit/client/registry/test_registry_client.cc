// RegistryClient over an in-process fake transport: HEAD, GET fallback,
// digest verification, error mapping, mirror fallback, only manifests as
// manifests. The scheme rules: test_registry_client_schemes.cc.
#include <doctest/doctest.h>

#include <deque>
#include <functional>

#include "client/registry/registry_client.h"
#include "common/image/media_types.h"
#include "tests/unit/fakes/scripted_transport.h"

using namespace regdigest;
using regdigest::testing::ScriptedTransport;

namespace {

const std::string kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";

HttpResponse Response(int status, const std::string& body, bool with_digest,
                      const std::string& digest_override = "") {
  HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers.Add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
  if (with_digest) {
    r.headers.Add("Docker-Content-Digest",
                  digest_override.empty() ? Digest::Sha256Of(kManifest).String() : digest_override);
  }
  return r;
}

Reference Ref(const std::string& text) { return Reference::Parse(text).value(); }

}  // namespace

TEST_CASE("Resolve: one HEAD with the full Accept list when the digest header is present") {
  auto transport = std::make_shared<ScriptedTransport>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Response(200, "", true); });
  RegistryClient client(transport, ToolConfig{});
  auto got = client.Resolve(Ref("127.0.0.1:5000/team/app:v1"));
  REQUIRE(got.ok());
  CHECK(got->digest == Digest::Sha256Of(kManifest));
  CHECK(got->media_type == "application/vnd.oci.image.manifest.v1+json");
  REQUIRE(transport->requests.size() == 1);
  const HttpRequest& req = transport->requests[0];
  CHECK(req.method == "HEAD");
  // Loopback: https first; any HTTP answer settles it for the run.
  CHECK(req.url == "https://127.0.0.1:5000/v2/team/app/manifests/v1");
  CHECK(req.auth.registry == "127.0.0.1:5000");
  CHECK(req.auth.scope == "repository:team/app:pull");
  const std::string accept = req.headers.Get("Accept").value_or("");
  for (const char* type :
       {"application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json"}) {
    CHECK(accept.find(type) != std::string::npos);
  }
}

TEST_CASE("Resolve falls back to GET and verifies the bytes") {
  struct Case {
    const char* name;
    int head_status;
    bool head_digest;
    std::string get_digest;  // "" none, "good", or a wrong digest
    StatusCode want;
  };
  const std::string wrong = Digest::Sha256Of("something else").String();
  const std::vector<Case> cases = {
      {"no header on HEAD, none on GET", 200, false, "", StatusCode::kOk},
      {"no header on HEAD, right one on GET", 200, false, "good", StatusCode::kOk},
      {"HEAD 405, GET fine", 405, false, "good", StatusCode::kOk},
      {"GET claims another digest", 200, false, wrong, StatusCode::kDigestMismatch},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto transport =
          std::make_shared<ScriptedTransport>([&](const HttpRequest& req) -> Result<HttpResponse> {
            if (req.method == "HEAD") return Response(c.head_status, "", c.head_digest);
            return Response(200, kManifest, !c.get_digest.empty(),
                            c.get_digest == "good" ? "" : c.get_digest);
          });
      RegistryClient client(transport, ToolConfig{});
      auto got = client.Resolve(Ref("localhost:5000/app:v1"));
      CHECK(got.status().code() == c.want);
      if (got.ok()) CHECK(got->digest == Digest::Sha256Of(kManifest));
      REQUIRE(transport->requests.size() == 2);
      CHECK(transport->requests[1].method == "GET");
    }
  }
}

TEST_CASE("Resolve by digest refuses a registry that answers another digest") {
  const Digest asked = Digest::Sha256Of("asked");
  auto transport = std::make_shared<ScriptedTransport>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Response(200, "", true); });
  RegistryClient client(transport, ToolConfig{});
  auto got = client.Resolve(Ref("localhost:5000/app@" + asked.String()));
  CHECK(got.status().code() == StatusCode::kDigestMismatch);
  CHECK(transport->requests[0].url == "https://localhost:5000/v2/app/manifests/" + asked.String());
}

TEST_CASE("Resolve maps registry errors") {
  struct Case {
    int status;
    StatusCode want;
  };
  const std::vector<Case> cases = {{401, StatusCode::kUnauthorized},
                                   {403, StatusCode::kUnauthorized},
                                   {404, StatusCode::kNotFound},
                                   {429, StatusCode::kRateLimited},
                                   {500, StatusCode::kTransport}};
  for (const Case& c : cases) {
    CAPTURE(c.status);
    auto transport = std::make_shared<ScriptedTransport>(
        [&](const HttpRequest&) -> Result<HttpResponse> { return Response(c.status, "", false); });
    RegistryClient client(transport, ToolConfig{});
    auto got = client.Resolve(Ref("localhost:5000/app:v1"));
    CHECK(got.status().code() == c.want);
    CHECK(got.status().message().find("localhost:5000/app:v1") != std::string::npos);
    CHECK(transport->requests.size() == 1);  // a failed HEAD is never turned into a GET
  }
}

TEST_CASE("Resolve tries mirrors first and falls back to the registry") {
  ToolConfig config;
  config.registries["docker.io"].mirrors = {"mirror.example.com"};
  auto transport =
      std::make_shared<ScriptedTransport>([](const HttpRequest& req) -> Result<HttpResponse> {
        if (req.url.find("mirror.example.com") != std::string::npos) {
          return Status(StatusCode::kTransport, "connection refused");
        }
        return Response(200, "", true);
      });
  RegistryClient client(transport, config);
  auto got = client.Resolve(Ref("ubuntu"));
  REQUIRE(got.ok());
  REQUIRE(transport->requests.size() == 2);
  CHECK(transport->requests[0].url ==
        "https://mirror.example.com/v2/library/ubuntu/manifests/latest");
  CHECK(transport->requests[1].url ==
        "https://registry-1.docker.io/v2/library/ubuntu/manifests/latest");
}

TEST_CASE("Resolve and HeadRateLimit capture Docker Hub's rate-limit headers") {
  struct Case {
    const char* name;
    int head_status;
    bool head_digest;
    bool with_headers;
    std::optional<RateLimit> want;
    std::size_t requests;  // for Resolve
  };
  const RateLimit hub{100, 76, 21600, "1.2.3.4"};
  const std::vector<Case> cases = {
      {"HEAD with the headers", 200, true, true, hub, 1},
      {"HEAD without them", 200, true, false, std::nullopt, 1},
      {"HEAD 405 with them, then GET", 405, false, true, hub, 2},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto transport =
          std::make_shared<ScriptedTransport>([&](const HttpRequest& req) -> Result<HttpResponse> {
            HttpResponse r = req.method == "HEAD" ? Response(c.head_status, "", c.head_digest)
                                                  : Response(200, kManifest, true);
            if (c.with_headers && req.method == "HEAD") {
              r.headers.Add("RateLimit-Limit", "100;w=21600");
              r.headers.Add("ratelimit-remaining", "76;w=21600");
              r.headers.Add("docker-ratelimit-source", "1.2.3.4");
            }
            return r;
          });
      RegistryClient client(transport, ToolConfig{});
      auto got = client.Resolve(Ref("localhost:5000/app:v1"));
      REQUIRE(got.ok());
      CHECK(got->rate_limit == c.want);
      CHECK(transport->requests.size() == c.requests);

      transport->requests.clear();
      auto head_only = client.HeadRateLimit(Ref("localhost:5000/app:v1"));
      REQUIRE(head_only.ok());
      CHECK(*head_only == c.want);
      REQUIRE(transport->requests.size() == 1);  // one HEAD, never a GET
      CHECK(transport->requests[0].method == "HEAD");
    }
  }
}

TEST_CASE("HeadRateLimit reports a failed HEAD without trying a GET") {
  auto transport = std::make_shared<ScriptedTransport>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Response(429, "", false); });
  RegistryClient client(transport, ToolConfig{});
  auto got = client.HeadRateLimit(Ref("localhost:5000/app:v1"));
  CHECK(got.status().code() == StatusCode::kRateLimited);
  CHECK(transport->requests.size() == 1);
}

namespace {

HttpResponse Typed(int status, const std::string& content_type, const std::string& body,
                   const std::string& digest = "") {
  HttpResponse r;
  r.status = status;
  r.body = body;
  if (!content_type.empty()) r.headers.Add("Content-Type", content_type);
  if (!digest.empty()) r.headers.Add("Docker-Content-Digest", digest);
  return r;
}

const std::string kHtml = "<html><body>Directory listing</body></html>";
const std::string kBareOciManifest =
    R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",)"
    R"("digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",)"
    R"("size":2},"layers":[]})";

}  // namespace

TEST_CASE("Resolve accepts only manifests: a web page is not a registry") {
  struct Case {
    const char* name;
    std::string head_type;  // Content-Type of the HEAD answer ("" none)
    bool head_digest;       // the HEAD names the body's digest
    std::string get_type;
    std::string get_body;
    std::size_t requests;
    StatusCode want;
    std::string says;  // in the error, or the media type when ok
  };
  const std::string v1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
  const std::vector<Case> cases = {
      {"manifest type: one HEAD", "application/vnd.oci.image.manifest.v1+json; charset=utf-8", true,
       "", "", 1, StatusCode::kOk, "application/vnd.oci.image.manifest.v1+json"},
      {"HTML page on HEAD: no GET", "text/html; charset=utf-8", false, "", "", 1,
       StatusCode::kProtocol,
       "127.0.0.1:5000/x:z: https://127.0.0.1:5000 does not look like a container registry: it "
       "answered the manifest request with Content-Type \"text/html; charset=utf-8\""},
      {"HTML page with a digest header", "text/html", true, "", "", 1, StatusCode::kProtocol,
       "does not look like a container registry"},
      {"schema 1 on HEAD", v1, true, "", "", 1, StatusCode::kProtocol,
       "127.0.0.1:5000/x:z: schema 1 manifests are not supported; "},
      {"octet-stream, manifest body", "application/octet-stream", false, "application/octet-stream",
       kBareOciManifest, 2, StatusCode::kOk, "application/vnd.oci.image.manifest.v1+json"},
      {"octet-stream with a digest, manifest body", "application/octet-stream", true,
       "application/octet-stream", kBareOciManifest, 2, StatusCode::kOk,
       "application/vnd.oci.image.manifest.v1+json"},
      {"no Content-Type, manifest body with its type", "", false, "", kManifest, 2,
       StatusCode::kProtocol, "image manifest: missing \"config\""},
      {"octet-stream, HTML body", "application/octet-stream", false, "application/octet-stream",
       kHtml, 2, StatusCode::kProtocol,
       "answered the manifest request with Content-Type \"application/octet-stream\" and a body "
       "that is not a manifest (not valid JSON)"},
      {"text/plain, then an HTML GET", "text/plain", false, "text/html", kHtml, 2,
       StatusCode::kProtocol, "Content-Type \"text/html\""},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      const std::string body = c.get_body.empty() ? kManifest : c.get_body;
      const std::string digest = Digest::Sha256Of(body).String();
      auto transport =
          std::make_shared<ScriptedTransport>([&](const HttpRequest& req) -> Result<HttpResponse> {
            if (req.method == "HEAD")
              return Typed(200, c.head_type, "", c.head_digest ? digest : "");
            return Typed(200, c.get_type, body);
          });
      RegistryClient client(transport, ToolConfig{});
      auto got = client.Resolve(Ref("127.0.0.1:5000/x:z"));
      CHECK(got.status().code() == c.want);
      if (got.ok()) {
        CHECK(got->media_type == c.says);
        CHECK(got->digest.String() == digest);
      } else {
        CHECK_MESSAGE(got.status().message().find(c.says) != std::string::npos,
                      got.status().message());
      }
      REQUIRE(transport->requests.size() == c.requests);
      if (c.requests == 2) {
        CHECK(transport->requests[1].method == "GET");
        // With a digest from the HEAD, the GET asks for it (the tag cannot move in between).
        const std::string tail = c.head_digest ? "/manifests/" + digest : "/manifests/z";
        CHECK(transport->requests[1].url.ends_with(tail));
      }
    }
  }
}

TEST_CASE("Fetch names the media type of a manifest served as application/octet-stream") {
  auto transport =
      std::make_shared<ScriptedTransport>([](const HttpRequest&) -> Result<HttpResponse> {
        return Typed(200, "application/octet-stream", kBareOciManifest);
      });
  RegistryClient client(transport, ToolConfig{});
  auto got = client.Fetch(Ref("127.0.0.1:5000/x:z"));
  REQUIRE(got.ok());
  CHECK(got->descriptor.media_type == "application/vnd.oci.image.manifest.v1+json");
  CHECK(got->body == kBareOciManifest);
}
