// Tests for client/history/sqlite_handle.h: errors are reported, not ignored.
#include <doctest/doctest.h>

#include "client/history/sqlite_handle.h"
#include "tests/unit/client/history/sqlite_history_fixtures.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

using testing::TempDir;
using namespace history_testing;

TEST_CASE("SQLite bind errors are reported, not ignored") {
  TempDir dir;
  SqliteConnection db = Raw(dir.File("x.db"));
  Result<SqliteStatement> statement = db.Prepare("SELECT ?1");
  REQUIRE(statement.ok());
  CHECK(statement->BindText(1, "ok").ok());
  Status out_of_range = statement->BindText(2, "x");
  CHECK_FALSE(out_of_range.ok());
  CHECK(out_of_range.message().find("binding parameter 2") != std::string::npos);
  CHECK_FALSE(statement->BindInt64(0, 1).ok());
  CHECK_FALSE(statement->BindOptionalText(3, std::nullopt).ok());
  CHECK_FALSE(statement->BindOptionalBool(3, true).ok());
}

}  // namespace
}  // namespace regdigest
