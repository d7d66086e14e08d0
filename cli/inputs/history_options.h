// What `record`, `history` and `drift` share: the --db option, the database
// it selects (a SQLite path or a PostgreSQL URL) and the reference a history
// is kept under.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "client/history/history_store.h"
#include "common/base/status.h"
#include "common/image/reference.h"

namespace regdigest {

// Adds `--db PATH|URL` (default: $REGDIGEST_DB, else DefaultHistoryDbPath()).
void AddHistoryDbOption(CLI::App& command, std::string& db_value);

// The --db value, else $REGDIGEST_DB, else the default path; kUsage when no
// home directory is known to put the default in.
Result<std::string> HistoryDbPath(const std::string& db_option);

// Opens the database HistoryDbPath(db_option) names. Errors name it (never a
// password); the caller prints status().message() and exits with
// ExitStatusFor(code).
Result<std::unique_ptr<HistoryStore>> OpenHistory(const std::string& db_option, HistoryMode mode);

// The reference whose history is kept: the tag defaulted to latest, and a
// digest next to a tag dropped ("nginx:1.25@sha256:..." is a history of
// docker.io/library/nginx:1.25). A digest-only reference stays as it is.
Reference HistoryReference(const Reference& reference);

inline constexpr const char* kHistoryDbFooter =
    "The history database is --db, else $REGDIGEST_DB, else "
    "$XDG_DATA_HOME/regdigest/history.db, else ~/.local/share/regdigest/history.db. A "
    "postgresql:// URL selects a shared PostgreSQL database.";

}  // namespace regdigest
