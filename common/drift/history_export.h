// The history export format (`regdigest history --export` / `--import`): one
// JSON object per line, one line per observation, keys in a fixed order:
//   {"reference":"docker.io/library/nginx:1.25","observedAt":"2026-11-30T12:00:00Z",
//    "run":"3f2a...","digest":"sha256:...","mediaType":"...","status":"ok",
//    "message":"","signatureVerified":null}
// Lines are sorted by reference, time and storage order (HistoryStore), so
// the diff of two exports shows just what changed. Import input is untrusted:
// every field is validated, and lines and their count are capped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/drift/history_timeline.h"

namespace regdigest {

inline constexpr std::size_t kMaxHistoryImportLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxHistoryImportLines = 20'000'000;
inline constexpr std::size_t kMaxObservationMessageBytes = 8192;

// One export line, without its newline.
std::string FormatHistoryExportLine(const Observation& observation);

// Parses and validates one line (without its newline). kInvalidArgument
// saying which field is wrong (the caller adds the file and line number).
Result<Observation> ParseHistoryExportLine(std::string_view line);

}  // namespace regdigest
