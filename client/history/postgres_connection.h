// Thin RAII wrappers over libpq for the PostgreSQL history backend: a
// connection (PGconn*, closed on destruction) and a result (PGresult*,
// cleared on destruction). Every statement takes its values as bound
// parameters (PQexecParams), text format. Errors are Status kIo carrying the
// server's message; retryable() when the connection was lost.
// Thread safety: one connection per thread.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

// A parameter: a text value, or SQL NULL.
using PgParam = std::optional<std::string>;

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  int Rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const;
  // Rows a command changed (INSERT ... ON CONFLICT DO NOTHING: those inserted).
  long CommandRows() const;
  PGresult* get() const { return result_.get(); }

 private:
  struct Clear {
    void operator()(PGresult* result) const { PQclear(result); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

class PgConnection {
 public:
  // Connects to `url` (a libpq URI: credentials from it, PGPASSFILE,
  // ~/.pgpass or PG* variables; TLS per its sslmode). connect_timeout 10 s
  // unless the URL sets one.
  static Result<PgConnection> Connect(const std::string& url);

  // Runs `sql` with `params` ($1, $2...); a result with rows or a command's.
  Result<PgResult> Exec(const std::string& sql, const std::vector<PgParam>& params = {});
  // Runs a constant script of several statements (schema migrations: no
  // values in it, so no parameters).
  Status ExecScript(const char* sql);
  // Runs `sql` and calls `row` for each row as it arrives (single-row mode),
  // without holding the whole answer in memory.
  Status ExecEachRow(const std::string& sql, const std::vector<PgParam>& params,
                     const std::function<Status(const PgResult& row)>& row);
  bool Lost() const { return PQstatus(conn_.get()) == CONNECTION_BAD; }
  // SQLSTATE of the last failed statement ("" when none, or the connection was lost).
  const std::string& LastSqlState() const { return last_sqlstate_; }

 private:
  struct Finish {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Status Error(const PGresult* result);
  std::unique_ptr<PGconn, Finish> conn_;
  std::string last_sqlstate_;
};

}  // namespace regdigest
