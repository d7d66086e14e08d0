// HistoryDb: the SQLite database of observations behind `regdigest record`,
// `history` and `drift` (schema and migrations: client/history_schema.h).
// Several processes may write at once (two CI jobs): the database is in WAL
// mode, writes are BEGIN IMMEDIATE transactions and a busy connection waits
// up to kHistoryBusyTimeoutMs for the other. A file that is not ours is
// checked through a read-only connection first and never modified.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "client/history/sqlite_handle.h"
#include "common/base/status.h"
#include "common/drift/history_timeline.h"

namespace regdigest {

inline constexpr int kHistoryBusyTimeoutMs = 10000;

// $XDG_DATA_HOME/regdigest/history.db (when set to an absolute path), else
// ~/.local/share/regdigest/history.db (XdgBaseDirectory); "" when no home
// directory is known or HOME is empty or relative.
std::string DefaultHistoryDbPath();

enum class HistoryDbMode {
  kReadWrite,  // creates the file (and parent directories) when missing, migrates forward
  kReadOnly,   // the file must exist (kNotFound otherwise); nothing is written
};

class HistoryDb {
 public:
  // kInvalidArgument naming `path` for a file that is not a regdigest history
  // database (not SQLite, another application's, a newer schema); kIo for
  // file-system and SQLite errors.
  static Result<HistoryDb> Open(const std::string& path, HistoryDbMode mode);

  const std::string& path() const { return path_; }

  // Inserts every observation in one transaction (all or none).
  Status Record(const std::vector<Observation>& observations);

  // Every observation of `reference`, oldest first.
  Result<std::vector<Observation>> ObservationsOf(const std::string& reference);

  // What FindChanges needs for the window [since, now]: every successful
  // observation at or after `since`, and for each reference seen there its
  // last successful one before; grouped by reference, oldest first.
  Result<std::vector<Observation>> ObservationsForChangesSince(std::int64_t since);

 private:
  HistoryDb(std::string path, SqliteConnection db, bool empty)
      : path_(std::move(path)), db_(std::move(db)), empty_(empty) {}
  Status Error(const Status& status) const;

  std::string path_;
  SqliteConnection db_;
  bool empty_;  // read-only on a file with no schema yet: every query answers nothing
};

// Seconds since the epoch of a system_clock time (and back).
std::int64_t UnixSeconds(std::chrono::system_clock::time_point time);
std::chrono::system_clock::time_point FromUnixSeconds(std::int64_t seconds);

}  // namespace regdigest
