// PostgresHistoryStore: the PostgreSQL backend of HistoryStore (history_store.h),
// for a history shared by a team: --db postgresql://USER@HOST:PORT/DBNAME.
// Credentials come from the URL, PGPASSFILE or ~/.pgpass, or libpq's PG*
// variables; TLS follows libpq's sslmode. Messages and logs show the URL
// without its password. Each run is one transaction; the unique key
// (run_id, reference, observed_at) makes a retried transaction (after a lost
// connection) or an import store nothing twice. Readers use read-only
// REPEATABLE READ transactions: they see one snapshot and never block writers.
// Thread safety: one store per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/history/history_store.h"
#include "client/history/postgres_connection.h"
#include "common/registry/retry_policy.h"

namespace regdigest {

class PostgresHistoryStore : public HistoryStore {
 public:
  // Connects (retrying a server that is down or starting, per `policy`),
  // checks the schema and, in kReadWrite mode, migrates it forward.
  static Result<std::unique_ptr<PostgresHistoryStore>> Open(const std::string& url,
                                                            HistoryMode mode,
                                                            const RetryPolicy& policy);

  const std::string& DisplayName() const override { return name_; }
  const char* Backend() const override { return "postgresql"; }
  int SchemaVersion() const override { return version_; }
  Status Record(const HistoryRun& run) override;
  Result<std::vector<Observation>> ObservationsOf(const std::string& reference) override;
  Result<std::vector<Observation>> ObservationsForChangesSince(std::int64_t since) override;
  Result<std::vector<RepositorySnapshot>> SnapshotsOf(const std::string& repository) override;
  Status ForEachObservation(const std::function<Status(const Observation&)>& visit) override;
  Result<HistoryImportCounts> Import(const std::vector<Observation>& observations) override;

 private:
  PostgresHistoryStore(std::string url, std::string name, HistoryMode mode, RetryPolicy policy)
      : url_(std::move(url)), name_(std::move(name)), mode_(mode), policy_(policy) {}
  // (Re)connects, retrying transient failures.
  Status Connect();
  // Connects if needed, probes the schema and (read-write) migrates it.
  Status CheckSchema();
  // Runs `work` between `begin` and COMMIT; when the connection is lost (or
  // the server asks to retry), reconnects and runs it all again, per policy_.
  Status InTransaction(const char* begin, const std::function<Status(PgConnection&)>& work);
  Result<HistoryImportCounts> Insert(const std::vector<Observation>& observations,
                                     const std::vector<RepositorySnapshot>& snapshots,
                                     const std::string& default_run_id);
  Status Error(const Status& status) const;

  std::string url_;   // with its credentials: never printed
  std::string name_;  // RedactPostgresUrl(url_)
  HistoryMode mode_;
  RetryPolicy policy_;
  std::optional<PgConnection> db_;
  int version_ = 0;
};

// The retry policy of the history database: a few quick attempts (a server
// restarting), the registry side's backoff.
RetryPolicy HistoryDbRetryPolicy();

}  // namespace regdigest
