// Endpoint selection: Docker Hub's host, https first and the plain-http fallback of
// loopback and insecure registries, overrides, mirrors; when a failure means plain http.
#include <doctest/doctest.h>

#include <cerrno>

#include "common/registry/endpoint.h"

using regdigest::EndpointsFor;
using regdigest::RegistrySettings;
using regdigest::ToolConfig;

TEST_CASE("EndpointsFor picks scheme and host") {
  struct Case {
    const char* name;
    const char* domain;
    RegistrySettings settings;
    bool configured;
    std::vector<std::string> want;  // BaseUrl() of each endpoint, in order; empty: error
  };
  const std::vector<Case> cases = {
      {"docker hub", "docker.io", {}, false, {"https://registry-1.docker.io"}},
      {"ghcr", "ghcr.io", {}, false, {"https://ghcr.io"}},
      {"registry with port", "reg.example.com:5000", {}, false, {"https://reg.example.com:5000"}},
      {"localhost is https first", "localhost:5000", {}, false, {"https://localhost:5000"}},
      {"127.0.0.1 is https first", "127.0.0.1:5000", {}, false, {"https://127.0.0.1:5000"}},
      {"ipv6 loopback is https first", "[::1]:5000", {}, false, {"https://[::1]:5000"}},
      {"loopback with own CA is https",
       "127.0.0.1:5443",
       {"", {}, false, "/ca.pem"},
       true,
       {"https://127.0.0.1:5443"}},
      {"docker.io overridden",
       "docker.io",
       {"http://127.0.0.1:5000", {}, false, ""},
       true,
       {"http://127.0.0.1:5000"}},
      {"explicit https on loopback",
       "127.0.0.1:5443",
       {"https://127.0.0.1:5443", {}, false, ""},
       true,
       {"https://127.0.0.1:5443"}},
      {"insecure lab registry",
       "lab.internal:5000",
       {"", {}, true, ""},
       true,
       {"https://lab.internal:5000"}},
      {"explicit http on an insecure registry",
       "lab.internal:5000",
       {"http://lab.internal:5000", {}, true, ""},
       true,
       {"http://lab.internal:5000"}},
      {"http refused when not insecure",
       "reg.example.com",
       {"http://reg.example.com", {}, false, ""},
       true,
       {}},
      {"mirrors first",
       "docker.io",
       {"", {"mirror.example.com", "https://m2.example.com"}, false, ""},
       true,
       {"https://mirror.example.com", "https://m2.example.com", "https://registry-1.docker.io"}},
      {"bad endpoint scheme", "docker.io", {"ftp://x", {}, false, ""}, true, {}},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      ToolConfig config;
      if (c.configured) config.registries[c.domain] = c.settings;
      auto endpoints = EndpointsFor(c.domain, config);
      if (c.want.empty()) {
        CHECK_FALSE(endpoints.ok());
        continue;
      }
      REQUIRE(endpoints.ok());
      std::vector<std::string> got;
      for (const auto& e : *endpoints) got.push_back(e.BaseUrl());
      CHECK(got == c.want);
    }
  }
}

TEST_CASE("EndpointsFor carries CA files") {
  ToolConfig config;
  config.ca_file = "/global.pem";
  config.registries["a.example.com"].ca_file = "/a.pem";
  auto a = EndpointsFor("a.example.com", config);
  auto b = EndpointsFor("b.example.com", config);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->front().ca_file == "/a.pem");
  CHECK(b->front().ca_file == "/global.pem");
  // A global CA does not turn off the plain-http fallback of loopback registries.
  auto local = EndpointsFor("127.0.0.1:5000", config);
  REQUIRE(local.ok());
  CHECK(local->front().http_fallback);
}

TEST_CASE("EndpointsFor: which endpoints may fall back to plain http") {
  struct Case {
    const char* name;
    const char* domain;
    RegistrySettings settings;
    bool fallback;
  };
  const std::vector<Case> cases = {
      {"loopback", "127.0.0.1:5000", {}, true},
      {"localhost without a port", "localhost", {}, true},
      {"insecure", "lab.internal:5000", {"", {}, true, ""}, true},
      {"public registry", "ghcr.io", {}, false},
      {"loopback with its own CA", "127.0.0.1:5443", {"", {}, false, "/ca.pem"}, false},
      {"loopback with an explicit https endpoint",
       "127.0.0.1:5443",
       {"https://127.0.0.1:5443", {}, false, ""},
       false},
      {"insecure mirror", "docker.io", {"", {"mirror.lab:5000"}, true, ""}, true},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      ToolConfig config;
      config.registries[c.domain] = c.settings;
      auto endpoints = EndpointsFor(c.domain, config);
      REQUIRE(endpoints.ok());
      CHECK(endpoints->front().http_fallback == c.fallback);
      CHECK(endpoints->front().scheme == "https");
    }
  }
}

TEST_CASE("FallBackToHttp: only when no TLS server answered") {
  using regdigest::Endpoint;
  using regdigest::FallBackToHttp;
  using regdigest::Status;
  using regdigest::StatusCode;
  Endpoint with_port{"https", "127.0.0.1:5000", "", false, true};
  Endpoint without_port{"https", "localhost", "", false, true};
  Endpoint no_fallback{"https", "127.0.0.1:5000", "", false, false};
  const Status plain_text = Status(StatusCode::kTransport, "plain text").WithOsErrno(EPROTO);
  const Status refused = Status(StatusCode::kTransport, "refused").WithOsErrno(ECONNREFUSED);
  struct Case {
    const char* name;
    const Endpoint* endpoint;
    Status failure;
    bool want;
  };
  const std::vector<Case> cases = {
      {"handshake answered in plain text", &with_port, plain_text, true},
      {"no fallback for this endpoint", &no_fallback, plain_text, false},
      {"certificate does not verify", &with_port,
       Status(StatusCode::kTransport, "TLS certificate verification failed"), false},
      {"refused, same port for http", &with_port, refused, false},
      {"refused on 443, http on 80", &without_port, refused, true},
      {"an HTTP answer", &with_port,
       Status(StatusCode::kTransport, "x").WithHttpStatus(400).WithOsErrno(EPROTO), false},
      {"timeout", &with_port, Status(StatusCode::kTransport, "timed out"), false},
      {"ok", &with_port, Status::Ok(), false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(FallBackToHttp(*c.endpoint, c.failure) == c.want);
  }
}

TEST_CASE("IsPlainHttpToTlsAnswer recognises a TLS server's answer to plain http") {
  using regdigest::IsPlainHttpToTlsAnswer;
  struct Case {
    const char* name;
    int status;
    std::size_t fields;
    std::string body;
    bool want;
  };
  const std::vector<Case> cases = {
      {"Go, GET", 400, 0, "Client sent an HTTP request to an HTTPS server.\n", true},
      {"Go, HEAD (no body read)", 400, 0, "", true},
      {"nginx", 400, 5,
       "<html><center>The plain HTTP request was sent to HTTPS port</center></html>", true},
      {"a registry's own 400", 400, 3, R"({"errors":[{"code":"MANIFEST_INVALID"}]})", false},
      {"400 with headers and no body", 400, 2, "", false},
      {"another status", 404, 0, "", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(IsPlainHttpToTlsAnswer(c.status, c.fields, c.body) == c.want);
  }
}
