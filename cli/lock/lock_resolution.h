// What `lock` and `check` share: loading the lock file named by --file, with
// the file's name in every error. (Both resolve tags through
// cli/app/registry_session.h.)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/base/status.h"
#include "common/drift/lock_file.h"

namespace regdigest {

inline constexpr const char* kDefaultLockFile = "regdigest.lock";

// The parsed lock file at `path`; nullopt when there is no such file. A file
// that cannot be read is kIo, a corrupt or too new one kInvalidArgument; both
// messages start with the path ("regdigest.lock: entry 2 (line 9): ...").
Result<std::optional<LockFile>> LoadLockFile(const std::string& path);

}  // namespace regdigest
