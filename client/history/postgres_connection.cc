#include "client/history/postgres_connection.h"

#include <string_view>

namespace regdigest {
namespace {

// libpq's messages end with newlines and may span lines ("DETAIL: ..."): one line.
std::string OneLine(std::string_view text) {
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace

std::string PgResult::Text(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  return std::string(value, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

long PgResult::CommandRows() const {
  const char* rows = PQcmdTuples(result_.get());
  return rows[0] == '\0' ? 0 : std::strtol(rows, nullptr, 10);
}

Result<PgConnection> PgConnection::Connect(const std::string& url) {
  // Later keywords override earlier ones: the URL's own connect_timeout wins.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "regdigest", url.c_str(), nullptr};
  PgConnection connection(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (connection.conn_ == nullptr) return Status(StatusCode::kIo, "out of memory");
  if (PQstatus(connection.conn_.get()) != CONNECTION_OK) {
    return Status(StatusCode::kIo, OneLine(PQerrorMessage(connection.conn_.get())))
        .WithRetryable(true);
  }
  return connection;
}

Status PgConnection::Error(const PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message =
      OneLine(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get()));
  if (message.empty()) message = OneLine(PQerrorMessage(conn_.get()));
  if (message.empty()) message = "no answer from the server";
  // The connection lost, or the server asks to try again (serialization failure, deadlock).
  const bool retryable = Lost() || last_sqlstate_ == "40001" || last_sqlstate_ == "40P01" ||
                         last_sqlstate_.starts_with("08") || last_sqlstate_ == "57P01";
  return Status(StatusCode::kIo, message).WithRetryable(retryable);
}

Result<PgResult> PgConnection::Exec(const std::string& sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  for (const PgParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  PgResult result(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (result.get() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return Error(result.get());
  }
  last_sqlstate_.clear();
  return result;
}

Status PgConnection::ExecScript(const char* sql) {
  PgResult result(PQexec(conn_.get(), sql));
  const ExecStatusType status = PQresultStatus(result.get());
  if (result.get() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return Error(result.get());
  }
  last_sqlstate_.clear();
  return Status::Ok();
}

Status PgConnection::ExecEachRow(const std::string& sql, const std::vector<PgParam>& params,
                                 const std::function<Status(const PgResult& row)>& row) {
  std::vector<const char*> values;
  for (const PgParam& param : params) values.push_back(param ? param->c_str() : nullptr);
  if (PQsendQueryParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    return Error(nullptr);
  }
  (void)PQsetSingleRowMode(conn_.get());
  Status outcome = Status::Ok();
  // Every result must be read, even after an error, before the connection is usable again.
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResult result(raw);
    const ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_SINGLE_TUPLE) {
      if (outcome.ok()) outcome = row(result);
    } else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK && outcome.ok()) {
      outcome = Error(raw);
    }
  }
  if (outcome.ok() && Lost()) outcome = Error(nullptr);
  return outcome;
}

}  // namespace regdigest
