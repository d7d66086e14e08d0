#include "cli/inputs/history_options.h"

#include <filesystem>
#include <system_error>

#include "client/history/history_db.h"
#include "client/sys/environment.h"

namespace regdigest {

void AddHistoryDbOption(CLI::App& command, std::string& db_path) {
  command
      .add_option("--db", db_path,
                  "History database (SQLite) to use instead of the default "
                  "$XDG_DATA_HOME/regdigest/history.db")
      ->type_name("PATH");
}

Result<std::string> HistoryDbPath(const std::string& db_option) {
  std::error_code error;
  if (!db_option.empty()) {
    if (std::filesystem::is_directory(db_option, error)) {
      return Status(StatusCode::kUsage,
                    "--db " + db_option + ": is a directory; name the database file in it");
    }
    return db_option;
  }
  std::string path = DefaultHistoryDbPath();
  if (path.empty()) {
    Result<std::string> home = HomeDirectory();
    return Status(StatusCode::kUsage,
                  (home.ok() ? "no home directory to keep the history database in"
                             : home.status().message()) +
                      "; pass --db PATH");
  }
  if (std::filesystem::is_directory(path, error)) {
    return Status(StatusCode::kIo, "history database " + path + " is a directory");
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
