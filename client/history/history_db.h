// SqliteHistoryStore: the SQLite backend of HistoryStore (history_store.h),
// the default (schema and migrations: client/history/history_schema.h).
// Several processes may write at once (two CI jobs): the database is in WAL
// mode, writes are BEGIN IMMEDIATE transactions and a busy connection waits
// up to kHistoryBusyTimeoutMs for the other. A file that is not ours is
// checked through a read-only connection first and never modified.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/history/history_store.h"
#include "client/history/sqlite_handle.h"
#include "client/history/sqlite_reader.h"
#include "common/base/status.h"
#include "common/drift/history_timeline.h"

namespace regdigest {

inline constexpr int kHistoryBusyTimeoutMs = 10000;

// $XDG_DATA_HOME/regdigest/history.db (when set to an absolute path), else
// ~/.local/share/regdigest/history.db (XdgBaseDirectory); "" when no home
// directory is known or HOME is empty or relative.
std::string DefaultHistoryDbPath();

// The SQLite backend of HistoryStore. Readers (kReadOnly) open the file
// read-only and never create a file next to it (sqlite_reader.h).
class SqliteHistoryStore : public HistoryStore {
 public:
  // kInvalidArgument naming `path` for a file that is not a regdigest history
  // database (not SQLite, another application's, a newer schema); kIo for
  // file-system and SQLite errors.
  static Result<std::unique_ptr<SqliteHistoryStore>> Open(const std::string& path,
                                                          HistoryMode mode);

  const std::string& path() const { return path_; }

  const std::string& DisplayName() const override { return path_; }
  const char* Backend() const override { return "sqlite"; }
  int SchemaVersion() const override { return version_; }
  Status Record(const HistoryRun& run) override;
  Result<std::vector<Observation>> ObservationsOf(const std::string& reference) override;
  Result<std::vector<Observation>> ObservationsForChangesSince(std::int64_t since) override;
  Result<std::vector<RepositorySnapshot>> SnapshotsOf(const std::string& repository) override;
  Status ForEachObservation(const std::function<Status(const Observation&)>& visit) override;
  Result<HistoryImportCounts> Import(const std::vector<Observation>& observations) override;

 private:
  SqliteHistoryStore(std::string path, SqliteReader reader, int version)
      : path_(std::move(path)),
        db_(std::move(reader.db)),
        lock_(std::move(reader.lock)),
        immutable_(reader.immutable),
        version_(version) {}
  Status Error(const Status& status) const;
  // After a read through an immutable connection: when a -wal appeared
  // meanwhile (a writer that may have checkpointed into the file), switches to
  // a regular read-only connection and answers true: read again.
  Result<bool> ReadAgain();
  Result<std::vector<Observation>> QueryObservationsOf(const std::string& reference);
  Result<std::vector<Observation>> QueryChangesSince(std::int64_t since);
  Result<std::vector<RepositorySnapshot>> QuerySnapshotsOf(const std::string& repository);
  // Inserts in one transaction, skipping those already present.
  Result<HistoryImportCounts> Insert(const std::vector<Observation>& observations,
                                     const std::vector<RepositorySnapshot>& snapshots,
                                     const std::string& default_run_id);
  // Inside Insert's transaction; a snapshot already stored is left as it is.
  Status InsertSnapshots(const std::vector<RepositorySnapshot>& snapshots,
                         const std::string& default_run_id);

  std::string path_;
  SqliteConnection db_;
  LockFd lock_;             // held while db_ is immutable (sqlite_reader.h)
  bool immutable_ = false;  // a reader on a WAL file that had no -wal
  int version_;  // 0: read-only on a file with no schema yet: every query answers nothing
};

}  // namespace regdigest
