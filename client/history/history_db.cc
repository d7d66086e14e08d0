#include "client/history/history_db.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "client/history/history_schema.h"
#include "client/sys/environment.h"
#include "client/sys/file_io.h"

namespace regdigest {
namespace {

constexpr const char* kObservationColumns =
    "reference, digest, media_type, observed_at, status, message, run_id, signature_verified";

Observation ReadObservation(const SqliteStatement& row) {
  Observation observation;
  observation.reference = row.ColumnText(0);
  observation.digest = row.ColumnOptionalText(1);
  observation.media_type = row.ColumnText(2);
  observation.observed_at = row.ColumnInt64(3);
  observation.status = row.ColumnText(4);
  observation.message = row.ColumnText(5);
  observation.run_id = row.ColumnText(6);
  observation.signature_verified = row.ColumnOptionalBool(7);
  return observation;
}

// Appends every row of `statement` to `out`.
Status ReadObservations(SqliteStatement& statement, std::vector<Observation>& out) {
  for (;;) {
    Result<bool> row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    out.push_back(ReadObservation(statement));
  }
}

// PRAGMA journal_mode=WAL needs a moment alone with the file; when another
// process holds it, SQLite may answer SQLITE_BUSY without waiting.
Status EnableWal(SqliteConnection& db) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kHistoryBusyTimeoutMs);
  for (;;) {
    Status status = db.Exec("PRAGMA journal_mode = WAL");
    const int code = db.LastErrorCode() & 0xff;
    if (status.ok() || (code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() > deadline) {
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::string DefaultHistoryDbPath() {
  Result<std::string> dir = XdgBaseDirectory(RealEnvironment(), "XDG_DATA_HOME", ".local/share");
  return dir.ok() ? *dir + "/regdigest/history.db" : "";
}

std::int64_t UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::chrono::system_clock::time_point FromUnixSeconds(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

Result<std::unique_ptr<SqliteHistoryStore>> SqliteHistoryStore::Open(const std::string& path,
                                                                     HistoryMode mode) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (error) return Status(StatusCode::kIo, "cannot access " + path + ": " + error.message());
  if (exists && std::filesystem::is_directory(path, error)) {
    return Status(StatusCode::kUsage,
                  path + " is a directory, not a history database file (--db names the file)");
  }
  const int newest = HistorySchemaVersion();
  int version = 0;
  if (exists) {
    // Look before touching: a file that is not ours must stay byte-identical.
    // Through a reader that creates no -wal/-shm next to a file that is not ours.
    Result<SqliteReader> probe = OpenSqliteReader(path, kHistoryBusyTimeoutMs);
    if (!probe.ok()) return Status(StatusCode::kIo, path + ": " + probe.status().message());
    Result<int> probed = ProbeHistorySchema(probe->db, path, newest);
    if (!probed.ok()) return probed.status();
    version = *probed;
    if (mode == HistoryMode::kReadOnly) {
      if (version != 0 && version < newest) {
        return Status(StatusCode::kInvalidArgument,
                      path + " has history schema version " + std::to_string(version) +
                          "; `regdigest record` upgrades it to " + std::to_string(newest));
      }
      return std::unique_ptr<SqliteHistoryStore>(
          new SqliteHistoryStore(path, std::move(probe).value(), version));
    }
    if (access(path.c_str(), W_OK) != 0) {
      return Status(StatusCode::kIo, "cannot write " + path + ": " + std::strerror(errno) +
                                         " (`history` and `drift` only read it)");
    }
  } else if (mode == HistoryMode::kReadOnly) {
    return Status(StatusCode::kNotFound,
                  "no history database at " + path + " (`regdigest record` creates it)");
  } else if (Status created = CreateParentDirectories(path); !created.ok()) {
    return created;
  }
  Result<SqliteConnection> db =
      SqliteConnection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  if (!db.ok()) return Status(StatusCode::kIo, path + ": " + db.status().message());
  db->SetBusyTimeout(kHistoryBusyTimeoutMs);
  if (Status wal = EnableWal(*db); !wal.ok()) {
    return Status(StatusCode::kIo, path + ": enabling WAL: " + wal.message());
  }
  if (Status synchronous = db->Exec("PRAGMA synchronous = NORMAL"); !synchronous.ok()) {
    return Status(StatusCode::kIo, path + ": " + synchronous.message());
  }
  if (version != newest) {
    if (Status migrated = MigrateHistorySchema(*db, path, HistoryMigrations()); !migrated.ok()) {
      return migrated;
    }
  }
  return std::unique_ptr<SqliteHistoryStore>(
      new SqliteHistoryStore(path, SqliteReader{std::move(db).value(), LockFd(), false}, newest));
}

Status SqliteHistoryStore::Error(const Status& status) const {
  return Status(StatusCode::kIo, path_ + ": " + status.message());
}

Status SqliteHistoryStore::Record(const HistoryRun& run) {
  Result<HistoryImportCounts> inserted = Insert(run.observations, run.snapshots, run.run_id);
  return inserted.status();
}

Result<HistoryImportCounts> SqliteHistoryStore::Import(
    const std::vector<Observation>& observations) {
  return Insert(observations, {}, "");
}

Result<HistoryImportCounts> SqliteHistoryStore::Insert(
    const std::vector<Observation>& observations, const std::vector<RepositorySnapshot>& snapshots,
    const std::string& default_run_id) {
  HistoryImportCounts counts;
  if (version_ == 0) return Error(Status(StatusCode::kIo, "opened read-only"));
  Result<SqliteStatement> insert = db_.Prepare(
      "INSERT INTO observations (reference, digest, media_type, observed_at, status, message, "
      "run_id, signature_verified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (run_id, reference, observed_at) DO NOTHING");
  if (!insert.ok()) return Error(insert.status());
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return Error(begun);
  for (const Observation& observation : observations) {
    insert->Reset();
    const std::string& run_id = observation.run_id.empty() ? default_run_id : observation.run_id;
    Status step = insert->BindText(1, observation.reference);
    if (step.ok()) step = insert->BindOptionalText(2, observation.digest);
    if (step.ok()) step = insert->BindText(3, observation.media_type);
    if (step.ok()) step = insert->BindInt64(4, observation.observed_at);
    if (step.ok()) step = insert->BindText(5, observation.status);
    if (step.ok()) step = insert->BindText(6, observation.message);
    if (step.ok()) step = insert->BindText(7, run_id);
    if (step.ok()) step = insert->BindOptionalBool(8, observation.signature_verified);
    if (step.ok() && run_id.empty()) step = Status(StatusCode::kInvalidArgument, "no run id");
    if (step.ok()) step = insert->Run();
    if (!step.ok()) {
      (void)db_.Exec("ROLLBACK");
      return Error(step);
    }
    if (db_.Changes() > 0) {
      ++counts.added;
    } else {
      ++counts.already_present;
    }
  }
  if (Status stored = InsertSnapshots(snapshots, default_run_id); !stored.ok()) {
    (void)db_.Exec("ROLLBACK");
    return Error(stored);
  }
  if (Status committed = db_.Exec("COMMIT"); !committed.ok()) {
    (void)db_.Exec("ROLLBACK");
    return Error(committed);
  }
  return counts;
}

Status SqliteHistoryStore::InsertSnapshots(const std::vector<RepositorySnapshot>& snapshots,
                                           const std::string& default_run_id) {
  if (snapshots.empty()) return Status::Ok();
  Result<SqliteStatement> head = db_.Prepare(
      "INSERT INTO repository_snapshots (run_id, repository, observed_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (run_id, repository) DO NOTHING");
  if (!head.ok()) return head.status();
  Result<SqliteStatement> tag = db_.Prepare(
      "INSERT INTO snapshot_tags (run_id, repository, tag, digest) VALUES (?1, ?2, ?3, ?4)");
  if (!tag.ok()) return tag.status();
  for (const RepositorySnapshot& snapshot : snapshots) {
    const std::string& run_id = snapshot.run_id.empty() ? default_run_id : snapshot.run_id;
    if (run_id.empty()) return Status(StatusCode::kInvalidArgument, "a snapshot has no run id");
    if (snapshot.tags.size() > kMaxSnapshotTags) {
      return Status(StatusCode::kInvalidArgument,
                    "more than " + std::to_string(kMaxSnapshotTags) + " tags in one repository");
    }
    std::vector<SnapshotTag> tags = snapshot.tags;
    SortSnapshotTags(tags);
    head->Reset();
    Status step = head->BindText(1, run_id);
    if (step.ok()) step = head->BindText(2, snapshot.repository);
    if (step.ok()) step = head->BindInt64(3, snapshot.observed_at);
    if (step.ok()) step = head->Run();
    if (!step.ok()) return step;
    if (db_.Changes() == 0) continue;  // stored by an earlier try or import
    for (const SnapshotTag& entry : tags) {
      tag->Reset();
      step = tag->BindText(1, run_id);
      if (step.ok()) step = tag->BindText(2, snapshot.repository);
      if (step.ok()) step = tag->BindText(3, entry.tag);
      if (step.ok()) step = tag->BindOptionalText(4, entry.digest);
      if (step.ok()) step = tag->Run();
      if (!step.ok()) return step;
    }
  }
  return Status::Ok();
}

Result<std::vector<RepositorySnapshot>> SqliteHistoryStore::SnapshotsOf(
    const std::string& repository) {
  Result<std::vector<RepositorySnapshot>> snapshots = QuerySnapshotsOf(repository);
  Result<bool> again = ReadAgain();
  if (!again.ok()) return again.status();
  if (*again) snapshots = QuerySnapshotsOf(repository);
  return snapshots;
}

Result<std::vector<RepositorySnapshot>> SqliteHistoryStore::QuerySnapshotsOf(
    const std::string& repository) {
  std::vector<RepositorySnapshot> snapshots;
  if (version_ < 3) return snapshots;
  Result<SqliteStatement> select = db_.Prepare(
      "SELECT s.run_id, s.observed_at, t.tag, t.digest FROM repository_snapshots s "
      "LEFT JOIN snapshot_tags t ON t.run_id = s.run_id AND t.repository = s.repository "
      // Runs of the same second in the order they were stored (rowid).
      "WHERE s.repository = ?1 ORDER BY s.observed_at, s.rowid, t.tag");
  if (!select.ok()) return Error(select.status());
  Status read = select->BindText(1, repository);
  while (read.ok()) {
    Result<bool> row = select->Step();
    if (!row.ok()) read = row.status();
    if (!row.ok() || !*row) break;
    const std::string run_id = select->ColumnText(0);
    if (snapshots.empty() || snapshots.back().run_id != run_id) {
      snapshots.push_back({run_id, repository, select->ColumnInt64(1), {}});
    }
    std::optional<std::string> tag = select->ColumnOptionalText(2);
    if (tag) snapshots.back().tags.push_back({*tag, select->ColumnOptionalText(3)});
  }
  if (!read.ok()) return Error(read);
  return snapshots;
}

Result<bool> SqliteHistoryStore::ReadAgain() {
  if (!immutable_ || !SqliteWalExists(path_)) return false;
  Result<SqliteReader> reader = OpenSqliteReader(path_, kHistoryBusyTimeoutMs);
  if (!reader.ok()) return Error(reader.status());
  db_ = std::move(reader->db);
  lock_ = std::move(reader->lock);
  immutable_ = reader->immutable;
  return true;
}

Result<std::vector<Observation>> SqliteHistoryStore::ObservationsOf(const std::string& reference) {
  Result<std::vector<Observation>> observations = QueryObservationsOf(reference);
  Result<bool> again = ReadAgain();
  if (!again.ok()) return again.status();
  if (*again) observations = QueryObservationsOf(reference);
  return observations;
}

Result<std::vector<Observation>> SqliteHistoryStore::ObservationsForChangesSince(
    std::int64_t since) {
  Result<std::vector<Observation>> observations = QueryChangesSince(since);
  Result<bool> again = ReadAgain();
  if (!again.ok()) return again.status();
  if (*again) observations = QueryChangesSince(since);
  return observations;
}

Result<std::vector<Observation>> SqliteHistoryStore::QueryObservationsOf(
    const std::string& reference) {
  std::vector<Observation> observations;
  if (version_ == 0) return observations;
  Result<SqliteStatement> select =
      db_.Prepare(std::string("SELECT ") + kObservationColumns +
                  " FROM observations WHERE reference = ?1 ORDER BY observed_at, id");
  if (!select.ok()) return Error(select.status());
  Status read = select->BindText(1, reference);
  if (read.ok()) read = ReadObservations(*select, observations);
  if (!read.ok()) return Error(read);
  return observations;
}

Result<std::vector<Observation>> SqliteHistoryStore::QueryChangesSince(std::int64_t since) {
  std::vector<Observation> observations;
  if (version_ == 0) return observations;
  Result<SqliteStatement> recent =
      db_.Prepare(std::string("SELECT ") + kObservationColumns +
                  " FROM observations WHERE digest IS NOT NULL AND observed_at >= ?1"
                  " ORDER BY reference, observed_at, id");
  Result<SqliteStatement> before = db_.Prepare(
      std::string("SELECT ") + kObservationColumns +
      " FROM observations WHERE reference = ?1 AND digest IS NOT NULL AND observed_at < ?2"
      " ORDER BY observed_at DESC, id DESC LIMIT 1");
  if (!recent.ok()) return Error(recent.status());
  if (!before.ok()) return Error(before.status());
  // One read transaction: both queries see the same snapshot.
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return Error(begun);
  std::vector<Observation> in_window;
  Status read = recent->BindInt64(1, since);
  if (read.ok()) read = ReadObservations(*recent, in_window);
  for (std::size_t i = 0; read.ok() && i < in_window.size(); ++i) {
    // in_window[i - 1] has been moved into observations: compare with its copy there.
    if (i == 0 || in_window[i].reference != observations.back().reference) {
      before->Reset();
      read = before->BindText(1, in_window[i].reference);
      if (read.ok()) read = before->BindInt64(2, since);
      if (read.ok()) read = ReadObservations(*before, observations);
    }
    observations.push_back(std::move(in_window[i]));
  }
  (void)db_.Exec("COMMIT");
  if (!read.ok()) return Error(read);
  return observations;
}

Status SqliteHistoryStore::ForEachObservation(
    const std::function<Status(const Observation&)>& visit) {
  if (version_ == 0) return Status::Ok();
  // Rows already visited cannot be taken back: read through the -wal when a
  // writer has one, and refuse an export during which a checkpoint may have run.
  if (Result<bool> again = ReadAgain(); !again.ok()) return again.status();
  const bool immutable = immutable_;
  Result<SqliteStatement> select =
      db_.Prepare(std::string("SELECT ") + kObservationColumns +
                  " FROM observations ORDER BY reference, observed_at, id");
  if (!select.ok()) return Error(select.status());
  for (;;) {
    Result<bool> row = select->Step();
    if (!row.ok()) return Error(row.status());
    if (!*row) break;
    if (Status visited = visit(ReadObservation(*select)); !visited.ok()) return visited;
  }
  if (immutable && SqliteWalExists(path_)) {
    return Error(Status(StatusCode::kIo,
                        "a writer changed the database during the export; "
                        "run it again"));
  }
  return Status::Ok();
}

}  // namespace regdigest
