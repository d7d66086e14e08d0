#include "cli/inputs/history_transfer.h"

#include <fstream>
#include <vector>

#include "client/sys/file_io.h"
#include "common/base/display_text.h"
#include "common/drift/history_export.h"

namespace regdigest {
namespace {

// Reads one line of at most `cap` bytes into `line`; false at the end of the
// input. A longer line is consumed and flagged with `too_long`.
bool ReadCappedLine(std::istream& in, std::string& line, std::size_t cap, bool& too_long) {
  line.clear();
  too_long = false;
  char c;
  bool any = false;
  while (in.get(c)) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < cap) {
      line += c;
    } else {
      too_long = true;
    }
  }
  return any;
}

Result<HistoryImportCounts> ImportStream(HistoryStore& store, const std::string& name,
                                         std::istream& in) {
  std::vector<Observation> observations;
  std::string line;
  bool too_long = false;
  std::size_t number = 0;
  while (ReadCappedLine(in, line, kMaxHistoryImportLineBytes, too_long)) {
    ++number;
    const std::string where = DisplayText(name) + ":" + std::to_string(number) + ": ";
    if (number > kMaxHistoryImportLines) {
      return Status(StatusCode::kInvalidArgument,
                    where + "more than " + std::to_string(kMaxHistoryImportLines) + " lines");
    }
    if (too_long) {
      return Status(StatusCode::kInvalidArgument,
                    where + "longer than " + std::to_string(kMaxHistoryImportLineBytes) + " bytes");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    Result<Observation> observation = ParseHistoryExportLine(line);
    if (!observation.ok()) {
      return Status(StatusCode::kInvalidArgument, where + observation.status().message());
    }
    observations.push_back(std::move(observation).value());
  }
  if (in.bad()) return Status(StatusCode::kIo, "cannot read " + DisplayText(name));
  return store.Import(observations);
}

}  // namespace

Result<std::size_t> ExportHistory(HistoryStore& store, const std::string& file, std::ostream& out) {
  std::string text;
  std::size_t count = 0;
  Status exported = store.ForEachObservation([&](const Observation& observation) {
    text += FormatHistoryExportLine(observation);
    text += '\n';
    ++count;
    if (file == "-" && text.size() > (1 << 20)) {  // stream stdout by the MiB
      out << text;
      text.clear();
      if (!out) return Status(StatusCode::kIo, "cannot write to stdout");
    }
    return Status::Ok();
  });
  if (!exported.ok()) return exported;
  if (file == "-") {
    out << text << std::flush;
    if (!out) return Status(StatusCode::kIo, "cannot write to stdout");
    return count;
  }
  if (Status written = WriteFileAtomic(file, text, 0644); !written.ok()) return written;
  return count;
}

Result<HistoryImportCounts> ImportHistory(HistoryStore& store, const std::string& file,
                                          std::istream& in) {
  if (file == "-") return ImportStream(store, "stdin", in);
  Result<std::optional<FileInfo>> info = StatFile(file);
  if (!info.ok()) return info.status();
  if (!info->has_value()) {
    return Status(StatusCode::kUsage, "cannot read " + DisplayText(file) + ": no such file");
  }
  if ((*info)->is_directory) {
    return Status(StatusCode::kUsage, DisplayText(file) + " is a directory, not an export file");
  }
  std::ifstream stream(file, std::ios::binary);
  if (!stream) return Status(StatusCode::kIo, "cannot read " + DisplayText(file));
  return ImportStream(store, file, stream);
}

}  // namespace regdigest
