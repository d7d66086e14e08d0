// What `record`, `history` and `drift` share: the --db option, the database
// path it selects, and the reference a history is kept under.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "client/history/history_db.h"
#include "common/base/status.h"
#include "common/image/reference.h"

namespace regdigest {

// Adds `--db PATH` (default: DefaultHistoryDbPath() in client/history_db.h).
void AddHistoryDbOption(CLI::App& command, std::string& db_path);

// The --db value, else the default path; kUsage when no home directory is
// known to put the default in.
Result<std::string> HistoryDbPath(const std::string& db_option);

// Opens the database HistoryDbPath(db_option) names. Errors name the file; the
// caller prints status().message() and exits with ExitStatusFor(code).
Result<HistoryDb> OpenHistoryDb(const std::string& db_option, HistoryDbMode mode);

// The reference whose history is kept: the tag defaulted to latest, and a
// digest next to a tag dropped ("nginx:1.25@sha256:..." is a history of
// docker.io/library/nginx:1.25). A digest-only reference stays as it is.
Reference HistoryReference(const Reference& reference);

inline constexpr const char* kHistoryDbFooter =
    "The history database is $XDG_DATA_HOME/regdigest/history.db, else "
    "~/.local/share/regdigest/history.db, unless --db is given.";

}  // namespace regdigest
