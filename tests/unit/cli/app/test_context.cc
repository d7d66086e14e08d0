// Tests for the config lookup of cli/app/context.h (DefaultToolConfigPath,
// LoadToolConfig) against an in-memory environment and file system.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/app/context.h"
#include "tests/unit/fakes/fake_system.h"

namespace regdigest {
namespace {

using testing::FakeEnvironment;
using testing::FakeFileSystem;

TEST_CASE("LoadToolConfig looks up --config, $REGDIGEST_CONFIG, $XDG_CONFIG_HOME, then HOME") {
  // Each candidate file holds a different concurrency, which tells which was loaded.
  const std::map<std::string, int> all_files = {
      {"/flag.json", 11},
      {"/env.json", 12},
      {"/xdg/regdigest/config.json", 13},
      {"/home/u/.config/regdigest/config.json", 14},
      {"/pw/.config/regdigest/config.json", 15},
  };
  struct Case {
    std::string name;
    std::string flag;  // --config
    std::map<std::string, std::string, std::less<>> vars;
    std::string passwd_home;
    std::vector<std::string> present;  // files of all_files that exist
    std::string want_read;             // the one path read
    StatusCode want_code = StatusCode::kOk;
    int want_concurrency = kDefaultConcurrency;
  };
  const std::map<std::string, std::string, std::less<>> every_var = {
      {"REGDIGEST_CONFIG", "/env.json"}, {"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}};
  std::vector<std::string> everything;
  for (const auto& [path, concurrency] : all_files) everything.push_back(path);
  const std::vector<Case> cases = {
      {"--config first", "/flag.json", every_var, "/pw", everything, "/flag.json", StatusCode::kOk,
       11},
      {"then REGDIGEST_CONFIG", "", every_var, "/pw", everything, "/env.json", StatusCode::kOk, 12},
      {"empty REGDIGEST_CONFIG is unset",
       "",
       {{"REGDIGEST_CONFIG", ""}, {"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}},
       "/pw",
       everything,
       "/xdg/regdigest/config.json",
       StatusCode::kOk,
       13},
      {"then XDG_CONFIG_HOME",
       "",
       {{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}},
       "/pw",
       everything,
       "/xdg/regdigest/config.json",
       StatusCode::kOk,
       13},
      {"empty XDG_CONFIG_HOME is unset",
       "",
       {{"XDG_CONFIG_HOME", ""}, {"HOME", "/home/u"}},
       "/pw",
       everything,
       "/home/u/.config/regdigest/config.json",
       StatusCode::kOk,
       14},
      {"missing HOME: the passwd entry",
       "",
       {},
       "/pw",
       everything,
       "/pw/.config/regdigest/config.json",
       StatusCode::kOk,
       15},
      {"relative XDG_CONFIG_HOME is ignored, as for the history database",
       "",
       {{"XDG_CONFIG_HOME", "xdg"}, {"HOME", "/home/u"}},
       "/pw",
       everything,
       "/home/u/.config/regdigest/config.json",
       StatusCode::kOk,
       14},
      {"default path absent: built-in defaults",
       "",
       {{"HOME", "/home/u"}},
       "/pw",
       {},
       "/home/u/.config/regdigest/config.json"},
      {"XDG path absent: defaults, HOME's file is not tried",
       "",
       {{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/home/u"}},
       "",
       {"/home/u/.config/regdigest/config.json"},
       "/xdg/regdigest/config.json"},
      {"missing --config file is a usage error",
       "/flag.json",
       every_var,
       "",
       {"/env.json"},
       "/flag.json",
       StatusCode::kUsage},
      {"missing REGDIGEST_CONFIG file is a usage error",
       "",
       every_var,
       "",
       {"/xdg/regdigest/config.json"},
       "/env.json",
       StatusCode::kUsage},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    FakeEnvironment env(c.vars, c.passwd_home);
    FakeFileSystem files;
    for (const std::string& path : c.present) {
      files.files[path] = {"{\"concurrency\": " + std::to_string(all_files.at(path)) + "}", 0644};
    }
    GlobalOptions options;
    options.config_path = c.flag;
    Result<ToolConfig> config = LoadToolConfig(options, env, files);
    CHECK(files.reads == std::vector<std::string>{c.want_read});
    CHECK(config.status().code() == c.want_code);
    if (!config.ok()) {
      CHECK(config.status().message() == "config file " + c.want_read + " does not exist");
      continue;
    }
    CHECK(config->concurrency == c.want_concurrency);
  }
}

TEST_CASE("An empty HOME is refused with a message, never read as /.config") {
  FakeFileSystem files;
  files.files["/.config/regdigest/config.json"] = {"{\"concurrency\": 3}", 0644};
  for (const FakeEnvironment& env :
       {FakeEnvironment({{"HOME", ""}}, "/pw"), FakeEnvironment({}, "")}) {
    Result<ToolConfig> config = LoadToolConfig(GlobalOptions{}, env, files);
    CHECK(config.status().code() == StatusCode::kUsage);
    CHECK(config.status().message().starts_with("HOME is "));
    CHECK(DefaultToolConfigPath(env).status().code() == StatusCode::kUsage);
  }
  CHECK(files.reads.empty());
  // An explicit path, or an absolute XDG_CONFIG_HOME, needs no home.
  GlobalOptions explicit_path;
  explicit_path.config_path = "/.config/regdigest/config.json";
  CHECK(LoadToolConfig(explicit_path, FakeEnvironment({{"HOME", ""}}, ""), files).ok());
  CHECK(*DefaultToolConfigPath(FakeEnvironment({{"HOME", ""}, {"XDG_CONFIG_HOME", "/x"}}, "")) ==
        "/x/regdigest/config.json");
}

TEST_CASE("LoadToolConfig: parse errors name the file; flags override the file") {
  FakeEnvironment env({{"HOME", "/home/u"}}, "");
  const std::string path = "/home/u/.config/regdigest/config.json";
  SUBCASE("invalid JSON") {
    FakeFileSystem files;
    files.files[path] = {"{\"concurrency\": true}", 0644};
    Result<ToolConfig> config = LoadToolConfig(GlobalOptions{}, env, files);
    CHECK(config.status().code() == StatusCode::kUsage);
    CHECK(config.status().message().rfind(path + ": ", 0) == 0);
  }
  SUBCASE("read error") {
    FakeFileSystem files;
    files.read_errors[path] =
        Status(StatusCode::kIo, "cannot read " + path + ": Permission denied");
    CHECK(LoadToolConfig(GlobalOptions{}, env, files).status().code() == StatusCode::kIo);
  }
  SUBCASE("--retries and --timeout") {
    FakeFileSystem files;
    files.files[path] = {R"({"retries": 5, "timeout": 9, "registries": {"r.io": {"retries": 7}}})",
                         0644};
    GlobalOptions options;
    options.retries = 1;
    options.timeout_seconds = 0.0015;
    Result<ToolConfig> config = LoadToolConfig(options, env, files);
    REQUIRE(config.ok());
    CHECK(config->retries == 1);
    CHECK(config->RetriesFor("r.io") == 1);
    CHECK(config->timeout == std::chrono::milliseconds(2));  // rounded up
  }
}

TEST_CASE("--insecure-registry marks registries insecure, as the config file's key does") {
  FakeEnvironment env({{"HOME", "/home/u"}}, "");
  const std::string path = "/home/u/.config/regdigest/config.json";
  FakeFileSystem files;
  files.files[path] = {R"({"registries": {"lab.internal:5000": {"concurrency": 2}}})", 0644};
  struct Case {
    const char* name;
    std::vector<std::string> hosts;
    std::vector<std::string> insecure;  // empty with ok == false: a usage error
    bool ok;
  };
  const std::vector<Case> cases = {
      {"none", {}, {}, true},
      {"one the file names (its other settings kept)",
       {"lab.internal:5000"},
       {"lab.internal:5000"},
       true},
      {"repeated, case and docker.io aliases normalised",
       {"Other.Lab", "index.docker.io"},
       {"other.lab", "docker.io"},
       true},
      {"a URL is not a registry", {"http://lab.internal:5000"}, {}, false},
      {"a path is not a registry", {"lab.internal/x"}, {}, false},
      {"empty", {""}, {}, false},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      GlobalOptions options;
      options.insecure_registries = c.hosts;
      Result<ToolConfig> config = LoadToolConfig(options, env, files);
      if (!c.ok) {
        CHECK(config.status().code() == StatusCode::kUsage);
        CHECK(config.status().message().find("--insecure-registry") != std::string::npos);
        continue;
      }
      REQUIRE(config.ok());
      for (const std::string& host : c.insecure) {
        CAPTURE(host);
        REQUIRE(config->Find(host) != nullptr);
        CHECK(config->Find(host)->insecure);
      }
      CHECK(config->ConcurrencyFor("lab.internal:5000") == 2);
    }
  }
}

}  // namespace
}  // namespace regdigest
