// RegistryClient's schemes over an in-process fake transport: loopback
// registries over https first, then plain http, decided once per run; a TLS
// server answering plain http named as such; Ping for login.
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include "client/registry/registry_client.h"
#include "tests/unit/fakes/scripted_transport.h"

using namespace regdigest;
using regdigest::testing::ScriptedTransport;

namespace {

const std::string kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";

// A manifest HEAD answer naming kManifest's digest.
HttpResponse Response(int status, const std::string& body, bool with_digest) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers.Add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
  if (with_digest) r.headers.Add("Docker-Content-Digest", Digest::Sha256Of(kManifest).String());
  return r;
}

HttpResponse Typed(int status, const std::string& content_type, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers.Add("Content-Type", content_type);
  return r;
}

Reference Ref(const std::string& text) { return Reference::Parse(text).value(); }

}  // namespace

TEST_CASE("Loopback registries: https first, then plain http, decided once per run") {
  struct Case {
    const char* name;
    std::string domain;
    Status https_failure;  // ok: the https attempt gets an answer
    std::vector<std::string> want_urls;
    StatusCode want;
  };
  const Status plain_text =
      Status(StatusCode::kTransport, "answered the TLS handshake in plain HTTP")
          .WithOsErrno(EPROTO);
  const Status bad_certificate =
      Status(StatusCode::kTransport, "TLS certificate verification failed");
  const std::string path = "/v2/x/manifests/z";
  const std::vector<Case> cases = {
      {"TLS registry on loopback",
       "127.0.0.1:5000",
       Status::Ok(),
       {"https://127.0.0.1:5000" + path, "https://127.0.0.1:5000" + path},
       StatusCode::kOk},
      {"plain-http registry on loopback: one extra attempt",
       "127.0.0.1:5000",
       plain_text,
       {"https://127.0.0.1:5000" + path, "http://127.0.0.1:5000" + path,
        "http://127.0.0.1:5000" + path},
       StatusCode::kOk},
      {"certificate error: no fallback",
       "127.0.0.1:5000",
       bad_certificate,
       {"https://127.0.0.1:5000" + path, "https://127.0.0.1:5000" + path},
       StatusCode::kTransport},
      {"not loopback: https only",
       "reg.example.com",
       plain_text,
       {"https://reg.example.com" + path, "https://reg.example.com" + path},
       StatusCode::kTransport},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      auto transport =
          std::make_shared<ScriptedTransport>([&](const HttpRequest& req) -> Result<HttpResponse> {
            if (req.url.starts_with("https:") && !c.https_failure.ok()) return c.https_failure;
            return Response(200, "", true);
          });
      RegistryClient client(transport, ToolConfig{});
      for (int i = 0; i < 2; ++i) {
        auto got = client.Resolve(Ref(c.domain + "/x:z"));
        CHECK(got.status().code() == c.want);
      }
      std::vector<std::string> urls;
      for (const HttpRequest& r : transport->requests) urls.push_back(r.url);
      CHECK(urls == c.want_urls);
    }
  }
}

TEST_CASE("A TLS server answering plain http is named as such") {
  ToolConfig config;
  config.registries["127.0.0.1:5105"].endpoint = "http://127.0.0.1:5105";
  auto transport =
      std::make_shared<ScriptedTransport>([](const HttpRequest&) -> Result<HttpResponse> {
        HttpResponse r;  // Go's answer: "HTTP/1.0 400 Bad Request", no header field at all
        r.status = 400;
        return r;
      });
  RegistryClient client(transport, config);
  auto got = client.Resolve(Ref("127.0.0.1:5105/x:z"));
  CHECK(got.status().code() == StatusCode::kTransport);
  CHECK_MESSAGE(
      got.status().message().find("127.0.0.1:5105 speaks HTTPS, not HTTP") != std::string::npos,
      got.status().message());
}

TEST_CASE("Ping sends GET /v2/ to the registry itself, with the scheme found") {
  auto transport =
      std::make_shared<ScriptedTransport>([](const HttpRequest& req) -> Result<HttpResponse> {
        if (req.url.starts_with("https:")) {
          return Status(StatusCode::kTransport, "plain text").WithOsErrno(EPROTO);
        }
        return Typed(401, "application/json", "{}");
      });
  RegistryClient client(transport, ToolConfig{});
  auto got = client.Ping("localhost:5000");
  REQUIRE(got.ok());
  CHECK(got->status == 401);
  REQUIRE(transport->requests.size() == 2);
  CHECK(transport->requests[1].url == "http://localhost:5000/v2/");
  CHECK(transport->requests[1].auth.registry == "localhost:5000");
}
