// The history database's schema: how a file is recognised as ours (SQLite's
// application_id header field), its version (PRAGMA user_version) and the
// list of forward migrations, migration i taking version i to i + 1. A file
// that is not SQLite, or a SQLite database of another application, or of a
// newer regdigest, is refused with a message naming it.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "client/history/sqlite_handle.h"
#include "common/base/status.h"

namespace regdigest {

// "RDHD" (regdigest history database) in the header's application_id field.
inline constexpr std::int64_t kHistoryApplicationId = 0x52444844;

// One step of the schema, run inside the migration transaction.
using SchemaMigration = Status (*)(SqliteConnection& db);

// The migrations of this regdigest; their count is the current schema version.
std::span<const SchemaMigration> HistoryMigrations();
int HistorySchemaVersion();

// The schema version of an open database: 0 for an empty one (no tables, no
// application_id: a new file). kInvalidArgument naming `path` for a file that
// is not SQLite, a foreign SQLite database, or a version newer than
// `newest_known`; kIo for other SQLite errors. Reads only.
Result<int> ProbeHistorySchema(SqliteConnection& db, const std::string& path, int newest_known);

// Brings `db` (open read-write) to version migrations.size() in one
// BEGIN IMMEDIATE transaction, probing again inside it (another process may
// have migrated meanwhile); sets application_id and user_version. Rolls back
// on failure.
Status MigrateHistorySchema(SqliteConnection& db, const std::string& path,
                            std::span<const SchemaMigration> migrations);

}  // namespace regdigest
