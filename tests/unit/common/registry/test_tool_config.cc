#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/registry/tool_config.h"

namespace regdigest {
namespace {

using std::chrono::milliseconds;

ToolConfig MustParse(const std::string& text) {
  Result<ToolConfig> got = ParseToolConfig(text);
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  return std::move(got).value();
}

TEST_CASE("ParseToolConfig defaults") {
  for (const char* text : {"", " \n\t", "{}", "// nothing\n{}", "/* x */ { } // y"}) {
    CAPTURE(text);
    ToolConfig c = MustParse(text);
    CHECK(c.registries.empty());
    CHECK(c.connect_timeout == milliseconds(10000));
    CHECK(c.timeout == milliseconds(30000));
    CHECK(c.ca_file.empty());
    CHECK(c.concurrency == 8);
    CHECK(c.ConcurrencyFor("docker.io") == 8);
    CHECK(c.retries == 3);
    CHECK(c.RetriesFor("docker.io") == 3);
    CHECK(c.retry_max_wait == milliseconds(60000));
    CHECK(c.retry_total_time == milliseconds(300000));
    const RetryPolicy policy = c.DefaultRetryPolicy();
    CHECK(policy.max_attempts == 4);
    CHECK(policy.max_wait == milliseconds(60000));
    CHECK(policy.max_total == milliseconds(300000));
  }
}

TEST_CASE("ParseToolConfig reads every key") {
  ToolConfig c = MustParse(R"({
    // comment
    "connectTimeout": 2.5,
    "timeout": 0.0001,  /* rounds up to 1 ms */
    "caFile": "/etc/ca.pem",
    "concurrency": 16,
    "registries": {
      "docker.io": {"mirrors": ["https://m1.example", "m2.example:5000"]},
      "LocalHost:5000": {"insecure": true, "concurrency": 2},
      "priv.example": {"endpoint": "https://vip.example:8443", "caFile": "/ca/priv.pem",
                       "insecure": false, "mirrors": []}
    }
  })");
  CHECK(c.connect_timeout == milliseconds(2500));
  CHECK(c.timeout == milliseconds(1));
  CHECK(c.ca_file == "/etc/ca.pem");
  REQUIRE(c.registries.size() == 3);
  const RegistrySettings& hub = c.registries.at("docker.io");
  CHECK(hub.mirrors == std::vector<std::string>{"https://m1.example", "m2.example:5000"});
  CHECK(hub.endpoint.empty());
  CHECK_FALSE(hub.insecure);
  CHECK(c.registries.at("localhost:5000").insecure);
  const RegistrySettings& priv = c.registries.at("priv.example");
  CHECK(priv.endpoint == "https://vip.example:8443");
  CHECK(priv.ca_file == "/ca/priv.pem");
  CHECK(priv.mirrors.empty());
  CHECK(c.concurrency == 16);
  CHECK(c.ConcurrencyFor("localhost:5000") == 2);
  CHECK(c.ConcurrencyFor("priv.example") == 16);  // configured, but not its concurrency
  CHECK(c.ConcurrencyFor("ghcr.io") == 16);       // not configured at all
}

TEST_CASE("ParseToolConfig concurrency bounds") {
  struct Case {
    std::string text;
    int want;  // 0: rejected
  };
  const Case cases[] = {
      {R"({"concurrency": 1})", 1},   {R"({"concurrency": 64})", 64},
      {R"({"concurrency": 0})", 0},   {R"({"concurrency": 65})", 0},
      {R"({"concurrency": -1})", 0},  {R"({"concurrency": 2.5})", 0},
      {R"({"concurrency": "8"})", 0}, {R"({"concurrency": null})", 0},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    Result<ToolConfig> got = ParseToolConfig(k.text);
    REQUIRE(got.ok() == (k.want != 0));
    if (k.want != 0) {
      CHECK(got->concurrency == k.want);
    } else {
      CHECK(got.status().message().starts_with("concurrency: "));
    }
  }
}

TEST_CASE("ParseToolConfig retry settings") {
  ToolConfig c = MustParse(R"({
    "retries": 5, "retryMaxWait": 2.5, "retryTotalTime": 90,
    "registries": {"docker.io": {"retries": 0}, "ghcr.io": {"retries": 10}, "quay.io": {}}
  })");
  CHECK(c.retries == 5);
  CHECK(c.retry_max_wait == milliseconds(2500));
  CHECK(c.retry_total_time == milliseconds(90000));
  struct Case {
    std::string domain;
    int retries;
  };
  const Case cases[] = {{"docker.io", 0},
                        {"index.docker.io", 0},
                        {"ghcr.io", 10},
                        {"quay.io", 5},
                        {"localhost:5000", 5}};
  for (const Case& k : cases) {
    CAPTURE(k.domain);
    CHECK(c.RetriesFor(k.domain) == k.retries);
  }
  const RetryPolicy policy = c.DefaultRetryPolicy();
  CHECK(policy.max_attempts == 6);
  CHECK(policy.max_wait == milliseconds(2500));
  CHECK(policy.max_total == milliseconds(90000));
}

TEST_CASE("ParseToolConfig retries bounds") {
  struct Case {
    std::string text;
    int want;  // -1: rejected
  };
  const Case cases[] = {
      {R"({"retries": 0})", 0},     {R"({"retries": 10})", 10},  {R"({"retries": 11})", -1},
      {R"({"retries": -1})", -1},   {R"({"retries": 1.5})", -1}, {R"({"retries": "3"})", -1},
      {R"({"retries": true})", -1},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    Result<ToolConfig> got = ParseToolConfig(k.text);
    REQUIRE(got.ok() == (k.want >= 0));
    if (k.want >= 0) {
      CHECK(got->retries == k.want);
    } else {
      CHECK(got.status().message().starts_with("retries: "));
    }
  }
}

TEST_CASE("ToolConfig::Find normalises the domain") {
  ToolConfig c =
      MustParse(R"({"registries": {"index.docker.io": {"insecure": true}, "localhost:5000": {}}})");
  struct Case {
    std::string domain;
    bool found;
  };
  const Case cases[] = {
      {"docker.io", true},  {"index.docker.io", true}, {"registry-1.docker.io", true},
      {"Docker.IO", true},  {"localhost:5000", true},  {"LOCALHOST:5000", true},
      {"localhost", false}, {"localhost:5001", false}, {"ghcr.io", false},
  };
  for (const Case& k : cases) {
    CAPTURE(k.domain);
    const RegistrySettings* s = c.Find(k.domain);
    CHECK((s != nullptr) == k.found);
  }
  CHECK(c.Find("docker.io")->insecure);
}

TEST_CASE("ParseToolConfig rejects bad files naming the key path") {
  struct Case {
    std::string text, message;
  };
  const Case cases[] = {
      {R"({"registries": {"docker.io": {"insecure": "yes"}}})",
       R"(registries."docker.io".insecure: expected a boolean)"},
      {R"({"registries": {"docker.io": {"mirror": []}}})",
       R"(registries."docker.io".mirror: unknown key)"},
      {R"({"registries": {"docker.io": {"mirrors": "m.example"}}})",
       R"(registries."docker.io".mirrors: expected an array of strings)"},
      {R"({"registries": {"docker.io": {"mirrors": ["ok.example", 5]}}})",
       R"(registries."docker.io".mirrors[1]: expected a string)"},
      {R"({"registries": {"docker.io": {"mirrors": [""]}}})",
       R"(registries."docker.io".mirrors[0]: must not be empty)"},
      {R"({"registries": {"docker.io": {"endpoint": "has space"}}})",
       R"(registries."docker.io".endpoint: must not contain spaces)"},
      {R"({"registries": {"docker.io": {"caFile": null}}})",
       R"(registries."docker.io".caFile: expected a string)"},
      {R"({"registries": {"docker.io": true}})", R"(registries."docker.io": expected an object)"},
      {R"({"registries": {"docker.io": {}, "index.docker.io": {}}})", "configured twice"},
      {R"({"registries": {"": {}}})", R"(registries."": expected a registry domain)"},
      {R"({"registries": {"https://r.example": {}}})", "expected a registry domain"},
      {R"({"registries": []})", "registries: expected an object"},
      {R"({"timeout": 0})", "timeout: must be greater than 0"},
      {R"({"timeout": -3})", "timeout: must be greater than 0"},
      {R"({"timeout": "30"})", "timeout: expected a number of seconds"},
      {R"({"connectTimeout": true})", "connectTimeout: expected a number of seconds"},
      {R"({"connectTimeout": 1e9})", "connectTimeout: must be at most 86400"},
      {R"({"caFile": 1})", "caFile: expected a string"},
      {R"({"concurrency": 100})", "concurrency: must be from 1 to 64"},
      {R"({"registries": {"docker.io": {"concurrency": 0}}})",
       R"(registries."docker.io".concurrency: must be from 1 to 64)"},
      {R"({"registries": {"docker.io": {"concurrency": true}}})",
       R"(registries."docker.io".concurrency: expected an integer)"},
      {R"({"timeOut": 3})", "timeOut: unknown key"},
      {R"({"retryMaxWait": 0})", "retryMaxWait: must be greater than 0"},
      {R"({"retryTotalTime": "60"})", "retryTotalTime: expected a number of seconds"},
      {R"({"registries": {"docker.io": {"retries": 99}}})",
       R"(registries."docker.io".retries: must be from 0 to 10)"},
      {R"({"retryMaxwait": 3})", "retryMaxwait: unknown key"},
      {R"([1])", "expected a JSON object"},
      {R"({"timeout": 3,})", "invalid JSON"},
      {"{\"timeout\": 3", "invalid JSON"},
      {"{\"timeout\": 1e400}", "invalid JSON: a number is out of range"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    Result<ToolConfig> got = ParseToolConfig(c.text);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message().find(c.message) != std::string::npos);
  }
}

TEST_CASE("config/regdigest.example.json parses") {
  const std::filesystem::path path =
      std::filesystem::path(REGDIGEST_SOURCE_DIR) / "config" / "regdigest.example.json";
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path.string());
  std::stringstream text;
  text << in.rdbuf();
  ToolConfig c = MustParse(text.str());
  CHECK(c.connect_timeout == milliseconds(10000));
  CHECK(c.timeout == milliseconds(30000));
  CHECK_FALSE(c.ca_file.empty());
  REQUIRE(c.Find("docker.io") != nullptr);
  CHECK_FALSE(c.Find("docker.io")->mirrors.empty());
  REQUIRE(c.Find("registry.corp.example") != nullptr);
  CHECK_FALSE(c.Find("registry.corp.example")->ca_file.empty());
  REQUIRE(c.Find("lab-registry.local:5000") != nullptr);
  CHECK(c.Find("lab-registry.local:5000")->insecure);
  CHECK(c.concurrency == 8);
  CHECK(c.ConcurrencyFor("lab-registry.local:5000") == 2);
}

}  // namespace
}  // namespace regdigest
