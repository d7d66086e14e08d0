// The PostgreSQL history schema: the same tables and versions as the SQLite
// one (history_schema.h), in the connection's current schema. A table
// regdigest_meta holds the application marker and the schema version; a
// database with other tables and no marker, another application's marker or
// a newer version is refused and nothing in it is touched. Migrations run in
// one transaction under an advisory lock, so concurrent first runs create the
// schema once.
#pragma once

#include <span>
#include <string>

#include "common/base/status.h"

namespace regdigest {

class PgConnection;  // postgres_connection.h

inline constexpr const char* kPostgresHistoryApplication = "regdigest-history";

// Migration i takes version i to i + 1; their count is the current version
// and equals HistorySchemaVersion() (a unit test checks it).
std::span<const char* const> PostgresHistoryMigrations();

// The schema version (0: an empty database, nothing in its current schema).
// kInvalidArgument naming `name` for a database that is not regdigest's or is
// newer than `newest_known`. Reads only.
Result<int> ProbePostgresHistorySchema(PgConnection& db, const std::string& name, int newest_known);

// Brings the database to PostgresHistoryMigrations().size(), probing again
// inside the transaction; rolls back on failure.
Status MigratePostgresHistorySchema(PgConnection& db, const std::string& name);

}  // namespace regdigest
