// Thin RAII wrappers over SQLite's C API for the history database: a
// connection (sqlite3*, closed on destruction) and a prepared statement
// (sqlite3_stmt*, finalized on destruction). Errors are Status kIo carrying
// SQLite's message; LastErrorCode() tells callers which SQLite error it was.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"

namespace regdigest {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* statement, sqlite3* db) : statement_(statement), db_(db) {}

  // 1-based parameter indexes, as in SQL's ?1, ?2...
  // Each fails (kIo) for an index out of range, a value too big, no memory.
  Status BindInt64(int index, std::int64_t value);
  Status BindText(int index, std::string_view value);
  Status BindOptionalText(int index, const std::optional<std::string>& value);
  Status BindOptionalBool(int index, std::optional<bool> value);

  // true: a row is available; false: done.
  Result<bool> Step();
  // Step() until done; for statements that return no rows.
  Status Run();
  // Clears the bindings and rewinds, to run the statement again.
  void Reset();

  // 0-based columns of the current row.
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;  // "" for NULL
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::optional<bool> ColumnOptionalBool(int column) const;

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  sqlite3* db_;
};

class SqliteConnection {
 public:
  SqliteConnection() = default;  // no database: assign an opened one
  // sqlite3_open_v2 with `flags` (SQLITE_OPEN_READONLY, _READWRITE, _CREATE...).
  static Result<SqliteConnection> Open(const std::string& path, int flags);

  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  // The first column of the first row of `sql` (e.g. "PRAGMA user_version").
  Result<std::int64_t> QueryInt64(const std::string& sql);
  // The (extended) result code of the last failed call, e.g. SQLITE_NOTADB.
  int LastErrorCode() const;
  void SetBusyTimeout(int milliseconds);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;

  sqlite3* get() const { return db_.get(); }

 private:
  struct Close {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Close> db_;
};

// Status kIo "<sqlite message>" for result code `rc` on `db` (may be null).
Status SqliteError(sqlite3* db, int rc);

}  // namespace regdigest
