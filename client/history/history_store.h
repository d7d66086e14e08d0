// HistoryStore: the one interface `record`, `history`, `drift` (and the
// record calls of other commands) use to keep observations, whatever the
// backend: a SQLite file (client/history/history_db.h) or a PostgreSQL
// database shared by a team (client/history/postgres_history_store.h).
// OpenHistoryStore picks the backend from the --db value (or REGDIGEST_DB).
// Both backends carry the same versioned schema with forward migrations; a
// database that is not regdigest's, or has a newer schema, is refused and left
// untouched. Thread safety: one store per thread (a store is one connection).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/sys/environment.h"
#include "common/base/status.h"
#include "common/drift/history_timeline.h"
#include "common/drift/repository_snapshot.h"

namespace regdigest {

enum class HistoryMode {
  kReadWrite,  // creates the database (SQLite: the file and its folders) and migrates forward
  kReadOnly,   // must exist (kNotFound otherwise); never writes nor creates a file
};

// What one `record` run stores, all or nothing (one transaction). Each
// observation's run_id is set from `run_id` when empty. A backend adding
// per-run data (tag snapshots...) adds a field here and writes it in the same
// transaction.
struct HistoryRun {
  std::string run_id;  // NewHistoryRunId(): unique across hosts
  std::vector<Observation> observations;
  // `record --all-tags`: the tags listed per repository (schema version 3);
  // each snapshot's run_id is set from `run_id` when empty.
  std::vector<RepositorySnapshot> snapshots = {};
};

// Counts of HistoryStore::Import.
struct HistoryImportCounts {
  std::size_t added = 0;
  std::size_t already_present = 0;
};

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;

  // For messages: the SQLite path, or the PostgreSQL URL without its password.
  virtual const std::string& DisplayName() const = 0;
  // "sqlite" or "postgresql".
  virtual const char* Backend() const = 0;
  // The schema version this database has (HistorySchemaVersion() once written to).
  virtual int SchemaVersion() const = 0;

  // Stores the run in one transaction. An observation already stored (same
  // run_id and reference: a retried transaction) is not stored twice.
  virtual Status Record(const HistoryRun& run) = 0;

  // Every observation of `reference`, oldest first.
  virtual Result<std::vector<Observation>> ObservationsOf(const std::string& reference) = 0;

  // What FindChanges needs for the window [since, now]: every successful
  // observation at or after `since`, and for each reference seen there its
  // last successful one before; grouped by reference, oldest first.
  virtual Result<std::vector<Observation>> ObservationsForChangesSince(std::int64_t since) = 0;

  // Every snapshot of `repository` (record --all-tags), oldest first, each
  // with its tags sorted.
  virtual Result<std::vector<RepositorySnapshot>> SnapshotsOf(const std::string& repository) = 0;

  // Every observation in the stable export order: reference (bytewise),
  // observed_at, then the order they were stored in (so an import keeps the
  // order of observations of one second); from one snapshot; stops at the
  // first error `visit` returns.
  virtual Status ForEachObservation(const std::function<Status(const Observation&)>& visit) = 0;

  // Merges observations (each with its run_id) in one transaction; those
  // already present (same run_id and reference) are counted, not added.
  virtual Result<HistoryImportCounts> Import(const std::vector<Observation>& observations) = 0;
};

// The database to use: `db_value` (--db) when not empty, else $REGDIGEST_DB
// when set and not empty, else DefaultHistoryDbPath(); kUsage when none.
Result<std::string> HistoryDbValue(const std::string& db_value, const Environment& env);

// true for postgresql://... and postgres://... (libpq connection URIs).
bool IsPostgresUrl(const std::string& db_value);

// Opens HistoryDbValue(db_value, env): PostgreSQL for a postgresql:// or
// postgres:// URL, else SQLite at that path. Errors name the database (never
// its password); print status().message() and exit with ExitStatusFor(code).
Result<std::unique_ptr<HistoryStore>> OpenHistoryStore(const std::string& db_value,
                                                       HistoryMode mode, const Environment& env);

// Seconds since the epoch of a system_clock time (and back).
std::int64_t UnixSeconds(std::chrono::system_clock::time_point time);
std::chrono::system_clock::time_point FromUnixSeconds(std::int64_t seconds);
// (Defined in history_db.cc.)

// 32 hex digits from the system's random source.
std::string NewHistoryRunId();

}  // namespace regdigest
