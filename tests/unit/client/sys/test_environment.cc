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

TEST_CASE("HomeDirectory: $HOME, else the passwd entry, else empty") {
  struct Case {
    std::string name;
    std::map<std::string, std::string, std::less<>> vars;
    std::string passwd_home;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"HOME", {{"HOME", "/home/u"}}, "/pw", "/home/u"},
      {"empty HOME", {{"HOME", ""}}, "/pw", "/pw"},
      {"missing HOME", {}, "/pw", "/pw"},
      {"nothing known", {}, "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(HomeDirectory(testing::FakeEnvironment(c.vars, c.passwd_home)) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
