// Helpers shared by the SQLite history tests: raw files and connections
// behind the store's back, observations and runs to record, a store opened or
// the test fails.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "client/history/history_db.h"
#include "client/history/history_store.h"
#include "client/history/sqlite_handle.h"
#include "client/sys/file_io.h"

namespace regdigest::history_testing {

inline std::string Bytes(const std::string& path) {
  Result<std::optional<std::string>> bytes = ReadFileIfExists(path);
  REQUIRE(bytes.ok());
  REQUIRE(bytes->has_value());
  return **bytes;
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

// A raw connection for setting up and inspecting files behind the store's back.
inline SqliteConnection Raw(const std::string& path) {
  Result<SqliteConnection> db =
      SqliteConnection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  REQUIRE(db.ok());
  return std::move(db).value();
}

inline std::int64_t QueryInt(const std::string& path, const std::string& sql) {
  SqliteConnection db = Raw(path);
  Result<std::int64_t> value = db.QueryInt64(sql);
  REQUIRE(value.ok());
  return *value;
}

inline Observation Obs(const std::string& reference, std::int64_t time, const std::string& digest) {
  Observation observation;
  observation.reference = reference;
  observation.observed_at = time;
  if (digest.empty()) {
    observation.status = "unauthorized";
    observation.message = "authentication required";
  } else {
    observation.digest = digest;
    observation.media_type = "application/vnd.oci.image.index.v1+json";
  }
  return observation;
}

// One line per item, so a failed CHECK shows the values.
inline std::string Lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + "\n";
  return out;
}

inline std::unique_ptr<SqliteHistoryStore> OpenOk(const std::string& path,
                                                  HistoryMode mode = HistoryMode::kReadWrite) {
  Result<std::unique_ptr<SqliteHistoryStore>> db = SqliteHistoryStore::Open(path, mode);
  REQUIRE_MESSAGE(db.ok(), db.status().ToString());
  return std::move(db).value();
}

// One `record` run of these observations.
inline HistoryRun Run(std::vector<Observation> observations) {
  return HistoryRun{NewHistoryRunId(), std::move(observations)};
}

}  // namespace regdigest::history_testing
