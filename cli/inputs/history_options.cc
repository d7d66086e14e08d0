#include "cli/inputs/history_options.h"

#include "client/history/history_db.h"

namespace regdigest {

void AddHistoryDbOption(CLI::App& command, std::string& db_path) {
  command
      .add_option("--db", db_path,
                  "History database (SQLite) to use instead of the default "
                  "$XDG_DATA_HOME/regdigest/history.db")
      ->type_name("PATH");
}

Result<std::string> HistoryDbPath(const std::string& db_option) {
  if (!db_option.empty()) return db_option;
  std::string path = DefaultHistoryDbPath();
  if (path.empty()) {
    return Status(StatusCode::kUsage,
                  "no home directory to keep the history database in; pass --db PATH");
  }
  return path;
}

Result<HistoryDb> OpenHistoryDb(const std::string& db_option, HistoryDbMode mode) {
  Result<std::string> path = HistoryDbPath(db_option);
  if (!path.ok()) return path.status();
  return HistoryDb::Open(*path, mode);
}

Reference HistoryReference(const Reference& reference) {
  if (reference.tag() && reference.digest()) {
    Result<Reference> tag_only = Reference::Parse(reference.Name() + ":" + *reference.tag());
    if (tag_only.ok()) return *tag_only;
  }
  return reference.WithDefaultTag();
}

}  // namespace regdigest
