#include "cli/inputs/reference_inputs.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client/sys/file_io.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

constexpr const char* kWhitespace = " \t\r\n\v\f";

std::string Trimmed(const std::string& line) {
  const size_t begin = line.find_first_not_of(kWhitespace);
  if (begin == std::string::npos) return "";
  const size_t end = line.find_last_not_of(kWhitespace);
  return line.substr(begin, end - begin + 1);
}

}  // namespace

std::string ReferenceInput::Location() const {
  return file.empty() ? "" : file + ":" + std::to_string(line);
}

std::string ReferenceInput::Source() const {
  return file.empty() ? "argument" : "line " + std::to_string(line) + " of " + file;
}

Result<Reference> ReferenceInput::Parse() const {
  Result<Reference> parsed = Reference::Parse(text);
  if (parsed.ok()) return parsed;
  return Status(parsed.status().code(), Quoted(text) + ": " + parsed.status().message());
}

std::string ReferenceInput::ErrorText(const Status& status) const {
  return file.empty() ? status.ToString() : Location() + ": " + status.ToString();
}

Result<std::vector<ReferenceInput>> ReadReferenceLines(std::istream& in, const std::string& name) {
  std::vector<ReferenceInput> inputs;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    // A binary file would give one junk error per "line": refuse it whole.
    if (line.find('\0') != std::string::npos) {
      return Status(StatusCode::kUsage, name + ":" + std::to_string(number) +
                                            ": NUL byte: not a text file of references");
    }
    std::string text = Trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    inputs.push_back(ReferenceInput{std::move(text), name, number});
  }
  if (in.bad()) return Status(StatusCode::kIo, name + ": read error");
  return inputs;
}

Result<std::vector<ReferenceInput>> GatherReferenceInputs(const std::vector<std::string>& arguments,
                                                          const std::string& file,
                                                          std::istream& stdin_stream) {
  std::vector<ReferenceInput> inputs;
  inputs.reserve(arguments.size());
  for (const std::string& argument : arguments) inputs.push_back(ReferenceInput{argument, "", 0});
  if (file.empty()) return inputs;

  Result<std::vector<ReferenceInput>> lines = Status(StatusCode::kIo, "not read");
  if (file == "-") {
    lines = ReadReferenceLines(stdin_stream, "stdin");
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
      return Status(StatusCode::kUsage, "--file " + file + ": is a directory");
    }
    std::ifstream stream(file);
    if (!stream.is_open()) {
      return Status(StatusCode::kUsage, "--file " + file + ": " + std::strerror(errno));
    }
    lines = ReadReferenceLines(stream, file);
  }
  if (!lines.ok()) return Status(StatusCode::kUsage, "--file " + lines.status().message());
  inputs.reserve(inputs.size() + lines->size());
  for (ReferenceInput& input : *lines) inputs.push_back(std::move(input));
  return inputs;
}

Result<std::optional<std::string>> ReadInputText(const std::string& file,
                                                 std::istream& stdin_stream,
                                                 const std::string& option) {
  if (file == "-") {
    std::ostringstream buffer;
    buffer << stdin_stream.rdbuf();
    if (stdin_stream.bad()) return Status(StatusCode::kUsage, "cannot read stdin");
    return std::optional<std::string>(buffer.str());
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return Status(StatusCode::kUsage, option + " " + file + ": is a directory");
  }
  Result<std::optional<std::string>> text = ReadFileIfExists(file);
  if (!text.ok()) return Status(StatusCode::kUsage, text.status().message());
  return text;
}

Result<std::optional<LockFileOrList>> ReadLockFileOrList(const std::string& file,
                                                         std::istream& stdin_stream,
                                                         bool list_allowed) {
  Result<std::optional<std::string>> text = ReadInputText(file, stdin_stream);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<LockFileOrList>();
  LockFileOrList contents;
  contents.name = file == "-" ? "stdin" : file;
  if (!list_allowed || LooksLikeLockFile(**text)) {
    Result<LockFile> lock = ParseLockFile(**text);
    if (!lock.ok()) return lock.status().WithContext(contents.name);
    contents.lock = std::move(lock).value();
  } else {
    std::istringstream lines(**text);
    Result<std::vector<ReferenceInput>> read = ReadReferenceLines(lines, contents.name);
    if (!read.ok()) return read.status();
    contents.lines = std::move(read).value();
  }
  return std::optional<LockFileOrList>(std::move(contents));
}

}  // namespace regdigest
