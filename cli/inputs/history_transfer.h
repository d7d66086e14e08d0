// `regdigest history --export FILE|-` and `--import FILE|-`: the whole
// history as JSON lines (common/drift/history_export.h), written atomically
// to FILE (or stdout), and merged from FILE (or stdin) into any backend in one
// transaction; importing the same file twice adds nothing.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "client/history/history_store.h"
#include "common/base/status.h"

namespace regdigest {

// Writes every observation of `store`, sorted; "-" is `out`. Returns the count.
Result<std::size_t> ExportHistory(HistoryStore& store, const std::string& file, std::ostream& out);

// Reads and validates every line of `file` ("-" is `in`) before storing any:
// an error names the file and line ("FILE:LINE: field: why"), kInvalidArgument.
Result<HistoryImportCounts> ImportHistory(HistoryStore& store, const std::string& file,
                                          std::istream& in);

}  // namespace regdigest
