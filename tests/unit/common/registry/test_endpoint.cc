// Endpoint selection: Docker Hub's host, loopback http, overrides, mirrors, insecure.
#include <doctest/doctest.h>

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
      {"localhost is http", "localhost:5000", {}, false, {"http://localhost:5000"}},
      {"127.0.0.1 is http", "127.0.0.1:5000", {}, false, {"http://127.0.0.1:5000"}},
      {"ipv6 loopback is http", "[::1]:5000", {}, false, {"http://[::1]:5000"}},
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
  // A global CA does not turn loopback registries into https ones.
  auto local = EndpointsFor("127.0.0.1:5000", config);
  REQUIRE(local.ok());
  CHECK(local->front().scheme == "http");
}
