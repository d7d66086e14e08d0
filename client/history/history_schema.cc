#include "client/history/history_schema.h"

#include <cstdio>
#include <vector>

namespace regdigest {
namespace {

// Version 1: one row per observation of a reference.
Status CreateObservations(SqliteConnection& db) {
  return db.Exec(R"sql(
    CREATE TABLE observations (
      id INTEGER PRIMARY KEY,
      reference TEXT NOT NULL,          -- canonical, tag defaulted
      digest TEXT,                      -- NULL when the registry answered an error
      media_type TEXT NOT NULL DEFAULT '',
      observed_at INTEGER NOT NULL,     -- unix seconds, UTC
      status TEXT NOT NULL,             -- 'ok', 'not found', 'unauthorized', ...
      message TEXT NOT NULL DEFAULT '', -- the error detail; '' when ok
      CHECK ((status = 'ok') = (digest IS NOT NULL))
    );
    CREATE INDEX observations_by_reference ON observations (reference, observed_at);
    CREATE INDEX observations_by_time ON observations (observed_at);
  )sql");
}

// Version 2: the run that made each observation, a unique key so a retried
// or imported observation is stored once, and whether its signature was
// verified (NULL: not checked). Rows of version 1 get a random run id each.
Status AddRunIds(SqliteConnection& db) {
  return db.Exec(R"sql(
    CREATE TABLE observations_v2 (
      id INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL,             -- the `record` run (or import) that stored it
      reference TEXT NOT NULL,
      digest TEXT,
      media_type TEXT NOT NULL DEFAULT '',
      observed_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      message TEXT NOT NULL DEFAULT '',
      signature_verified INTEGER,       -- NULL not checked, 0 failed, 1 verified
      CHECK ((status = 'ok') = (digest IS NOT NULL)),
      UNIQUE (run_id, reference, observed_at)
    );
    INSERT INTO observations_v2
      (id, run_id, reference, digest, media_type, observed_at, status, message)
      SELECT id, 'v1-' || lower(hex(randomblob(16))), reference, digest, media_type,
             observed_at, status, message FROM observations;
    DROP TABLE observations;
    ALTER TABLE observations_v2 RENAME TO observations;
    CREATE INDEX observations_by_reference ON observations (reference, observed_at);
    CREATE INDEX observations_by_time ON observations (observed_at);
  )sql");
}

// Version 3: whole-repository snapshots of `record --all-tags`: which tags
// a repository had at a run, each with its digest (NULL when its HEAD failed).
Status AddSnapshots(SqliteConnection& db) {
  return db.Exec(R"sql(
    CREATE TABLE repository_snapshots (
      run_id TEXT NOT NULL,
      repository TEXT NOT NULL,         -- canonical, without tag
      observed_at INTEGER NOT NULL,
      PRIMARY KEY (run_id, repository)
    );
    CREATE INDEX repository_snapshots_by_repository
      ON repository_snapshots (repository, observed_at);
    CREATE TABLE snapshot_tags (
      run_id TEXT NOT NULL,
      repository TEXT NOT NULL,
      tag TEXT NOT NULL,
      digest TEXT,
      PRIMARY KEY (run_id, repository, tag),
      FOREIGN KEY (run_id, repository) REFERENCES repository_snapshots (run_id, repository)
    );
  )sql");
}

// Add a step at the end (never change a released one), and the same step to
// the PostgreSQL schema (postgres_schema.cc).
constexpr SchemaMigration kMigrations[] = {CreateObservations, AddRunIds, AddSnapshots};

std::string Hex(std::int64_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08llx",
                static_cast<unsigned long long>(static_cast<std::uint32_t>(value)));
  return buffer;
}

Status NotOurs(const std::string& path, const std::string& why) {
  return Status(StatusCode::kInvalidArgument,
                path + " is not a regdigest history database (" + why + "); left untouched");
}

// An error reading the file: not SQLite at all, or damaged, or plain I/O.
Status ReadError(SqliteConnection& db, const std::string& path, const Status& status) {
  const int code = db.LastErrorCode() & 0xff;
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) return NotOurs(path, status.message());
  return Status(StatusCode::kIo, path + ": " + status.message());
}

Result<std::vector<std::string>> UserTables(SqliteConnection& db) {
  Result<SqliteStatement> statement = db.Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
      "ESCAPE '\\' ORDER BY name");
  if (!statement.ok()) return statement.status();
  std::vector<std::string> names;
  for (;;) {
    Result<bool> row = statement->Step();
    if (!row.ok()) return row.status();
    if (!*row) return names;
    names.push_back(statement->ColumnText(0));
  }
}

Status Rollback(SqliteConnection& db, Status status) {
  (void)db.Exec("ROLLBACK");
  return status;
}

// ProbeHistorySchema's reads, which must see one snapshot of the file.
Result<int> ProbeSnapshot(SqliteConnection& db, const std::string& path, int newest_known) {
  Result<std::int64_t> application_id = db.QueryInt64("PRAGMA application_id");
  if (!application_id.ok()) return ReadError(db, path, application_id.status());
  Result<std::int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version.ok()) return ReadError(db, path, version.status());
  if (*application_id == kHistoryApplicationId) {
    if (*version > newest_known) {
      return Status(StatusCode::kInvalidArgument,
                    path + " has history schema version " + std::to_string(*version) +
                        ", newer than this regdigest knows (" + std::to_string(newest_known) +
                        "); upgrade regdigest to use it; left untouched");
    }
    if (*version < 1) return NotOurs(path, "no schema version");
    return static_cast<int>(*version);
  }
  if (*application_id != 0) {
    return NotOurs(path, "SQLite application_id " + Hex(*application_id) + ", not regdigest's");
  }
  Result<std::vector<std::string>> tables = UserTables(db);
  if (!tables.ok()) return ReadError(db, path, tables.status());
  if (!tables->empty()) {
    std::string names;
    for (const std::string& name : *tables) names += (names.empty() ? "" : ", ") + name;
    return NotOurs(path, "a SQLite database with other tables: " + names);
  }
  if (*version != 0) return NotOurs(path, "SQLite user_version " + std::to_string(*version));
  return 0;
}

}  // namespace

std::span<const SchemaMigration> HistoryMigrations() { return kMigrations; }

int HistorySchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<int> ProbeHistorySchema(SqliteConnection& db, const std::string& path, int newest_known) {
  // Outside a transaction, each read would see the file as it is at that
  // moment: another process creating the schema in between would make it
  // look like tables without our application_id.
  const bool own_transaction = sqlite3_get_autocommit(db.get()) != 0;
  if (own_transaction) {
    if (Status begun = db.Exec("BEGIN"); !begun.ok()) return ReadError(db, path, begun);
  }
  Result<int> version = ProbeSnapshot(db, path, newest_known);
  if (own_transaction) (void)db.Exec("ROLLBACK");
  return version;
}

Status MigrateHistorySchema(SqliteConnection& db, const std::string& path,
                            std::span<const SchemaMigration> migrations) {
  const int target = static_cast<int>(migrations.size());
  if (Status begun = db.Exec("BEGIN IMMEDIATE"); !begun.ok()) {
    return Status(StatusCode::kIo, path + ": " + begun.message());
  }
  Result<int> version = ProbeHistorySchema(db, path, target);
  if (!version.ok()) return Rollback(db, version.status());
  if (*version == target) return Rollback(db, Status::Ok());
  for (int step = *version; step < target; ++step) {
    if (Status migrated = migrations[static_cast<std::size_t>(step)](db); !migrated.ok()) {
      return Rollback(
          db, Status(StatusCode::kIo, path + ": migrating the history schema to " + "version " +
                                          std::to_string(step + 1) + ": " + migrated.message()));
    }
  }
  Status stamped = db.Exec("PRAGMA application_id = " + std::to_string(kHistoryApplicationId) +
                           "; PRAGMA user_version = " + std::to_string(target));
  if (stamped.ok()) stamped = db.Exec("COMMIT");
  if (!stamped.ok()) return Rollback(db, Status(StatusCode::kIo, path + ": " + stamped.message()));
  return Status::Ok();
}

}  // namespace regdigest
