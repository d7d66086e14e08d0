#include "client/history/history_store.h"

#include <random>

#include "client/history/history_db.h"
#include "client/history/postgres_history_store.h"

namespace regdigest {

Result<std::string> HistoryDbValue(const std::string& db_value, const Environment& env) {
  if (!db_value.empty()) return db_value;
  if (std::optional<std::string> from_env = NonEmptyVariable(env, "REGDIGEST_DB")) {
    return *from_env;
  }
  std::string path = DefaultHistoryDbPath();
  if (path.empty()) {
    return Status(StatusCode::kUsage,
                  "no home directory to keep the history database in; pass --db PATH|URL or set "
                  "REGDIGEST_DB");
  }
  return path;
}

bool IsPostgresUrl(const std::string& db_value) {
  return db_value.starts_with("postgresql://") || db_value.starts_with("postgres://");
}

Result<std::unique_ptr<HistoryStore>> OpenHistoryStore(const std::string& db_value,
                                                       HistoryMode mode, const Environment& env) {
  Result<std::string> value = HistoryDbValue(db_value, env);
  if (!value.ok()) return value.status();
  if (IsPostgresUrl(*value)) {
    Result<std::unique_ptr<PostgresHistoryStore>> postgres =
        PostgresHistoryStore::Open(*value, mode, HistoryDbRetryPolicy());
    if (!postgres.ok()) return postgres.status();
    return std::unique_ptr<HistoryStore>(std::move(postgres).value());
  }
  Result<std::unique_ptr<SqliteHistoryStore>> sqlite = SqliteHistoryStore::Open(*value, mode);
  if (!sqlite.ok()) return sqlite.status();
  return std::unique_ptr<HistoryStore>(std::move(sqlite).value());
}

std::string NewHistoryRunId() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device random;  // getrandom(2) on Linux
  std::string id;
  for (int i = 0; i < 8; ++i) {
    const unsigned value = random();
    id += kHex[(value >> 28) & 0xf];
    id += kHex[(value >> 24) & 0xf];
    id += kHex[(value >> 20) & 0xf];
    id += kHex[(value >> 16) & 0xf];
  }
  return id;
}

}  // namespace regdigest
