#include "client/history/postgres_history_store.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <random>
#include <thread>

#include "client/history/postgres_schema.h"
#include "client/history/postgres_snapshots.h"
#include "client/history/postgres_url.h"
#include "common/drift/history_export.h"

namespace regdigest {
namespace {

constexpr const char* kColumns =
    "reference, digest, media_type, observed_at, status, message, run_id, signature_verified";
constexpr std::size_t kRowsPerInsert = 1000;

// Connection failures worth another attempt: the server is down, starting,
// stopping, or the network dropped. Refused passwords, unknown databases and
// TLS failures are final.
bool TransientConnectFailure(const std::string& message) {
  for (const char* transient :
       {"Connection refused", "starting up", "shutting down", "in recovery mode", "timeout expired",
        "server closed the connection", "could not receive data", "could not send data",
        "too many clients", "No such file or directory"}) {
    if (message.find(transient) != std::string::npos) return true;
  }
  return false;
}

// A text[] literal element: "..." with \ and " escaped, or NULL.
void AppendArrayElement(std::string& array, const std::optional<std::string>& value) {
  if (array.size() > 1) array += ',';
  if (!value) {
    array += "NULL";
    return;
  }
  array += '"';
  for (char c : *value) {
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

Result<Observation> ReadRow(const PgResult& rows, int row) {
  Observation observation;
  observation.reference = rows.Text(row, 0);
  if (!rows.IsNull(row, 1)) observation.digest = rows.Text(row, 1);
  observation.media_type = rows.Text(row, 2);
  const std::string time = rows.Text(row, 3);
  const auto [end, error] =
      std::from_chars(time.data(), time.data() + time.size(), observation.observed_at);
  if (error != std::errc() || end != time.data() + time.size()) {
    return Status(StatusCode::kProtocol, "observed_at \"" + time + "\" is not a number");
  }
  observation.status = rows.Text(row, 4);
  observation.message = rows.Text(row, 5);
  observation.run_id = rows.Text(row, 6);
  if (!rows.IsNull(row, 7)) observation.signature_verified = rows.Text(row, 7) == "t";
  return observation;
}

Status ReadRows(const PgResult& rows, std::vector<Observation>& out) {
  for (int i = 0; i < rows.Rows(); ++i) {
    Result<Observation> observation = ReadRow(rows, i);
    if (!observation.ok()) return observation.status();
    out.push_back(std::move(observation).value());
  }
  return Status::Ok();
}

}  // namespace

RetryPolicy HistoryDbRetryPolicy() {
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.initial_backoff = std::chrono::milliseconds(500);
  policy.max_backoff = std::chrono::milliseconds(2000);
  policy.max_total = std::chrono::milliseconds(30000);
  return policy;
}

Result<std::unique_ptr<PostgresHistoryStore>> PostgresHistoryStore::Open(
    const std::string& url, HistoryMode mode, const RetryPolicy& policy) {
  std::unique_ptr<PostgresHistoryStore> store(
      new PostgresHistoryStore(url, RedactPostgresUrl(url), mode, policy));
  spdlog::debug("history database: PostgreSQL at {}", store->name_);
  // A connection lost while checking or migrating (a server restarting) is
  // tried again like one that could not be made; both steps are transactions.
  for (int attempt = 1;; ++attempt) {
    Status opened = store->CheckSchema();
    if (opened.ok()) return store;
    if (!opened.retryable() || !store->db_ || !store->db_->Lost() ||
        attempt >= policy.max_attempts) {
      return opened;
    }
    store->db_.reset();
    std::this_thread::sleep_for(BackoffDelay(policy, attempt, 0.5));
  }
}

Status PostgresHistoryStore::CheckSchema() {
  if (!db_) {
    if (Status connected = Connect(); !connected.ok()) return connected;
  }
  const int newest = static_cast<int>(PostgresHistoryMigrations().size());
  Result<int> version = ProbePostgresHistorySchema(*db_, name_, newest);
  if (!version.ok()) return version.status();
  version_ = *version;
  if (mode_ == HistoryMode::kReadOnly) {
    if (*version != 0 && *version < newest) {
      return Status(StatusCode::kInvalidArgument,
                    name_ + " has history schema version " + std::to_string(*version) +
                        "; `regdigest record` upgrades it to " + std::to_string(newest));
    }
    return Status::Ok();
  }
  if (*version != newest) {
    if (Status migrated = MigratePostgresHistorySchema(*db_, name_); !migrated.ok()) {
      return migrated;
    }
    version_ = newest;
  }
  return Status::Ok();
}

Status PostgresHistoryStore::Error(const Status& status) const {
  return Status(StatusCode::kIo, name_ + ": " + ScrubPostgresPassword(status.message(), url_))
      .WithRetryable(status.retryable());
}

Status PostgresHistoryStore::Connect() {
  std::mt19937 random(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    db_.reset();
    Result<PgConnection> connection = PgConnection::Connect(url_);
    if (connection.ok()) {
      db_.emplace(std::move(connection).value());
      if (mode_ == HistoryMode::kReadOnly) {
        Result<PgResult> set = db_->Exec("SET default_transaction_read_only = on");
        if (!set.ok()) return Error(set.status());
      }
      return Status::Ok();
    }
    const Status failed = Error(connection.status());
    if (!TransientConnectFailure(failed.message()) || attempt >= policy_.max_attempts) {
      return failed;
    }
    const auto delay =
        BackoffDelay(policy_, attempt, std::uniform_real_distribution<double>(0, 1)(random));
    spdlog::debug("{}; trying again in {} ms", failed.message(), delay.count());
    std::this_thread::sleep_for(delay);
  }
}

Status PostgresHistoryStore::InTransaction(const char* begin,
                                           const std::function<Status(PgConnection&)>& work) {
  std::mt19937 random(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    if (!db_) {
      if (Status connected = Connect(); !connected.ok()) return connected;  // retried there
    }
    Status outcome = db_->Exec(begin).status();
    if (outcome.ok()) outcome = work(*db_);
    if (outcome.ok()) outcome = db_->Exec("COMMIT").status();
    if (outcome.ok()) return outcome;
    if (db_ && !db_->Lost()) (void)db_->Exec("ROLLBACK");
    if (!outcome.retryable() || attempt >= policy_.max_attempts) return Error(outcome);
    if (db_ && db_->Lost()) db_.reset();  // reconnect on the next attempt
    const auto delay =
        BackoffDelay(policy_, attempt, std::uniform_real_distribution<double>(0, 1)(random));
    spdlog::debug("{}: {}; trying the transaction again in {} ms", name_,
                  ScrubPostgresPassword(outcome.message(), url_), delay.count());
    std::this_thread::sleep_for(delay);
  }
}

Status PostgresHistoryStore::Record(const HistoryRun& run) {
  return Insert(run.observations, run.snapshots, run.run_id).status();
}

Result<HistoryImportCounts> PostgresHistoryStore::Import(
    const std::vector<Observation>& observations) {
  return Insert(observations, {}, "");
}

Result<HistoryImportCounts> PostgresHistoryStore::Insert(
    const std::vector<Observation>& observations, const std::vector<RepositorySnapshot>& snapshots,
    const std::string& default_run_id) {
  if (mode_ == HistoryMode::kReadOnly) return Error(Status(StatusCode::kIo, "opened read-only"));
  for (const Observation& observation : observations) {
    if (observation.run_id.empty() && default_run_id.empty()) {
      return Error(Status(StatusCode::kInvalidArgument, "an observation has no run id"));
    }
  }
  HistoryImportCounts counts;
  Status done = InTransaction("BEGIN", [&](PgConnection& db) {
    counts = HistoryImportCounts{};
    for (std::size_t start = 0; start < observations.size(); start += kRowsPerInsert) {
      const std::size_t end = std::min(observations.size(), start + kRowsPerInsert);
      std::string columns[8];
      for (std::string& column : columns) column = "{";
      for (std::size_t i = start; i < end; ++i) {
        const Observation& o = observations[i];
        AppendArrayElement(columns[0], o.reference);
        AppendArrayElement(columns[1], o.digest);
        AppendArrayElement(columns[2], StorableText(o.media_type));
        AppendArrayElement(columns[3], std::to_string(o.observed_at));
        AppendArrayElement(columns[4], o.status);
        AppendArrayElement(columns[5], StorableText(o.message));
        AppendArrayElement(columns[6], o.run_id.empty() ? default_run_id : o.run_id);
        AppendArrayElement(
            columns[7], o.signature_verified
                            ? std::optional<std::string>(*o.signature_verified ? "true" : "false")
                            : std::nullopt);
      }
      std::vector<PgParam> params;
      for (std::string& column : columns) params.push_back(column + "}");
      Result<PgResult> inserted =
          db.Exec(std::string("INSERT INTO observations (") + kColumns +
                      ") SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], "
                      "$5::text[], $6::text[], $7::text[], $8::boolean[]) "
                      "ON CONFLICT (run_id, reference, observed_at) DO NOTHING",
                  params);
      if (!inserted.ok()) return inserted.status();
      const std::size_t added = static_cast<std::size_t>(inserted->CommandRows());
      counts.added += added;
      counts.already_present += (end - start) - added;
    }
    return PgInsertSnapshots(db, snapshots, default_run_id);
  });
  if (!done.ok()) return done;
  return counts;
}

Result<std::vector<Observation>> PostgresHistoryStore::ObservationsOf(
    const std::string& reference) {
  std::vector<Observation> observations;
  if (version_ == 0) return observations;
  Status done = InTransaction("BEGIN READ ONLY", [&](PgConnection& db) {
    observations.clear();
    Result<PgResult> rows = db.Exec(std::string("SELECT ") + kColumns +
                                        " FROM observations WHERE reference = $1"
                                        " ORDER BY observed_at, id",
                                    {reference});
    return rows.ok() ? ReadRows(*rows, observations) : rows.status();
  });
  if (!done.ok()) return done;
  return observations;
}

Result<std::vector<Observation>> PostgresHistoryStore::ObservationsForChangesSince(
    std::int64_t since) {
  std::vector<Observation> observations;
  if (version_ == 0) return observations;
  // In the window, plus for each reference seen there its last success before.
  const std::string sql = std::string("SELECT ") + kColumns + " FROM (SELECT " + kColumns +
                          ", id FROM observations WHERE digest IS NOT NULL AND observed_at >= "
                          "$1::bigint UNION ALL SELECT b.* FROM (SELECT DISTINCT reference FROM "
                          "observations WHERE digest IS NOT NULL AND observed_at >= $1::bigint) "
                          "r CROSS JOIN LATERAL (SELECT " +
                          kColumns +
                          ", id FROM observations p WHERE p.reference = r.reference AND "
                          "p.digest IS NOT NULL AND p.observed_at < $1::bigint ORDER BY "
                          "p.observed_at DESC, p.id DESC LIMIT 1) b) x "
                          "ORDER BY reference COLLATE \"C\", observed_at, id";
  Status done = InTransaction("BEGIN READ ONLY", [&](PgConnection& db) {
    observations.clear();
    Result<PgResult> rows = db.Exec(sql, {std::to_string(since)});
    return rows.ok() ? ReadRows(*rows, observations) : rows.status();
  });
  if (!done.ok()) return done;
  return observations;
}

Result<std::vector<RepositorySnapshot>> PostgresHistoryStore::SnapshotsOf(
    const std::string& repository) {
  std::vector<RepositorySnapshot> snapshots;
  if (version_ < 3) return snapshots;
  Status done = InTransaction("BEGIN READ ONLY", [&](PgConnection& db) {
    return PgReadSnapshots(db, repository, snapshots);
  });
  if (!done.ok()) return done;
  return snapshots;
}

Status PostgresHistoryStore::ForEachObservation(
    const std::function<Status(const Observation&)>& visit) {
  if (version_ == 0) return Status::Ok();
  if (!db_) {
    if (Status connected = Connect(); !connected.ok()) return connected;
  }
  // Not retried: rows already visited cannot be taken back.
  Status outcome = db_->Exec("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ").status();
  if (outcome.ok()) {
    outcome =
        db_->ExecEachRow(std::string("SELECT ") + kColumns +
                             " FROM observations ORDER BY reference COLLATE \"C\", observed_at, id",
                         {}, [&](const PgResult& row) {
                           Result<Observation> observation = ReadRow(row, 0);
                           return observation.ok() ? visit(*observation) : observation.status();
                         });
  }
  if (!db_->Lost()) (void)db_->Exec("ROLLBACK");
  return outcome.ok() ? outcome : Error(outcome);
}

}  // namespace regdigest
