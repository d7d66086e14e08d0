// Where a command's image references come from: REF arguments and `--file F`
// (one reference a line, `#` comments and blank lines skipped, `-` = stdin).
// Each entry remembers its source so an invalid line can be reported as
// `refs.txt:12: invalid reference: ...` while the others are still used.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/drift/lock_file.h"
#include "common/image/reference.h"

namespace regdigest {

struct ReferenceInput {
  std::string text;      // as given (a file line with surrounding whitespace trimmed)
  std::string file;      // "" for a command-line argument; "stdin" for `--file -`
  std::size_t line = 0;  // 1-based line number in `file`

  // "refs.txt:12", or "" for a command-line argument.
  std::string Location() const;
  // "line 12 of refs.txt", or "argument".
  std::string Source() const;
  // Parses `text` (tag not defaulted). The error is the parser's, with the
  // input quoted: `invalid reference: "Ubuntu": repository name must be lowercase`.
  Result<Reference> Parse() const;
  // What to print for an error about this entry: "refs.txt:12: <status>", or
  // the status alone for a command-line argument.
  std::string ErrorText(const Status& status) const;
};

// One reference a line from `in`; `name` is used as the entries' file.
// Lines whose first non-blank character is `#`, and blank lines, are skipped;
// leading and trailing whitespace (including a CR) is trimmed. kIo when the
// stream fails while reading.
Result<std::vector<ReferenceInput>> ReadReferenceLines(std::istream& in, const std::string& name);

// The positional `arguments` first, then the lines of `file` ("" = none,
// "-" = `stdin`). A file that cannot be opened or read is kUsage naming it.
Result<std::vector<ReferenceInput>> GatherReferenceInputs(const std::vector<std::string>& arguments,
                                                          const std::string& file,
                                                          std::istream& stdin_stream);

// The whole text of a `--file F` that may also be a lock file (record,
// check): F's bytes, or all of `stdin_stream` for "-". nullopt when F does
// not exist; kUsage naming the option and F when it cannot be read (a
// directory: "--from F: is a directory"; no permission, a read error).
Result<std::optional<std::string>> ReadInputText(const std::string& file,
                                                 std::istream& stdin_stream,
                                                 const std::string& option = "--file");

// A `--file F` that is either a regdigest lock file or a list of references
// (record, check), told apart by its content (LooksLikeLockFile).
struct LockFileOrList {
  std::string name;                   // F, or "stdin" for "-"
  std::optional<LockFile> lock;       // set when F is a lock file
  std::vector<ReferenceInput> lines;  // otherwise: its reference lines
};

// Reads and sorts out `file` ("-" = `stdin_stream`). nullopt when it does
// not exist; kUsage when it cannot be read; a corrupt or too new lock file
// is ParseLockFile's error with the name first ("F: entry 2 (line 9): ...").
// Only a file the user named may be a list: with `list_allowed` false (the
// default regdigest.lock), anything that is not a valid lock file is a
// corrupt lock file ("regdigest.lock: not valid JSON: ...").
Result<std::optional<LockFileOrList>> ReadLockFileOrList(const std::string& file,
                                                         std::istream& stdin_stream,
                                                         bool list_allowed = true);

}  // namespace regdigest
