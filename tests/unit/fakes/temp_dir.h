// TempDir: a fresh directory under the system temp dir for one test, removed
// with everything in it when the TempDir goes out of scope. Not shared across
// threads.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <set>
#include <string>
#include <system_error>

namespace regdigest::testing {

class TempDir {
 public:
  // `prefix` names the directory (regdigest-<prefix>-XXXXXX), for a person
  // looking at a leftover one.
  explicit TempDir(const std::string& prefix = "test") {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("regdigest-" + prefix + "-XXXXXX")).string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // The names in the directory itself, sorted.
  std::set<std::string> Names() const { return NamesIn(path_); }
  // The names in directory `dir`, sorted.
  static std::set<std::string> NamesIn(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace regdigest::testing
