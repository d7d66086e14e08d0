#include "client/history/sqlite_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

namespace regdigest {
namespace {

// SQLite's lock bytes on unix (os_unix.c): a SHARED lock is a read lock on
// these 510 bytes, EXCLUSIVE a write lock on them.
constexpr off_t kSqlitePendingByte = 0x40000000;
constexpr off_t kSqliteSharedFirst = kSqlitePendingByte + 2;
constexpr off_t kSqliteSharedSize = 510;

// Bytes 18 and 19 of the header are 2 in a WAL database.
bool HeaderSaysWal(int fd) {
  unsigned char header[20];
  if (pread(fd, header, sizeof header, 0) != static_cast<ssize_t>(sizeof header)) return false;
  return header[18] == 2 && header[19] == 2;
}

Status LockShared(int fd, int busy_timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  for (;;) {
    struct flock lock;
    std::memset(&lock, 0, sizeof lock);
    lock.l_type = F_RDLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kSqliteSharedFirst;
    lock.l_len = kSqliteSharedSize;
    if (fcntl(fd, F_OFD_SETLK, &lock) == 0) return Status::Ok();
    const int error = errno;
    if ((error != EAGAIN && error != EACCES) || std::chrono::steady_clock::now() > deadline) {
      return Status(StatusCode::kIo, std::string("taking a shared lock: ") + std::strerror(error));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

LockFd& LockFd::operator=(LockFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

LockFd::~LockFd() {
  if (fd_ >= 0) close(fd_);
}

bool SqliteWalExists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path + "-wal", error);
}

std::string SqliteFileUri(const std::string& path, const std::string& query) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xf];
    }
  }
  return uri + "?" + query;
}

Result<SqliteReader> OpenSqliteReader(const std::string& path, int busy_timeout_ms) {
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  SqliteReader reader{SqliteConnection(), LockFd(), false};
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Status(StatusCode::kIo, std::strerror(errno));
  LockFd lock(fd);
  if (HeaderSaysWal(fd)) {
    if (Status locked = LockShared(fd, busy_timeout_ms); !locked.ok()) return locked;
    // Checked under the lock: a writer that opens later keeps its changes in
    // a new -wal; it cannot checkpoint on close while we hold the lock, only
    // when its -wal outgrows wal_autocheckpoint, so the store re-reads through
    // the -wal when one appeared during a read (SqliteHistoryStore).
    if (!SqliteWalExists(path)) {
      Result<SqliteConnection> db =
          SqliteConnection::Open(SqliteFileUri(path, "mode=ro&immutable=1"), flags);
      if (!db.ok()) return db.status();
      reader.db = std::move(db).value();
      reader.lock = std::move(lock);
      reader.immutable = true;
      return reader;
    }
  }
  Result<SqliteConnection> db = SqliteConnection::Open(SqliteFileUri(path, "mode=ro"), flags);
  if (!db.ok()) return db.status();
  db->SetBusyTimeout(busy_timeout_ms);
  reader.db = std::move(db).value();
  return reader;
}

}  // namespace regdigest
