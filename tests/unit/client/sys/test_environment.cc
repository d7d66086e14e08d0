// Tests for client/sys/environment.h: the real environment, and HomeDirectory's
// fallbacks with a fake one.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <map>
#include <string>
#include <vector>

#include "client/sys/environment.h"
#include "tests/unit/fakes/fake_system.h"

namespace regdigest {
namespace {

TEST_CASE("SystemEnvironment reads the process environment: unset, empty, set") {
  const Environment& env = RealEnvironment();
  ::unsetenv("REGDIGEST_TEST_VARIABLE");
  CHECK_FALSE(env.Get("REGDIGEST_TEST_VARIABLE").has_value());
  ::setenv("REGDIGEST_TEST_VARIABLE", "", 1);
  CHECK(env.Get("REGDIGEST_TEST_VARIABLE") == std::optional<std::string>(""));
  CHECK_FALSE(NonEmptyVariable(env, "REGDIGEST_TEST_VARIABLE").has_value());
  ::setenv("REGDIGEST_TEST_VARIABLE", "a b", 1);
  CHECK(env.Get("REGDIGEST_TEST_VARIABLE") == std::optional<std::string>("a b"));
  CHECK(NonEmptyVariable(env, "REGDIGEST_TEST_VARIABLE") == std::optional<std::string>("a b"));
  ::unsetenv("REGDIGEST_TEST_VARIABLE");
}

// The value, or "error: <message>".
std::string Describe(const Result<std::string>& got) {
  return got.ok() ? *got : "error: " + got.status().message();
}

TEST_CASE("HomeDirectory: $HOME, else the passwd entry; an empty or relative HOME is refused") {
  struct Case {
    std::string name;
    std::map<std::string, std::string, std::less<>> vars;
    std::string passwd_home;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"HOME", {{"HOME", "/home/u"}}, "/pw", "/home/u"},
      {"missing HOME", {}, "/pw", "/pw"},
      {"empty HOME is refused, not read as /",
       {{"HOME", ""}},
       "/pw",
       "error: HOME is set but empty; set it to your home directory"},
      {"relative HOME",
       {{"HOME", "home/u"}},
       "/pw",
       "error: HOME is not an absolute path (\"home/u\"); set it to your home directory"},
      {"nothing known",
       {},
       "",
       "error: HOME is not set and the user has no home directory; set HOME"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Result<std::string> got = HomeDirectory(testing::FakeEnvironment(c.vars, c.passwd_home));
    CHECK(Describe(got) == c.want);
    if (!got.ok()) CHECK(got.status().code() == StatusCode::kUsage);
  }
}

TEST_CASE("XdgBaseDirectory: an absolute XDG variable, else under home; relative ones ignored") {
  struct Case {
    std::string name;
    std::map<std::string, std::string, std::less<>> vars;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"absolute", {{"XDG_DATA_HOME", "/data"}, {"HOME", "/home/u"}}, "/data"},
      {"absolute, no home needed", {{"XDG_DATA_HOME", "/data"}, {"HOME", ""}}, "/data"},
      {"relative is ignored",
       {{"XDG_DATA_HOME", "data"}, {"HOME", "/home/u"}},
       "/home/u/.local/share"},
      {"empty is ignored", {{"XDG_DATA_HOME", ""}, {"HOME", "/home/u"}}, "/home/u/.local/share"},
      {"unset", {{"HOME", "/home/u"}}, "/home/u/.local/share"},
      {"relative, empty HOME",
       {{"XDG_DATA_HOME", "data"}, {"HOME", ""}},
       "error: HOME is set but empty; set it to your home directory"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(Describe(XdgBaseDirectory(testing::FakeEnvironment(c.vars, "/pw"), "XDG_DATA_HOME",
                                    ".local/share")) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
