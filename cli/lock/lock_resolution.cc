#include "cli/lock/lock_resolution.h"

#include "client/sys/file_io.h"

namespace regdigest {

Result<std::optional<LockFile>> LoadLockFile(const std::string& path) {
  Result<std::optional<std::string>> text = ReadFileIfExists(path);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<LockFile>();
  Result<LockFile> lock = ParseLockFile(**text);
  if (!lock.ok()) return lock.status().WithContext(path);
  return std::optional<LockFile>(std::move(lock).value());
}

}  // namespace regdigest
