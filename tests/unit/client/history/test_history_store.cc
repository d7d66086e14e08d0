// Tests for client/history/history_store.h: which database the --db value
// and REGDIGEST_DB select, the backend it picks, and run ids.
#include <doctest/doctest.h>

#include <set>

#include "client/history/history_store.h"
#include "tests/unit/fakes/fake_system.h"

namespace regdigest {
namespace {

using testing::FakeEnvironment;

TEST_CASE("The --db value wins, then REGDIGEST_DB, then the default path") {
  struct Case {
    std::string name, db_value;
    std::map<std::string, std::string, std::less<>> env;
    std::string want;
  };
  const Case cases[] = {
      {"--db", "/x/h.db", {{"REGDIGEST_DB", "postgresql://rd@db/h"}}, "/x/h.db"},
      {"REGDIGEST_DB", "", {{"REGDIGEST_DB", "postgresql://rd@db/h"}}, "postgresql://rd@db/h"},
      {"empty REGDIGEST_DB is unset", "", {{"REGDIGEST_DB", ""}}, ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    FakeEnvironment env(c.env);
    Result<std::string> value = HistoryDbValue(c.db_value, env);
    if (c.want.empty()) {
      // The default path (from the real environment's XDG_DATA_HOME or HOME), or kUsage.
      if (value.ok()) CHECK(value->ends_with("regdigest/history.db"));
    } else {
      REQUIRE(value.ok());
      CHECK(*value == c.want);
    }
  }
}

TEST_CASE("Run ids are 32 hex digits and differ") {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewHistoryRunId();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    ids.insert(id);
  }
  CHECK(ids.size() == 100);
}

// (An invalid URL fails at once, with no retry; the server side is test_history_postgres.sh.)
TEST_CASE("A PostgreSQL URL that cannot connect is an error naming it without its password") {
  FakeEnvironment env;
  Result<std::unique_ptr<HistoryStore>> store = OpenHistoryStore(
      "postgresql://rd:s3cret@127.0.0.1:1/h?nonsense=1", HistoryMode::kReadOnly, env);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kIo);
  CHECK(store.status().message() ==
        "postgresql://rd@127.0.0.1:1/h?nonsense=1: invalid URI query parameter: \"nonsense\"");
}

}  // namespace
}  // namespace regdigest
