// Tests for the whole-repository snapshots of client/history (schema version
// 3): stored in the run's transaction, read back, and a version 2 database
// migrated forward. Real SQLite files in a temp directory.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "client/history/history_db.h"
#include "client/history/history_schema.h"
#include "tests/unit/client/history/sqlite_history_fixtures.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

using testing::TempDir;
using namespace history_testing;

RepositorySnapshot Snap(std::int64_t time, std::vector<SnapshotTag> tags) {
  return {"", "registry.test/app", time, std::move(tags)};
}

TEST_CASE("record --all-tags stores a snapshot per repository in the run, read back sorted") {
  TempDir dir;
  auto db = OpenOk(dir.File("history.db"));
  HistoryRun first = Run({Obs("registry.test/app:1", 10, "sha256:a")});
  first.snapshots = {Snap(10, {{"2", "sha256:b"}, {"1", "sha256:a"}, {"broken", std::nullopt}})};
  REQUIRE(db->Record(first).ok());
  REQUIRE(db->Record(first).ok());  // a retried transaction stores it once
  HistoryRun empty = Run({});
  empty.snapshots = {Snap(20, {})};  // a repository with no tags is a snapshot too
  REQUIRE(db->Record(empty).ok());

  Result<std::vector<RepositorySnapshot>> snapshots = db->SnapshotsOf("registry.test/app");
  REQUIRE(snapshots.ok());
  REQUIRE(snapshots->size() == 2);
  CHECK((*snapshots)[0].run_id == first.run_id);
  CHECK((*snapshots)[0].observed_at == 10);
  CHECK((*snapshots)[0].tags ==
        std::vector<SnapshotTag>{{"1", "sha256:a"}, {"2", "sha256:b"}, {"broken", std::nullopt}});
  CHECK((*snapshots)[1].run_id == empty.run_id);
  CHECK((*snapshots)[1].tags.empty());
  CHECK(QueryInt(db->path(), "SELECT count(*) FROM snapshot_tags") == 3);
  Result<std::vector<RepositorySnapshot>> other = db->SnapshotsOf("registry.test/other");
  REQUIRE(other.ok());
  CHECK(other->empty());
}

TEST_CASE("A snapshot over the tag cap is refused and the whole run is rolled back") {
  TempDir dir;
  auto db = OpenOk(dir.File("history.db"));
  HistoryRun run = Run({Obs("registry.test/app:1", 10, "sha256:a")});
  std::vector<SnapshotTag> tags(kMaxSnapshotTags + 1);
  for (std::size_t i = 0; i < tags.size(); ++i) tags[i].tag = "t" + std::to_string(i);
  run.snapshots = {Snap(10, std::move(tags))};
  Status recorded = db->Record(run);
  CHECK_FALSE(recorded.ok());
  CHECK(recorded.message().find("tags in one repository") != std::string::npos);
  CHECK(QueryInt(db->path(), "SELECT count(*) FROM observations") == 0);
  CHECK(QueryInt(db->path(), "SELECT count(*) FROM repository_snapshots") == 0);
}

TEST_CASE("A version 2 database migrates to version 3 keeping its observations") {
  TempDir dir;
  const std::string path = dir.File("history.db");
  {
    SqliteConnection v2 = Raw(path);
    REQUIRE(MigrateHistorySchema(v2, path, HistoryMigrations().first(2)).ok());
    REQUIRE(v2.Exec("INSERT INTO observations (run_id, reference, digest, observed_at, status) "
                    "VALUES ('r1', 'a:1', 'sha256:a', 10, 'ok')")
                .ok());
  }
  CHECK(QueryInt(path, "PRAGMA user_version") == 2);
  CHECK(HistorySchemaVersion() == 3);
  // Readers refuse a v2 file until `record` upgrades it; a writer migrates.
  CHECK_FALSE(SqliteHistoryStore::Open(path, HistoryMode::kReadOnly).ok());
  auto db = OpenOk(path);
  CHECK(db->SchemaVersion() == 3);
  CHECK(QueryInt(path, "PRAGMA user_version") == 3);
  Result<std::vector<Observation>> rows = db->ObservationsOf("a:1");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].run_id == "r1");
  HistoryRun run = Run({});
  run.snapshots = {Snap(30, {{"1", "sha256:a"}})};
  REQUIRE(db->Record(run).ok());
  Result<std::vector<RepositorySnapshot>> snapshots = db->SnapshotsOf("registry.test/app");
  REQUIRE(snapshots.ok());
  CHECK(snapshots->size() == 1);
}

}  // namespace
}  // namespace regdigest
