// Tests for cli/commands/command_line.h and the commands behind it: argument
// handling (CLI11 parsing of global and per-command options, usage errors and
// their exit status), and what commands print and return when they stop
// before any network access (usage errors, `ref`, --output json failures).
#include <doctest/doctest.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands/command_line.h"
#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

// Swaps a standard stream's buffer for a string for the object's lifetime.
class Capture {
 public:
  explicit Capture(std::ostream& stream) : stream_(stream), old_(stream.rdbuf(text_.rdbuf())) {}
  ~Capture() { stream_.rdbuf(old_); }
  std::string str() const { return text_.str(); }

 private:
  std::ostream& stream_;
  std::ostringstream text_;
  std::streambuf* old_;
};

struct Invocation {
  std::optional<int> parse_status;  // nullopt: a command was chosen
  int exit_status = -1;             // the parse's, or the command's when it ran
  GlobalOptions globals;
  std::string out, err;
  std::vector<std::string> positionals;  // what the chosen command's positional received
  std::vector<std::string> platforms;    // what its --platform received, one per occurrence
};

// Parses `args` (without the program name); when `run` and a command was
// chosen, runs it. stdout and stderr are captured.
Invocation Invoke(const std::vector<std::string>& args, bool run_command) {
  std::vector<const char*> argv{"regdigest"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  Invocation result;
  CLI::App app{"regdigest"};
  CommandRunner run;
  BuildCommandLine(app, result.globals, run);
  Capture out(std::cout);
  Capture err(std::cerr);
  std::ostringstream parse_err;
  result.parse_status =
      ParseCommandLine(app, static_cast<int>(argv.size()), argv.data(), parse_err);
  for (const CLI::App* sub : app.get_subcommands()) {
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_positional()) result.positionals = option->results();
      if (option->get_name() == "--platform") result.platforms = option->results();
    }
  }
  if (result.parse_status) {
    result.exit_status = *result.parse_status;
  } else if (run_command) {
    REQUIRE(run);
    result.exit_status = run();
  }
  result.out = out.str();
  result.err = err.str() + parse_err.str();
  return result;
}

TEST_CASE("ParseCommandLine: usage errors exit 2 with a message") {
  struct Case {
    std::vector<std::string> args;
    std::string error;  // substring of stderr
  };
  const Case cases[] = {
      {{}, "a command is required"},
      {{"resolve", "--concurrency", "0", "nginx"}, "--concurrency: '0' is not in 1..64"},
      {{"resolve", "--concurrency", "65", "nginx"}, "--concurrency: '65' is not in 1..64"},
      {{"lock", "--concurrency", "x", "nginx"}, "--concurrency: 'x' is not a number (1..64)"},
      {{"resolve", "--concurrency", "abc", "nginx"}, "--concurrency: 'abc' is not a number"},
      {{"check", "--concurrency", "100"}, "--concurrency"},
      {{"--retries", "11", "resolve", "nginx"}, "--retries: '11' is not in 0..10"},
      {{"--timeout", "0", "resolve", "nginx"}, "--timeout: '0' is not in 0.001..86400"},
      {{"--timeout", "soon", "resolve", "nginx"}, "--timeout: 'soon' is not a number"},
      {{"resolve", "--platform", "", "nginx"}, "--platform: must not be empty"},
      {{"resolve", "--platform=", "nginx"}, "--platform: must not be empty"},
      {{"inspect", "--platform", "", "nginx"}, "--platform: must not be empty"},
      {{"lock", "--platform", "", "nginx"}, "--platform: must not be empty"},
      {{"pin", "--platform", "", "Dockerfile"}, "--platform: must not be empty"},
      {{"completion", "ksh"}, "ksh"},
      {{"resolve", "--output", "xml", "nginx"}, "--output"},
      {{"check", "--output", "yaml"}, "--output"},
      {{"--ca-file", "/no/such/file.pem", "resolve", "nginx"}, "--ca-file"},
      {{"inspect"}, "REF is required"},
      {{"resolve", "--no-such-option", "nginx"}, "--no-such-option"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    const Invocation got = Invoke(c.args, false);
    REQUIRE(got.parse_status.has_value());
    CHECK(*got.parse_status == kExitUsage);
    CHECK(got.err.find(c.error) != std::string::npos);
    CHECK(got.err.find("Run 'regdigest") != std::string::npos);
    CHECK(got.err.find("Value") == std::string::npos);  // not CLI11's "Value x not in range"
  }
}

TEST_CASE("ParseCommandLine: a usage error inside a command points to that command's help") {
  const Invocation got = Invoke({"lock", "--concurrency", "x", "nginx"}, false);
  CHECK(got.err.find("Run 'regdigest lock --help' for usage.") != std::string::npos);
}

TEST_CASE("ParseCommandLine: no option swallows a positional argument") {
  // Each option takes one value per occurrence; what follows is a REF.
  using Strings = std::vector<std::string>;
  struct Case {
    Strings args;
    Strings positionals;
    Strings platforms;
  };
  const Case cases[] = {
      {{"lock", "--platform", "linux/arm64", "nginx"}, {"nginx"}, {"linux/arm64"}},
      {{"lock", "--platform=linux/arm64", "nginx"}, {"nginx"}, {"linux/arm64"}},
      {{"lock", "--platform", "linux/arm64", "--platform", "linux/amd64", "nginx", "redis"},
       {"nginx", "redis"},
       {"linux/arm64", "linux/amd64"}},
      {{"lock", "--from", "Dockerfile", "nginx"}, {"nginx"}, {}},
      {{"lock", "--from=Dockerfile", "nginx"}, {"nginx"}, {}},
      {{"lock", "nginx", "--from", "a", "--from", "b", "redis"}, {"nginx", "redis"}, {}},
      {{"record", "--from", "Dockerfile", "nginx"}, {"nginx"}, {}},
      {{"check", "--files", "Dockerfile", "x@sha256:1"}, {"x@sha256:1"}, {}},
      {{"resolve", "--platform", "linux/arm64", "nginx"}, {"nginx"}, {"linux/arm64"}},
      {{"resolve", "--platform=linux/arm64", "nginx"}, {"nginx"}, {"linux/arm64"}},
      {{"pin", "--platform", "linux/arm64", "Dockerfile"}, {"Dockerfile"}, {"linux/arm64"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args[0]);
    CAPTURE(c.args[1]);
    const Invocation got = Invoke(c.args, false);
    REQUIRE_FALSE(got.parse_status.has_value());
    CHECK(got.positionals == c.positionals);
    if (!c.platforms.empty()) CHECK(got.platforms == c.platforms);
  }
  // What the commands saw: run them up to their first check of the inputs.
  const Invocation lock = Invoke({"lock", "--platform", "linux/arm64", "Bad_Repo"}, true);
  CHECK(lock.err.find("lock needs references") == std::string::npos);
  CHECK(lock.err.find("Bad_Repo") != std::string::npos);  // REF reached the command
  CHECK(lock.exit_status == kExitUsage);
  const Invocation lock_eq = Invoke({"lock", "--platform=linux/arm64", "Bad_Repo"}, true);
  CHECK(lock_eq.err.find("lock needs references") == std::string::npos);
  CHECK(lock_eq.err.find("Bad_Repo") != std::string::npos);
  // check --files F REF: REF is a pinned reference, so "not both" (not "no such file REF").
  const Invocation check =
      Invoke({"check", "--files", "Dockerfile", "nginx@sha256:" + std::string(64, 'a')}, true);
  CHECK(check.exit_status == kExitUsage);
  CHECK(check.err.find("not both") != std::string::npos);
}

TEST_CASE("ParseCommandLine: --version prints the version and exits 0") {
  const Invocation got = Invoke({"--version"}, false);
  REQUIRE(got.parse_status.has_value());
  CHECK(*got.parse_status == kExitOk);
  CHECK(got.out.rfind("regdigest ", 0) == 0);
  CHECK(got.out.find("libcurl ") != std::string::npos);
}

TEST_CASE("ParseCommandLine: a mistyped command gets a suggestion") {
  struct Case {
    std::string typed;
    std::string suggestion;  // "" for none
  };
  const Case cases[] = {
      {"reslove", "resolve"}, {"resolv", "resolve"}, {"inpsect", "inspect"},
      {"chek", "check"},      {"lcok", "lock"},      {"frobnicate", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.typed);
    const Invocation got = Invoke({c.typed, "nginx"}, false);
    REQUIRE(got.parse_status.has_value());
    CHECK(*got.parse_status == kExitUsage);
    CHECK(got.err.find("unknown command '" + c.typed + "'") != std::string::npos);
    if (c.suggestion.empty()) {
      CHECK(got.err.find("did you mean") == std::string::npos);
    } else {
      CHECK(got.err.find("did you mean '" + c.suggestion + "'?") != std::string::npos);
    }
  }
}

TEST_CASE("ParseCommandLine: global options, before or after the subcommand") {
  struct Case {
    std::vector<std::string> args;
    int verbosity;
    int retries;
    double timeout;
    std::string config;
    std::string host;
  };
  const Case cases[] = {
      {{"resolve", "nginx"}, 0, -1, 0, "", ""},
      {{"-vv", "resolve", "nginx"}, 2, -1, 0, "", ""},
      {{"resolve", "nginx", "-v", "--retries", "4"}, 1, 4, 0, "", ""},
      {{"--retries", "0", "lock", "nginx"}, 0, 0, 0, "", ""},
      {{"--timeout", "2.5", "check", "--config", "c.json"}, 0, -1, 2.5, "c.json", ""},
      {{"compare", "--all", "--host", "unix:///tmp/d.sock"}, 0, -1, 0, "", "unix:///tmp/d.sock"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.args.front());
    const Invocation got = Invoke(c.args, false);
    CHECK_FALSE(got.parse_status.has_value());
    CHECK(got.globals.verbosity == c.verbosity);
    CHECK(got.globals.retries == c.retries);
    CHECK(got.globals.timeout_seconds == doctest::Approx(c.timeout));
    CHECK(got.globals.config_path == c.config);
    CHECK(got.globals.engine_host == c.host);
  }
}

TEST_CASE("--insecure-registry is repeatable, one HOST each, and swallows no reference") {
  Invocation got = Invoke({"--insecure-registry", "lab.internal:5000", "resolve",
                           "--insecure-registry=other.lab", "lab.internal:5000/app:v1"},
                          false);
  REQUIRE_FALSE(got.parse_status.has_value());
  CHECK(got.globals.insecure_registries ==
        std::vector<std::string>{"lab.internal:5000", "other.lab"});
  Invocation missing = Invoke({"resolve", "nginx", "--insecure-registry"}, false);
  CHECK(missing.parse_status == kExitUsage);
}

TEST_CASE("commands refuse bad combinations before any request") {
  struct Case {
    std::vector<std::string> args;
    int exit_status;
    std::string error;  // substring of stderr
  };
  const Case cases[] = {
      {{"resolve"}, kExitUsage, "resolve needs references"},
      {{"resolve", "--platform", "linux", "nginx"}, kExitUsage, "--platform:"},
      {{"compare"}, kExitUsage, "compare needs either references"},
      {{"compare", "--all", "nginx"}, kExitUsage, "not both"},
      {{"compare", "--all", "--file", "refs.txt"}, kExitUsage, "not both"},
      {{"lock"}, kExitUsage, "lock needs references"},
      {{"lock", "nginx", "--platform", "linux/"}, kExitUsage, "--platform:"},
      {{"check", "nginx@sha256:" + std::string(64, 'a'), "--files", "Dockerfile"},
       kExitUsage,
       "not both"},
      {{"record"}, kExitUsage, "record needs references"},
      {{"pin", "--output", "json", "Dockerfile"}, kExitUsage, "--output needs --check"},
      {{"drift", "--since", "yesterday"}, kExitUsage, "yesterday"},
      {{"inspect", "Bad_Repo:x"}, kExitUsage, "Bad_Repo"},
      {{"ratelimit", "Bad_Repo:x"}, kExitUsage, "Bad_Repo:x"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    const Invocation got = Invoke(c.args, true);
    CHECK_FALSE(got.parse_status.has_value());
    CHECK(got.exit_status == c.exit_status);
    CHECK(got.err.find(c.error) != std::string::npos);
    CHECK(got.out.empty());
  }
}

TEST_CASE("ref prints each reference's parts, as text or JSON") {
  const Invocation text = Invoke({"ref", "nginx:1.25"}, true);
  CHECK(text.exit_status == kExitOk);
  CHECK(text.out ==
        "nginx:1.25\n"
        "  name:      docker.io/library/nginx\n"
        "  domain:    docker.io\n"
        "  path:      library/nginx\n"
        "  tag:       1.25\n"
        "  digest:    (none)\n"
        "  familiar:  nginx:1.25\n"
        "  canonical: docker.io/library/nginx:1.25\n");

  const Invocation json = Invoke({"ref", "-o", "json", "ghcr.io/a/b", "Bad_Repo"}, true);
  CHECK(json.exit_status == kExitUsage);  // an invalid reference wins over ok
  const nlohmann::json parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0]["name"] == "ghcr.io/a/b");
  CHECK(parsed[0]["domain"] == "ghcr.io");
  CHECK(parsed[0]["tag"].is_null());
  CHECK(parsed[1]["input"] == "Bad_Repo");
  CHECK(parsed[1].contains("error"));
}

TEST_CASE("a one-reference command's failure as JSON goes to stdout") {
  for (const char* command : {"inspect", "ratelimit"}) {
    CAPTURE(command);
    const Invocation got = Invoke({command, "-o", "json", "Bad_Repo:x"}, true);
    CHECK(got.exit_status == kExitUsage);
    CHECK(got.err.empty());
    const nlohmann::json parsed = nlohmann::json::parse(got.out);
    CHECK(parsed["input"] == "Bad_Repo:x");
    CHECK(parsed["error"].get<std::string>().find("Bad_Repo:x") != std::string::npos);
  }
}

}  // namespace
}  // namespace regdigest
