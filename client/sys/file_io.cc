#include "client/sys/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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

}  // namespace

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return std::optional<std::string>();
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

Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (Status made = CreateParentDirectories(path); !made.ok()) return made;
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return IoError("cannot create a temporary file next to", path, errno);
  int error = ::fchmod(fd, mode) == 0 ? 0 : errno;
  if (error == 0) error = WriteAll(fd, contents);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  // close() can report a failed write-back (NFS, quota); it must not be ignored.
  if (::close(fd) != 0 && error == 0) error = errno;
  Status status = error == 0 ? Status::Ok() : IoError("cannot write", temp, error);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
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
                                       mode_t mode) {
  return regdigest::WriteFileAtomic(path, contents, mode);
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
