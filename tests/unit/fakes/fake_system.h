// In-memory fakes of the operating-system seams in client/sys: FakeEnvironment
// (variables and a passwd home), FakeFileSystem (files and directories in a
// map, with injectable errors) and FakeProcessRunner (scripted answers per
// command, every call recorded). Single-threaded test use only.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/sys/environment.h"
#include "client/sys/file_io.h"
#include "client/sys/process.h"

namespace regdigest::testing {

class FakeEnvironment : public Environment {
 public:
  FakeEnvironment() = default;
  explicit FakeEnvironment(std::map<std::string, std::string, std::less<>> vars,
                           std::string passwd_home = "")
      : vars(std::move(vars)), passwd_home(std::move(passwd_home)) {}

  std::optional<std::string> Get(std::string_view name) const override {
    if (auto it = vars.find(name); it != vars.end()) return it->second;
    return std::nullopt;
  }
  std::string PasswdHome() const override { return passwd_home; }

  std::map<std::string, std::string, std::less<>> vars;
  std::string passwd_home;
};

class FakeFileSystem : public FileSystem {
 public:
  struct File {
    std::string contents;
    mode_t mode = 0644;
  };

  Result<std::optional<std::string>> ReadFileIfExists(const std::string& path) override {
    reads.push_back(path);
    if (auto it = read_errors.find(path); it != read_errors.end()) return it->second;
    if (auto it = files.find(path); it != files.end()) {
      return std::optional<std::string>(it->second.contents);
    }
    return std::optional<std::string>();
  }
  Status WriteFileAtomic(const std::string& path, const std::string& contents, mode_t mode,
                         mode_t keep_mask) override {
    writes.push_back(path);
    if (auto it = write_errors.find(path); it != write_errors.end()) return it->second;
    if (Status made = CreateParentDirectories(path); !made.ok()) return made;
    // As the real one: an existing file keeps its mode, masked.
    if (auto it = files.find(path); it != files.end()) mode = it->second.mode & keep_mask;
    files[path] = File{contents, mode};
    return Status::Ok();
  }
  Status CreateParentDirectories(const std::string& path) override {
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      directories.insert(path.substr(0, slash));
    }
    return Status::Ok();
  }
  Result<std::optional<FileInfo>> Stat(const std::string& path) override {
    if (auto it = files.find(path); it != files.end()) {
      return std::optional<FileInfo>(FileInfo{false, it->second.mode, it->second.contents.size()});
    }
    if (directories.count(path)) {
      return std::optional<FileInfo>(FileInfo{true, kCreatedDirectoryMode, 0});
    }
    return std::optional<FileInfo>();
  }

  std::map<std::string, File> files;
  std::set<std::string> directories;
  std::map<std::string, Status> read_errors;   // path -> error ReadFileIfExists returns
  std::map<std::string, Status> write_errors;  // path -> error WriteFileAtomic returns
  std::vector<std::string> reads;              // every path read, in order
  std::vector<std::string> writes;             // every path written, in order
};

class FakeProcessRunner : public ProcessRunner {
 public:
  struct Call {
    std::vector<std::string> argv;
    std::string stdin_text;
  };

  // Answers every later call whose argv equals `argv`.
  void Answer(std::vector<std::string> argv, Result<ProcessResult> answer) {
    answers_.insert_or_assign(std::move(argv), std::move(answer));
  }

  Result<ProcessResult> Run(const std::vector<std::string>& argv, std::string_view stdin_text,
                            std::chrono::milliseconds /*timeout*/) override {
    calls.push_back(Call{argv, std::string(stdin_text)});
    if (auto it = answers_.find(argv); it != answers_.end()) return it->second;
    return Status(StatusCode::kIo, "cannot run " + argv.at(0) + ": not found in PATH");
  }

  std::vector<Call> calls;

 private:
  std::map<std::vector<std::string>, Result<ProcessResult>> answers_;
};

// A ProcessResult, for FakeProcessRunner::Answer.
inline ProcessResult Exited(int exit_code, std::string stdout_text, std::string stderr_text = "") {
  ProcessResult result;
  result.exit_code = exit_code;
  result.stdout_text = std::move(stdout_text);
  result.stderr_text = std::move(stderr_text);
  return result;
}

}  // namespace regdigest::testing
