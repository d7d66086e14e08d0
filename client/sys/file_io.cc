#include "client/sys/file_io.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace regdigest {
namespace {

Status IoError(const std::string& what, const std::string& path) {
  return Status(StatusCode::kIo, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read", path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IoError("cannot read", path);
  return std::optional<std::string>(buffer.str());
}

Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Status(StatusCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) return IoError("cannot create a temporary file next to", path);
  bool ok = fchmod(fd, mode) == 0;
  size_t written = 0;
  while (ok && written < contents.size()) {
    ssize_t n = write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      written += static_cast<size_t>(n);
  }
  ok = ok && fsync(fd) == 0;
  Status status = ok ? Status::Ok() : IoError("cannot write", temp);
  close(fd);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0)
    status = IoError("cannot replace", path);
  if (!status.ok()) unlink(temp.c_str());
  return status;
}

std::string HomeDirectory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr)
    return pw->pw_dir;
  return "";
}

}  // namespace regdigest
