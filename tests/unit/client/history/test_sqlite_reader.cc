// Tests for client/history/sqlite_reader.h through the store: a reader
// creates no file next to the database and still sees a later writer.
#include <doctest/doctest.h>

#include <filesystem>

#include "client/history/sqlite_reader.h"
#include "tests/unit/client/history/sqlite_history_fixtures.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using namespace history_testing;

TEST_CASE("A reader creates no -wal or -shm and still sees what a writer adds later") {
  TempDir dir;
  const std::string path = dir.File("history.db");
  { REQUIRE(OpenOk(path)->Record(Run({Obs("a:1", 10, "sha256:a")})).ok()); }
  REQUIRE_FALSE(fs::exists(path + "-wal"));  // the last writer checkpointed and removed them
  const std::string before = Bytes(path);
  auto reader = OpenOk(path, HistoryMode::kReadOnly);
  Result<std::vector<Observation>> rows = reader->ObservationsOf("a:1");
  REQUIRE(rows.ok());
  CHECK(rows->size() == 1);
  CHECK_FALSE(fs::exists(path + "-wal"));
  CHECK_FALSE(fs::exists(path + "-shm"));
  CHECK(Bytes(path) == before);
  {
    auto writer = OpenOk(path);  // while the reader is open
    REQUIRE(writer->Record(Run({Obs("a:1", 20, "sha256:b")})).ok());
    rows = reader->ObservationsOf("a:1");
    REQUIRE(rows.ok());
    CHECK(rows->size() == 2);
    Result<std::vector<Observation>> changes = reader->ObservationsForChangesSince(15);
    REQUIRE(changes.ok());
    CHECK(changes->size() == 2);
  }
  rows = reader->ObservationsOf("a:1");
  REQUIRE(rows.ok());
  CHECK(rows->size() == 2);
}

TEST_CASE("A path becomes an escaped SQLite file URI") {
  CHECK(SqliteFileUri("/a b/h?.db", "mode=ro") == "file:/a%20b/h%3F.db?mode=ro");
  CHECK(SqliteFileUri("/x/history.db", "mode=ro&immutable=1") ==
        "file:/x/history.db?mode=ro&immutable=1");
}

}  // namespace
}  // namespace regdigest
