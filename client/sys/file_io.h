// Files: the few operations regdigest performs on the user's files (read,
// atomic write, create parent directories, stat), as free functions and
// behind the FileSystem interface (in the style of ninja's DiskInterface) so
// that callers can be unit-tested with an in-memory fake. RealFileSystem is
// the one real implementation; it forwards to the free functions.
//
// WriteFileAtomic never leaves a half-written file: it writes a temp file in
// the same directory, fsyncs it, renames it over the target and fsyncs the
// directory. On error the target is untouched and the temp file removed; on
// SIGINT/SIGTERM the temp file is removed too (temp_file_cleanup.h).
//
// Thread safety: the functions and RealFileSystem are safe to call from
// several threads (on different paths).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/base/status.h"

namespace regdigest {

// The one mode of every directory regdigest creates (history database,
// Docker config, lock and pin outputs): private to the user, rwx------.
// Directories that already exist are never changed.
inline constexpr mode_t kCreatedDirectoryMode = 0700;

struct FileInfo {
  bool is_directory = false;
  mode_t mode = 0;  // permission bits only (07777)
  std::uintmax_t size = 0;
};

// The whole file; nullopt when it does not exist; kIo on other errors (a
// directory: "cannot read PATH: Is a directory").
Result<std::optional<std::string>> ReadFileIfExists(const std::string& path);

// Replaces `path` with `contents`. A symbolic link (or chain, at most 40) is
// written through: the file it names is replaced, with the temp file in that
// file's directory, and the link stays. An existing file keeps its mode
// masked with `keep_mask` (0600 for a file holding secrets: never readable by
// others, even if it was) and its owner when running as root; a new one gets
// `mode` (umask not applied).
// Refused, with nothing written: an existing file the user cannot write, or
// that has no write bit at all (so root too leaves a 0444 file alone), a
// directory, anything but a regular file. Creates missing parent directories
// first (CreateParentDirectories). kIo on errors, naming `path` and the errno
// text (a full disk is "No space left on device").
Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode,
                       mode_t keep_mask = 07777);

// mkdir -p of the directory holding `path`: each missing directory is created
// with mode kCreatedDirectoryMode exactly (whatever the umask); existing ones
// are left alone. "file" (no directory part) needs nothing. kIo naming the
// directory that could not be created.
Status CreateParentDirectories(const std::string& path);

// Follows symbolic links. nullopt when nothing is there; kIo on other errors.
Result<std::optional<FileInfo>> StatFile(const std::string& path);

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) = 0;
  virtual Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode,
                                 mode_t keep_mask) = 0;
  virtual Status CreateParentDirectories(const std::string& path) = 0;
  virtual Result<std::optional<FileInfo>> Stat(const std::string& path) = 0;
};

// The free functions above.
class RealFileSystem : public FileSystem {
 public:
  Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode,
                         mode_t keep_mask) override;
  Status CreateParentDirectories(const std::string& path) override;
  Result<std::optional<FileInfo>> Stat(const std::string& path) override;
};

// The process-wide RealFileSystem (never destroyed).
FileSystem& RealFiles();

}  // namespace regdigest
