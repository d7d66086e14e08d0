// Tests for cli/inputs/history_options.h: the --db option, the database path
// it selects, and the reference a history is kept under.
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli/inputs/history_options.h"

namespace regdigest {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'c');

TEST_CASE("HistoryReference: the tag, defaulted; a digest next to a tag dropped") {
  struct Case {
    std::string input;
    std::string want;
  };
  const Case cases[] = {
      {"nginx", "docker.io/library/nginx:latest"},
      {"nginx:1.25", "docker.io/library/nginx:1.25"},
      {"nginx:1.25@" + kDigest, "docker.io/library/nginx:1.25"},
      {"localhost:5000/a/b@" + kDigest, "localhost:5000/a/b@" + kDigest},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    CHECK(HistoryReference(Reference::Parse(c.input).value()).String() == c.want);
  }
}

// Sets an environment variable for the object's lifetime.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_CASE("--db, else the default path under $XDG_DATA_HOME") {
  ScopedEnv xdg("XDG_DATA_HOME", "/tmp/regdigest-xdg-test");
  struct Case {
    std::vector<const char*> argv;
    std::string want;
  };
  const Case cases[] = {
      {{"history"}, "/tmp/regdigest-xdg-test/regdigest/history.db"},
      {{"history", "--db", "/var/lib/h.db"}, "/var/lib/h.db"},
      {{"history", "--db=rel/h.db"}, "rel/h.db"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.want);
    CLI::App app{"history"};
    std::string db;
    AddHistoryDbOption(app, db);
    app.parse(static_cast<int>(c.argv.size()), c.argv.data());
    Result<std::string> path = HistoryDbPath(db);
    REQUIRE(path.ok());
    CHECK(*path == c.want);
  }
}

}  // namespace
}  // namespace regdigest
