#include "client/history/sqlite_handle.h"

namespace regdigest {

Status SqliteError(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Status(StatusCode::kIo, message);
}

void SqliteStatement::BindInt64(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_.get(), index, value);
}

void SqliteStatement::BindText(int index, std::string_view value) {
  sqlite3_bind_text(statement_.get(), index, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
}

void SqliteStatement::BindOptionalText(int index, const std::optional<std::string>& value) {
  if (value) {
    BindText(index, *value);
  } else {
    sqlite3_bind_null(statement_.get(), index);
  }
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

void SqliteConnection::SetBusyTimeout(int milliseconds) {
  sqlite3_busy_timeout(db_.get(), milliseconds);
}

}  // namespace regdigest
