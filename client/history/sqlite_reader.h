// Read-only access to an existing SQLite history file that never creates a
// file next to it. SQLite's own read-only mode still creates "-wal" and
// "-shm" for a WAL database; made by a reader in a shared folder, they are
// owned by that reader and later break the writer. So when no "-wal" exists
// (everything is in the main file) the reader opens the file `immutable` and
// holds a shared lock on SQLite's lock bytes (an open-file-description lock,
// F_OFD_SETLK) so no writer can checkpoint into it on close or change its
// journal mode meanwhile (a read during which a "-wal" appeared is done again
// through it, see SqliteHistoryStore); when a "-wal" exists (a writer has it open) the reader uses
// the writer's "-wal" and "-shm" read-only (SQLite >= 3.22).
#pragma once

#include <string>

#include "client/history/sqlite_handle.h"
#include "common/base/status.h"

namespace regdigest {

// A file descriptor closed on destruction (-1: none).
class LockFd {
 public:
  LockFd() = default;
  explicit LockFd(int fd) : fd_(fd) {}
  LockFd(LockFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  LockFd& operator=(LockFd&& other) noexcept;
  LockFd(const LockFd&) = delete;
  LockFd& operator=(const LockFd&) = delete;
  ~LockFd();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct SqliteReader {
  SqliteConnection db;
  LockFd lock;  // held while `db` is immutable
  bool immutable = false;
};

// true when PATH-wal exists.
bool SqliteWalExists(const std::string& path);

// "file:" URI of `path` (percent-encoded) with `query` ("mode=ro").
std::string SqliteFileUri(const std::string& path, const std::string& query);

// Opens `path` (which exists) read-only as described above; waits up to
// `busy_timeout_ms` for a writer's exclusive lock. Errors: kIo naming nothing
// (the caller adds the path).
Result<SqliteReader> OpenSqliteReader(const std::string& path, int busy_timeout_ms);

}  // namespace regdigest
