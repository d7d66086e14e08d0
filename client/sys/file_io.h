// Small file helpers shared by commands that read or write the user's files.
// WriteFileAtomic never leaves a half-written file: it writes a temp file in
// the same directory, fsyncs it and renames it over the target.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/base/status.h"

namespace regdigest {

// The whole file; nullopt when it does not exist; kIo on other errors.
Result<std::optional<std::string>> ReadFileIfExists(const std::string& path);

// Creates parent directories (mode 0700) when missing.
Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode);

// $HOME, falling back to the passwd entry; "" when neither is known.
std::string HomeDirectory();

}  // namespace regdigest
