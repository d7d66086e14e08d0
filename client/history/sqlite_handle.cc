#include "client/history/sqlite_handle.h"

#include <limits>

namespace regdigest {

Status SqliteError(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status(StatusCode::kIo, message);
}

namespace {

Status BindResult(sqlite3* db, int rc, int index) {
  if (rc == SQLITE_OK) return Status::Ok();
  return Status(StatusCode::kIo, "binding parameter " + std::to_string(index) + ": " +
                                     (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

}  // namespace

Status SqliteStatement::BindInt64(int index, std::int64_t value) {
  return BindResult(db_, sqlite3_bind_int64(statement_.get(), index, value), index);
}

Status SqliteStatement::BindText(int index, std::string_view value) {
  if (value.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return BindResult(db_, SQLITE_TOOBIG, index);
  }
  return BindResult(db_,
                    sqlite3_bind_text(statement_.get(), index, value.data(),
                                      static_cast<int>(value.size()), SQLITE_TRANSIENT),
                    index);
}

Status SqliteStatement::BindOptionalText(int index, const std::optional<std::string>& value) {
  if (value) return BindText(index, *value);
  return BindResult(db_, sqlite3_bind_null(statement_.get(), index), index);
}

Status SqliteStatement::BindOptionalBool(int index, std::optional<bool> value) {
  if (value) return BindInt64(index, *value ? 1 : 0);
  return BindResult(db_, sqlite3_bind_null(statement_.get(), index), index);
}

Result<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc);
}

Status SqliteStatement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

std::int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::optional<std::string> SqliteStatement::ColumnOptionalText(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return ColumnText(column);
}

std::optional<bool> SqliteStatement::ColumnOptionalBool(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(statement_.get(), column) != 0;
}

Result<SqliteConnection> SqliteConnection::Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOFOLLOW, nullptr);
  SqliteConnection connection(db);  // closes `db` even when the open failed
  if (rc != SQLITE_OK) return SqliteError(db, rc);
  sqlite3_extended_result_codes(db, 1);
  return connection;
}

Status SqliteConnection::Exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  return Status(StatusCode::kIo, message);
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement);
    return SqliteError(db_.get(), rc);
  }
  return SqliteStatement(statement, db_.get());
}

Result<std::int64_t> SqliteConnection::QueryInt64(const std::string& sql) {
  Result<SqliteStatement> statement = Prepare(sql);
  if (!statement.ok()) return statement.status();
  Result<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status(StatusCode::kIo, "no result for " + sql);
  return statement->ColumnInt64(0);
}

int SqliteConnection::LastErrorCode() const { return sqlite3_extended_errcode(db_.get()); }

std::int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_.get()); }

void SqliteConnection::SetBusyTimeout(int milliseconds) {
  sqlite3_busy_timeout(db_.get(), milliseconds);
}

}  // namespace regdigest
