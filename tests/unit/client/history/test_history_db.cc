// Tests for client/history_db.h and client/history_schema.h: real SQLite
// databases in a temp directory.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "client/history/history_db.h"
#include "client/history/history_schema.h"
#include "client/history/history_store.h"
#include "client/sys/file_io.h"
#include "tests/unit/client/history/sqlite_history_fixtures.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using namespace history_testing;

TEST_CASE("A new history database: parent directories, WAL, application_id, version") {
  TempDir dir;
  const std::string path = dir.File("deep/er/history.db");
  auto db = OpenOk(path);
  CHECK(db->path() == path);
  CHECK(fs::is_regular_file(path));
  CHECK((fs::status(dir.File("deep")).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK(QueryInt(path, "PRAGMA application_id") == kHistoryApplicationId);
  CHECK(QueryInt(path, "PRAGMA user_version") == HistorySchemaVersion());
  SqliteConnection raw = Raw(path);
  Result<SqliteStatement> mode = raw.Prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(*mode->Step());
  CHECK(mode->ColumnText(0) == "wal");
  // Opening again (read-write and read-only) finds it ours.
  CHECK(SqliteHistoryStore::Open(path, HistoryMode::kReadWrite).ok());
  CHECK(SqliteHistoryStore::Open(path, HistoryMode::kReadOnly).ok());
}

TEST_CASE("Observations round-trip, oldest first per reference") {
  TempDir dir;
  const std::string path = dir.File("history.db");
  auto db = OpenOk(path);
  const std::string r = "docker.io/library/nginx:1.25";
  REQUIRE(db->Record(Run({Obs(r, 300, "sha256:c"), Obs("other:1", 150, "sha256:x"),
                          Obs(r, 100, "sha256:a"), Obs(r, 200, "")}))
              .ok());
  REQUIRE(db->Record(Run({Obs(r, 300, "sha256:d")})).ok());  // same second: kept in insertion order
  Result<std::vector<Observation>> got = db->ObservationsOf(r);
  REQUIRE(got.ok());
  struct Row {
    std::int64_t time;
    std::optional<std::string> digest;
    std::string status, message, media_type;
  };
  const std::string index = "application/vnd.oci.image.index.v1+json";
  const Row want[] = {
      {100, "sha256:a", "ok", "", index},
      {200, std::nullopt, "unauthorized", "authentication required", ""},
      {300, "sha256:c", "ok", "", index},
      {300, "sha256:d", "ok", "", index},
  };
  REQUIRE(got->size() == std::size(want));
  for (std::size_t i = 0; i < std::size(want); ++i) {
    CAPTURE(i);
    const Observation& o = (*got)[i];
    CHECK(o.reference == r);
    CHECK(o.observed_at == want[i].time);
    CHECK(o.digest == want[i].digest);
    CHECK(o.status == want[i].status);
    CHECK(o.message == want[i].message);
    CHECK(o.media_type == want[i].media_type);
  }
  Result<std::vector<Observation>> none = db->ObservationsOf("never:seen");
  REQUIRE(none.ok());
  CHECK(none->empty());
  // A read-only handle sees the same rows.
  auto reader = OpenOk(path, HistoryMode::kReadOnly);
  Result<std::vector<Observation>> read = reader->ObservationsOf(r);
  REQUIRE(read.ok());
  CHECK(read->size() == 4);
}

TEST_CASE("Changes in a window from the database, A -> B -> A counted twice") {
  TempDir dir;
  auto db = OpenOk(dir.File("history.db"));
  REQUIRE(db->Record(Run({
                         Obs("p", 10, "sha256:a"), Obs("p", 20, "sha256:b"),
                         Obs("p", 30, "sha256:a"),                               // p: A -> B -> A
                         Obs("q", 5, "sha256:old"), Obs("q", 40, "sha256:new"),  // q: before -> in
                         Obs("r", 5, "sha256:r1"), Obs("r", 8, "sha256:r2"),     // r: all before
                         Obs("s", 50, "sha256:s"),                               // s: once, in
                         Obs("t", 5, "sha256:t"), Obs("t", 45, ""),  // t: only a failure in window
                     }))
              .ok());
  struct Case {
    std::int64_t since;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {0,
       {"r 8 sha256:r1->sha256:r2", "p 20 sha256:a->sha256:b", "p 30 sha256:b->sha256:a",
        "q 40 sha256:old->sha256:new"}},
      {9, {"p 20 sha256:a->sha256:b", "p 30 sha256:b->sha256:a", "q 40 sha256:old->sha256:new"}},
      // A change observed exactly at since is in the window (>=, not >).
      {20, {"p 20 sha256:a->sha256:b", "p 30 sha256:b->sha256:a", "q 40 sha256:old->sha256:new"}},
      {25, {"p 30 sha256:b->sha256:a", "q 40 sha256:old->sha256:new"}},
      {30, {"p 30 sha256:b->sha256:a", "q 40 sha256:old->sha256:new"}},
      {35, {"q 40 sha256:old->sha256:new"}},
      {40, {"q 40 sha256:old->sha256:new"}},
      {41, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.since);
    Result<std::vector<Observation>> observations = db->ObservationsForChangesSince(c.since);
    REQUIRE(observations.ok());
    std::vector<std::string> got;
    for (const DigestChange& change : FindChanges(*observations, c.since)) {
      got.push_back(change.reference + " " + std::to_string(change.changed_at) + " " +
                    change.old_digest + "->" + change.new_digest);
    }
    CHECK(Lines(got) == Lines(c.want));
  }
  // The window query carries one observation before the window per reference seen in it.
  Result<std::vector<Observation>> at35 = db->ObservationsForChangesSince(35);
  REQUIRE(at35.ok());
  std::vector<std::string> rows;
  for (const Observation& o : *at35)
    rows.push_back(o.reference + "@" + std::to_string(o.observed_at));
  CHECK(Lines(rows) == Lines({"q@5", "q@40", "s@50"}));
  // At the boundary: q@40 is in the window, q@5 is the one before it.
  Result<std::vector<Observation>> at40 = db->ObservationsForChangesSince(40);
  REQUIRE(at40.ok());
  rows.clear();
  for (const Observation& o : *at40)
    rows.push_back(o.reference + "@" + std::to_string(o.observed_at));
  CHECK(Lines(rows) == Lines({"q@5", "q@40", "s@50"}));
}

// Every way a file can fail to be ours; each is refused, named, and left byte-identical.
TEST_CASE("A file that is not a regdigest history database is refused and untouched") {
  struct Case {
    std::string name;
    void (*make)(const std::string& path);
    std::string want_in_message;
  };
  const Case cases[] = {
      {"text file",
       [](const std::string& path) { WriteBytes(path, std::string(3000, 'x') + "\nnot sqlite\n"); },
       "file is not a database"},
      {"SQLite header then garbage",
       [](const std::string& path) {
         std::string bytes("SQLite format 3\0", 16);
         bytes += std::string(8192, '\x7f');
         WriteBytes(path, bytes);
       },
       "not a regdigest history database"},
      {"another application's tables",
       [](const std::string& path) {
         SqliteConnection db = Raw(path);
         REQUIRE(db.Exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('x')").ok());
       },
       "other tables: users"},
      {"another application_id",
       [](const std::string& path) {
         SqliteConnection db = Raw(path);
         REQUIRE(db.Exec("PRAGMA application_id = 305419896; CREATE TABLE t (x)").ok());
       },
       "application_id 0x12345678"},
      {"a newer regdigest's schema",
       [](const std::string& path) {
         { auto created = OpenOk(path); }
         SqliteConnection db = Raw(path);
         REQUIRE(db.Exec("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99").ok());
       },
       "schema version 99, newer than this regdigest knows (3)"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      TempDir dir;
      const std::string path = dir.File("history.db");
      c.make(path);
      const std::string before = Bytes(path);
      for (HistoryMode mode : {HistoryMode::kReadWrite, HistoryMode::kReadOnly}) {
        Result<std::unique_ptr<SqliteHistoryStore>> db = SqliteHistoryStore::Open(path, mode);
        REQUIRE_FALSE(db.ok());
        CHECK(db.status().code() == StatusCode::kInvalidArgument);
        CHECK(db.status().message().find(path) != std::string::npos);
        CHECK(db.status().message().find(c.want_in_message) != std::string::npos);
        CHECK(db.status().message().find("left untouched") != std::string::npos);
        CHECK(Bytes(path) == before);
        CHECK_FALSE(fs::exists(path + "-journal"));
      }
    }
  }
}

TEST_CASE("An empty file becomes a history database; a missing one only in read-write mode") {
  TempDir dir;
  const std::string empty = dir.File("empty.db");
  WriteBytes(empty, "");
  auto reader = OpenOk(empty, HistoryMode::kReadOnly);  // nothing to read, nothing written
  Result<std::vector<Observation>> none = reader->ObservationsOf("x:1");
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK(fs::file_size(empty) == 0);
  auto db = OpenOk(empty);
  CHECK(QueryInt(empty, "PRAGMA application_id") == kHistoryApplicationId);

  const std::string missing = dir.File("sub/missing.db");
  Result<std::unique_ptr<SqliteHistoryStore>> absent =
      SqliteHistoryStore::Open(missing, HistoryMode::kReadOnly);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.status().code() == StatusCode::kNotFound);
  CHECK(absent.status().message().find(missing) != std::string::npos);
  CHECK_FALSE(fs::exists(dir.File("sub")));
}

Status CreateExtraTable(SqliteConnection& db) {
  return db.Exec("CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (42)");
}

TEST_CASE("Migrations run forward from the stored version, once") {
  TempDir dir;
  const std::string path = dir.File("history.db");
  {
    auto v1 = OpenOk(path);
    REQUIRE(v1->Record(Run({Obs("a:1", 10, "sha256:a")})).ok());
  }
  std::vector<SchemaMigration> two_steps(HistoryMigrations().begin(), HistoryMigrations().end());
  two_steps.push_back(CreateExtraTable);
  SqliteConnection db = Raw(path);
  REQUIRE(MigrateHistorySchema(db, path, two_steps).ok());
  CHECK(QueryInt(path, "PRAGMA user_version") == HistorySchemaVersion() + 1);
  CHECK(QueryInt(path, "SELECT x FROM extra") == 42);
  CHECK(QueryInt(path, "SELECT count(*) FROM observations") == 1);  // v1's data kept
  REQUIRE(MigrateHistorySchema(db, path, two_steps).ok());          // already there: no-op
  CHECK(QueryInt(path, "SELECT count(*) FROM extra") == 1);
  // This regdigest now refuses the file.
  Result<int> probed = ProbeHistorySchema(db, path, HistorySchemaVersion());
  REQUIRE_FALSE(probed.ok());
  CHECK(probed.status().message().find("newer") != std::string::npos);

  // A failing step rolls everything back.
  const std::string other = dir.File("other.db");
  { auto v1 = OpenOk(other); }
  std::vector<SchemaMigration> failing = two_steps;
  failing.push_back([](SqliteConnection& c) { return c.Exec("CREATE TABLE extra (y)"); });
  SqliteConnection other_db = Raw(other);
  Status failed = MigrateHistorySchema(other_db, other, failing);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.message().find("version " + std::to_string(HistorySchemaVersion() + 2)) !=
        std::string::npos);
  CHECK(QueryInt(other, "PRAGMA user_version") == HistorySchemaVersion());
  CHECK(QueryInt(other, "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'") == 0);
}

// Each round starts from no file, so the writers also race to create the
// schema (one creates it, the others must find it theirs, not foreign).
TEST_CASE("Concurrent writers on one new file all succeed") {
  TempDir dir;
  constexpr int kRounds = 10, kWriters = 6, kBatches = 10, kPerBatch = 4;
  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    const std::string path = dir.File("round" + std::to_string(round) + "/history.db");
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        Result<std::unique_ptr<SqliteHistoryStore>> db =
            SqliteHistoryStore::Open(path, HistoryMode::kReadWrite);
        if (!db.ok()) {
          ++failures;
          return;
        }
        for (int b = 0; b < kBatches; ++b) {
          std::vector<Observation> batch;
          for (int i = 0; i < kPerBatch; ++i) {
            batch.push_back(
                Obs("writer" + std::to_string(w) + ":t" + std::to_string(i), b, "sha256:x"));
          }
          if (!(*db)->Record(Run(batch)).ok()) ++failures;
        }
      });
    }
    for (std::thread& writer : writers) writer.join();
    CHECK(failures.load() == 0);
    CHECK(QueryInt(path, "SELECT count(*) FROM observations") == kWriters * kBatches * kPerBatch);
  }
}

TEST_CASE("A version 1 database migrates to version 2, its rows kept with a run id each") {
  TempDir dir;
  const std::string path = dir.File("history.db");
  {
    SqliteConnection v1 = Raw(path);
    REQUIRE(MigrateHistorySchema(v1, path, HistoryMigrations().first(1)).ok());
    REQUIRE(v1.Exec("INSERT INTO observations (reference, digest, observed_at, status) VALUES "
                    "('a:1', 'sha256:a', 10, 'ok'), ('a:1', 'sha256:a', 10, 'ok')")
                .ok());
  }
  CHECK(QueryInt(path, "PRAGMA user_version") == 1);
  auto db = OpenOk(path);
  CHECK(db->SchemaVersion() == HistorySchemaVersion());
  CHECK(QueryInt(path, "PRAGMA user_version") == HistorySchemaVersion());
  Result<std::vector<Observation>> rows = db->ObservationsOf("a:1");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);  // two identical v1 rows stay two rows
  CHECK((*rows)[0].run_id.starts_with("v1-"));
  CHECK((*rows)[0].run_id != (*rows)[1].run_id);
  CHECK_FALSE((*rows)[0].signature_verified.has_value());
}

TEST_CASE("An observation is stored once per run, reference and time; import counts the rest") {
  TempDir dir;
  auto db = OpenOk(dir.File("history.db"));
  Observation signed_one = Obs("a:1", 10, "sha256:a");
  signed_one.signature_verified = true;
  const HistoryRun run = Run({signed_one, Obs("b:1", 10, "")});
  REQUIRE(db->Record(run).ok());
  REQUIRE(db->Record(run).ok());  // a retried transaction adds nothing
  CHECK(QueryInt(db->path(), "SELECT count(*) FROM observations") == 2);
  std::vector<Observation> exported;
  REQUIRE(db->ForEachObservation([&](const Observation& o) {
              exported.push_back(o);
              return Status::Ok();
            }).ok());
  REQUIRE(exported.size() == 2);
  CHECK(exported[0].run_id == run.run_id);
  CHECK(exported[0].signature_verified == std::optional<bool>(true));
  CHECK_FALSE(exported[1].signature_verified.has_value());
  exported.push_back(Obs("c:1", 20, "sha256:c"));
  exported.back().run_id = "imported-run";
  Result<HistoryImportCounts> counts = db->Import(exported);
  REQUIRE(counts.ok());
  CHECK(counts->added == 1);
  CHECK(counts->already_present == 2);
  Observation no_run = Obs("d:1", 20, "sha256:d");
  CHECK_FALSE(db->Import({no_run}).ok());  // an import needs each observation's run id
  CHECK(QueryInt(db->path(), "SELECT count(*) FROM observations") == 3);
}

TEST_CASE("A directory given as the database is named as a directory") {
  TempDir dir;
  for (HistoryMode mode : {HistoryMode::kReadWrite, HistoryMode::kReadOnly}) {
    Result<std::unique_ptr<SqliteHistoryStore>> db =
        SqliteHistoryStore::Open(dir.path().string(), mode);
    REQUIRE_FALSE(db.ok());
    CHECK(db.status().code() == StatusCode::kUsage);
    CHECK(db.status().message() == dir.path().string() +
                                       " is a directory, not a history database file "
                                       "(--db names the file)");
  }
}

TEST_CASE("DefaultHistoryDbPath honours XDG_DATA_HOME, else HOME") {
  struct Case {
    std::string name;
    const char* xdg;  // null: unset
    std::string want;
  };
  const Case cases[] = {
      {"absolute XDG_DATA_HOME", "/data/x", "/data/x/regdigest/history.db"},
      {"relative XDG_DATA_HOME is ignored", "rel/dir", "/home/u/.local/share/regdigest/history.db"},
      {"empty XDG_DATA_HOME", "", "/home/u/.local/share/regdigest/history.db"},
      {"unset", nullptr, "/home/u/.local/share/regdigest/history.db"},
  };
  const char* old_home = std::getenv("HOME");
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved_home = old_home ? old_home : "";
  const std::optional<std::string> saved_xdg =
      old_xdg ? std::optional<std::string>(old_xdg) : std::nullopt;
  for (const Case& c : cases) {
    SUBCASE(c.name.c_str()) {
      setenv("HOME", "/home/u", 1);
      if (c.xdg) {
        setenv("XDG_DATA_HOME", c.xdg, 1);
      } else {
        unsetenv("XDG_DATA_HOME");
      }
      CHECK(DefaultHistoryDbPath() == c.want);
    }
  }
  setenv("HOME", saved_home.c_str(), 1);
  if (saved_xdg) {
    setenv("XDG_DATA_HOME", saved_xdg->c_str(), 1);
  } else {
    unsetenv("XDG_DATA_HOME");
  }
}

}  // namespace
}  // namespace regdigest
