#include "client/history/postgres_schema.h"

#include <charconv>

#include "client/history/postgres_connection.h"

namespace regdigest {
namespace {

// Version 1: one row per observation (as SQLite's version 1).
constexpr const char* kCreateObservations = R"sql(
  CREATE TABLE observations (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL,
    digest TEXT,
    media_type TEXT NOT NULL DEFAULT '',
    observed_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'ok') = (digest IS NOT NULL))
  );
  CREATE INDEX observations_by_reference ON observations (reference, observed_at);
  CREATE INDEX observations_by_time ON observations (observed_at);
)sql";

// Version 2: run ids with a unique key, signature_verified (as SQLite's version 2).
constexpr const char* kAddRunIds = R"sql(
  ALTER TABLE observations ADD COLUMN run_id TEXT;
  UPDATE observations SET run_id = 'v1-' || md5(random()::text || id::text);
  ALTER TABLE observations ALTER COLUMN run_id SET NOT NULL;
  ALTER TABLE observations ADD COLUMN signature_verified BOOLEAN;
  ALTER TABLE observations ADD CONSTRAINT observations_run_reference_time
    UNIQUE (run_id, reference, observed_at);
)sql";

// Version 3: whole-repository snapshots (as SQLite's version 3).
constexpr const char* kAddSnapshots = R"sql(
  CREATE TABLE repository_snapshots (
    seq BIGSERIAL NOT NULL,  -- storing order: runs of the same second stay in order
    run_id TEXT NOT NULL,
    repository TEXT NOT NULL,
    observed_at BIGINT NOT NULL,
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
)sql";

// Add a step at the end (never change a released one), and the same step to SQLite's.
constexpr const char* kMigrations[] = {kCreateObservations, kAddRunIds, kAddSnapshots};

// pg_advisory_xact_lock key: "RDHD" as in SQLite's application_id.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1380206660)";

Status NotOurs(const std::string& name, const std::string& why) {
  return Status(StatusCode::kInvalidArgument,
                name + " is not a regdigest history database (" + why + "); left untouched");
}

Status Failed(const std::string& name, const Status& status) {
  return Status(StatusCode::kIo, name + ": " + status.message()).WithRetryable(status.retryable());
}

// The probe's reads; inside a transaction so they see one snapshot.
Result<int> ProbeSnapshot(PgConnection& db, const std::string& name, int newest_known) {
  // pg_class, not information_schema: the latter hides tables we have no
  // privilege on, and a database with only those is not empty.
  Result<PgResult> meta = db.Exec(
      "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relname = 'regdigest_meta'");
  if (!meta.ok()) return Failed(name, meta.status());
  if (meta->Text(0, 0) == "0") {
    Result<PgResult> tables = db.Exec(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "ORDER BY c.relname LIMIT 5");
    if (!tables.ok()) return Failed(name, tables.status());
    if (tables->Rows() == 0) return 0;
    std::string names;
    for (int i = 0; i < tables->Rows(); ++i) names += (i ? ", " : "") + tables->Text(i, 0);
    return NotOurs(name, "a database with other tables: " + names);
  }
  Result<PgResult> rows = db.Exec(
      "SELECT key, value FROM regdigest_meta WHERE key IN ('application', 'schema_version')");
  if (!rows.ok()) return Failed(name, rows.status());  // e.g. no SELECT privilege
  std::string application, version_text;
  for (int i = 0; i < rows->Rows(); ++i) {
    (rows->Text(i, 0) == "application" ? application : version_text) = rows->Text(i, 1);
  }
  if (application != kPostgresHistoryApplication) {
    return NotOurs(name, "regdigest_meta names application \"" + application + "\"");
  }
  int version = 0;
  const auto [end, error] =
      std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
  if (error != std::errc() || end != version_text.data() + version_text.size() || version < 1) {
    return NotOurs(name, "schema version \"" + version_text + "\"");
  }
  if (version > newest_known) {
    return Status(StatusCode::kInvalidArgument,
                  name + " has history schema version " + std::to_string(version) +
                      ", newer than this regdigest knows (" + std::to_string(newest_known) +
                      "); upgrade regdigest to use it; left untouched");
  }
  return version;
}

}  // namespace

std::span<const char* const> PostgresHistoryMigrations() { return kMigrations; }

Result<int> ProbePostgresHistorySchema(PgConnection& db, const std::string& name,
                                       int newest_known) {
  if (Result<PgResult> begun = db.Exec("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ");
      !begun.ok()) {
    return Failed(name, begun.status());
  }
  Result<int> version = ProbeSnapshot(db, name, newest_known);
  (void)db.Exec("ROLLBACK");
  return version;
}

Status MigratePostgresHistorySchema(PgConnection& db, const std::string& name) {
  const int target = static_cast<int>(std::size(kMigrations));
  Result<PgResult> step = db.Exec("BEGIN");
  if (step.ok()) step = db.Exec(kMigrationLock);
  if (!step.ok()) return Failed(name, step.status());
  Result<int> version = ProbeSnapshot(db, name, target);
  Status outcome = version.status();
  if (outcome.ok() && *version == 0) {
    step = db.Exec("CREATE TABLE regdigest_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    if (step.ok()) {
      step =
          db.Exec("INSERT INTO regdigest_meta VALUES ('application', $1), ('schema_version', '0')",
                  {kPostgresHistoryApplication});
    }
    if (!step.ok()) outcome = Failed(name, step.status());
  }
  for (int i = outcome.ok() ? *version : target; i < target; ++i) {
    Status migrated = db.ExecScript(kMigrations[i]);
    if (migrated.ok()) {
      migrated = db.Exec("UPDATE regdigest_meta SET value = $1 WHERE key = 'schema_version'",
                         {std::to_string(i + 1)})
                     .status();
    }
    if (!migrated.ok()) {
      outcome = Failed(
          name, Status(StatusCode::kIo, "migrating the history schema to version " +
                                            std::to_string(i + 1) + ": " + migrated.message()));
      break;
    }
  }
  if (outcome.ok()) {
    step = db.Exec("COMMIT");
    if (!step.ok()) outcome = Failed(name, step.status());
  }
  if (!outcome.ok()) (void)db.Exec("ROLLBACK");
  return outcome;
}

}  // namespace regdigest
