#include "client/sys/file_io.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client/sys/temp_file_cleanup.h"

namespace regdigest {
namespace {

namespace fs = std::filesystem;

Status IoError(const std::string& what, const std::string& path, int error) {
  return Status(StatusCode::kIo, what + " " + path + ": " + std::strerror(error));
}

// Writes all of `contents` to fd; 0 or the errno of the failure.
int WriteAll(int fd, const std::string& contents) {
  std::size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

// Makes a completed rename durable. Best effort: some file systems refuse
// fsync on a directory, and the new contents are in place either way.
void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

constexpr int kMaxSymlinkHops = 40;

// The file `path` finally names after following symbolic links (a dangling
// link names the file it would create). kIo naming `path` on errors.
Result<std::string> FollowLinks(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops <= kMaxSymlinkHops; ++hops) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0) {
      if (errno == ENOENT) return current;
      return IoError("cannot access", path, errno);
    }
    if (!S_ISLNK(st.st_mode)) return current;
    std::string link(PATH_MAX, '\0');
    const ssize_t n = ::readlink(current.c_str(), link.data(), link.size());
    if (n < 0) return IoError("cannot read the link", current, errno);
    if (static_cast<std::size_t>(n) >= link.size())
      return IoError("cannot read the link", current, ENAMETOOLONG);
    link.resize(static_cast<std::size_t>(n));
    const fs::path next(link);
    current = next.is_absolute() ? link : (fs::path(current).parent_path() / next).string();
  }
  return IoError("cannot write", path, ELOOP);
}

// Checks that the existing `target` (`path` after links) may be replaced.
Status CheckReplaceable(const std::string& path, const std::string& target, const struct stat& st) {
  if (S_ISDIR(st.st_mode)) return IoError("cannot write", path, EISDIR);
  if (!S_ISREG(st.st_mode))
    return Status(StatusCode::kIo, "cannot write " + path + ": not a regular file");
  // Root passes access(W_OK) whatever the mode; a file nobody may write is
  // still read-only to regdigest.
  const bool no_write_bit = (st.st_mode & 0222) == 0;
  if (::access(target.c_str(), W_OK) != 0 || no_write_bit) {
    const int error = no_write_bit ? EACCES : errno;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(StatusCode::kIo, "cannot write " + path + ": " + std::strerror(error) +
                                       " (mode " + mode + "); it was left unchanged");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return std::optional<std::string>();
  if (fs::is_directory(path, ec)) {
    return IoError("cannot read", path, EISDIR);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read", path, errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IoError("cannot read", path, errno);
  return std::optional<std::string>(buffer.str());
}

Status CreateParentDirectories(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code error;
  if (fs::is_directory(parent, error)) return Status::Ok();
  fs::path partial;
  for (const fs::path& component : parent) {
    partial /= component;
    if (component.empty()) continue;  // a trailing separator
    if (::mkdir(partial.c_str(), kCreatedDirectoryMode) == 0) {
      // mkdir applies the umask; the mode is kCreatedDirectoryMode whatever it is.
      if (::chmod(partial.c_str(), kCreatedDirectoryMode) != 0) {
        return IoError("cannot set the mode of", partial.string(), errno);
      }
      continue;
    }
    const int mkdir_error = errno;
    if (mkdir_error == EEXIST && fs::is_directory(partial, error)) continue;
    return IoError("cannot create", partial.string(),
                   mkdir_error == EEXIST ? ENOTDIR : mkdir_error);
  }
  return Status::Ok();
}

Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode,
                       mode_t keep_mask) {
  Result<std::string> resolved = FollowLinks(path);
  if (!resolved.ok()) return resolved.status();
  const fs::path target(*resolved);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists) {
    if (Status ok = CheckReplaceable(path, target.string(), existing); !ok.ok()) return ok;
    mode = existing.st_mode & 07777 & keep_mask;
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return IoError("cannot access", path, errno);
  }
  if (Status made = CreateParentDirectories(target.string()); !made.ok()) return made;
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return IoError("cannot create a temporary file next to", target.string(), errno);
  ScopedTempFileCleanup cleanup(temp);
  int error = 0;
  // Root keeps the owner of the file it replaces (a user's config.json).
  if (exists && ::geteuid() == 0 && ::fchown(fd, existing.st_uid, existing.st_gid) != 0)
    error = errno;
  if (error == 0 && ::fchmod(fd, mode) != 0) error = errno;
  if (error == 0) error = WriteAll(fd, contents);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  // close() can report a failed write-back (NFS, quota); it must not be ignored.
  if (::close(fd) != 0 && error == 0) error = errno;
  Status status = error == 0 ? Status::Ok() : IoError("cannot write", path, error);
  if (status.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    status = IoError("cannot replace", path, errno);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  SyncDirectory(dir);
  return Status::Ok();
}

Result<std::optional<FileInfo>> StatFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<FileInfo>();
    return IoError("cannot access", path, errno);
  }
  FileInfo info;
  info.is_directory = S_ISDIR(st.st_mode);
  info.mode = st.st_mode & 07777;
  info.size = static_cast<std::uintmax_t>(st.st_size);
  return std::optional<FileInfo>(info);
}

Result<std::optional<std::string>> RealFileSystem::ReadFileIfExists(const std::string& path) {
  return regdigest::ReadFileIfExists(path);
}

Status RealFileSystem::WriteFileAtomic(const std::string& path, const std::string& contents,
                                       mode_t mode, mode_t keep_mask) {
  return regdigest::WriteFileAtomic(path, contents, mode, keep_mask);
}

Status RealFileSystem::CreateParentDirectories(const std::string& path) {
  return regdigest::CreateParentDirectories(path);
}

Result<std::optional<FileInfo>> RealFileSystem::Stat(const std::string& path) {
  return StatFile(path);
}

FileSystem& RealFiles() {
  static RealFileSystem* const files = new RealFileSystem();
  return *files;
}

}  // namespace regdigest
