#include "cli/inputs/history_options.h"

#include "client/sys/environment.h"

namespace regdigest {

void AddHistoryDbOption(CLI::App& command, std::string& db_value) {
  command
      .add_option("--db", db_value,
                  "History database: a SQLite file, or a postgresql://USER@HOST:PORT/DBNAME URL "
                  "(default: $REGDIGEST_DB, else $XDG_DATA_HOME/regdigest/history.db)")
      ->type_name("PATH|URL");
}

Result<std::string> HistoryDbPath(const std::string& db_option) {
  return HistoryDbValue(db_option, RealEnvironment());
}

Result<std::unique_ptr<HistoryStore>> OpenHistory(const std::string& db_option, HistoryMode mode) {
  return OpenHistoryStore(db_option, mode, RealEnvironment());
}

Reference HistoryReference(const Reference& reference) {
  if (reference.tag() && reference.digest()) {
    Result<Reference> tag_only = Reference::Parse(reference.Name() + ":" + *reference.tag());
    if (tag_only.ok()) return *tag_only;
  }
  return reference.WithDefaultTag();
}

}  // namespace regdigest
