// Tests for client/reference_inputs.h: REF arguments plus --file lines, and
// a --file that may be a lock file.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/inputs/reference_inputs.h"

namespace regdigest {
namespace {

std::vector<std::string> Describe(const std::vector<ReferenceInput>& inputs) {
  std::vector<std::string> out;
  for (const ReferenceInput& input : inputs) out.push_back(input.Source() + ": " + input.text);
  return out;
}

TEST_CASE("ReadReferenceLines skips comments and blanks, trims, numbers lines") {
  struct Case {
    std::string name, text;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"empty", "", {}},
      {"only comments and blanks", "# header\n\n   \n\t# indented comment\n", {}},
      {"plain lines",
       "ubuntu\nalpine:3.19\n",
       {"line 1 of refs.txt: ubuntu", "line 2 of refs.txt: alpine:3.19"}},
      {"no final newline", "ubuntu", {"line 1 of refs.txt: ubuntu"}},
      {"comments and blanks keep line numbers",
       "# images\n\nubuntu\n  # skip\nlocalhost:5000/a:v1\n",
       {"line 3 of refs.txt: ubuntu", "line 5 of refs.txt: localhost:5000/a:v1"}},
      {"whitespace and CRLF trimmed",
       "  ubuntu:22.04  \r\nalpine\t\r\n",
       {"line 1 of refs.txt: ubuntu:22.04", "line 2 of refs.txt: alpine"}},
      {"invalid lines are kept for the caller to report",
       "Ubuntu\nubuntu\n",
       {"line 1 of refs.txt: Ubuntu", "line 2 of refs.txt: ubuntu"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::istringstream in(c.text);
    Result<std::vector<ReferenceInput>> got = ReadReferenceLines(in, "refs.txt");
    REQUIRE(got.ok());
    CHECK(Describe(*got) == c.want);
  }
}

TEST_CASE("ReferenceInput errors name the file and line") {
  std::istringstream in("ubuntu\n\nUbuntu\n");
  Result<std::vector<ReferenceInput>> got = ReadReferenceLines(in, "refs.txt");
  REQUIRE(got.ok());
  REQUIRE(got->size() == 2);
  const ReferenceInput& good = (*got)[0];
  const ReferenceInput& bad = (*got)[1];
  CHECK(good.Parse().ok());
  CHECK(bad.Location() == "refs.txt:3");
  Result<Reference> parsed = bad.Parse();
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == StatusCode::kInvalidReference);
  const std::string text = bad.ErrorText(parsed.status());
  CHECK(text.starts_with("refs.txt:3: invalid reference: \"Ubuntu\": "));
  CHECK(text.find("lowercase") != std::string::npos);

  const ReferenceInput argument{"Ubuntu", "", 0};
  CHECK(argument.Location().empty());
  CHECK(argument.Source() == "argument");
  CHECK(argument.ErrorText(argument.Parse().status()).starts_with("invalid reference: \"Ubuntu\""));
}

TEST_CASE("GatherReferenceInputs: arguments first, then the file or stdin") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("regdigest-refs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "refs.txt").string();
  std::ofstream(path) << "# list\nalpine\n\nbusybox:1.36\n";

  struct Case {
    std::string name;
    std::vector<std::string> arguments;
    std::string file;
    std::string stdin_text;
    std::vector<std::string> want;  // empty with usage_error
    bool usage_error = false;
  };
  const Case cases[] = {
      {"arguments only", {"a", "b"}, "", "ignored\n", {"argument: a", "argument: b"}},
      {"file",
       {"ubuntu"},
       path,
       "",
       {"argument: ubuntu", "line 2 of " + path + ": alpine",
        "line 4 of " + path + ": busybox:1.36"}},
      {"stdin", {}, "-", "# c\n\nx\ny\n", {"line 3 of stdin: x", "line 4 of stdin: y"}},
      {"missing file", {"a"}, (dir / "missing.txt").string(), "", {}, true},
      {"directory", {}, dir.string(), "", {}, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::istringstream in(c.stdin_text);
    Result<std::vector<ReferenceInput>> got = GatherReferenceInputs(c.arguments, c.file, in);
    if (c.usage_error) {
      REQUIRE_FALSE(got.ok());
      CHECK(got.status().code() == StatusCode::kUsage);
      CHECK(got.status().message().starts_with("--file " + c.file + ": "));
    } else {
      REQUIRE(got.ok());
      CHECK(Describe(*got) == c.want);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("ReadLockFileOrList tells a lock file from a list by its content") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("regdigest-lol-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string digest = "sha256:" + std::string(64, 'a');
  const std::string lock_text =
      "{\n  \"version\": 1,\n  \"entries\": [\n    {\n"
      "      \"reference\": \"reg.example/app:v1\",\n"
      "      \"digest\": \"" +
      digest +
      "\",\n      \"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n"
      "      \"resolvedAt\": \"2026-11-29T00:00:00Z\"\n    }\n  ]\n}\n";
  const std::string lock_path = (dir / "regdigest.lock").string();
  std::ofstream(lock_path) << lock_text;
  const std::string list_path = (dir / "refs.txt").string();
  std::ofstream(list_path) << "# pinned\nreg.example/app:v1 " << digest << "\n";
  const std::string corrupt_path = (dir / "corrupt.lock").string();
  std::ofstream(corrupt_path) << "{\"version\": 1, \"entries\": [\n";

  struct Case {
    std::string name;
    std::string file;
    std::string stdin_text;
    std::string want;  // "lock N @LINE", "lines ...", "none", or "error: <prefix>"
  };
  const Case cases[] = {
      {"a lock file", lock_path, "", "lock 1 @5 " + lock_path},
      {"a list", list_path, "", "lines line 2 of " + list_path},
      {"a lock file on stdin", "-", lock_text, "lock 1 @5 stdin"},
      {"a list on stdin", "-", "x\n", "lines line 1 of stdin"},
      {"missing", (dir / "missing").string(), "", "none"},
      {"a corrupt lock file", corrupt_path, "", "error: " + corrupt_path + ": "},
      {"a directory", dir.string(), "", "error: --file " + dir.string() + ": is a directory"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::istringstream in(c.stdin_text);
    Result<std::optional<LockFileOrList>> got = ReadLockFileOrList(c.file, in);
    std::string described;
    if (!got.ok()) {
      described = "error: " + got.status().message();
    } else if (!got->has_value()) {
      described = "none";
    } else if ((*got)->lock.has_value()) {
      described = "lock " + std::to_string((*got)->lock->entries.size()) + " @" +
                  std::to_string((*got)->lock->entries[0].line) + " " + (*got)->name;
      CHECK((*got)->lines.empty());
    } else {
      described = "lines";
      for (const ReferenceInput& input : (*got)->lines) described += " " + input.Source();
    }
    CHECK_MESSAGE(described.starts_with(c.want), described);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("ReadInputText names the option whose value is a directory") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  std::istringstream in;
  for (const std::string option : {"--file", "--from"}) {
    Result<std::optional<std::string>> got = ReadInputText(dir, in, option);
    CHECK(got.status().code() == StatusCode::kUsage);
    CHECK(got.status().message() == option + " " + dir + ": is a directory");
  }
}

TEST_CASE("The default lock file is never read as a list of references") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("regdigest-dlf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "regdigest.lock").string();
  std::ofstream(path) << "<<<<<<< HEAD\nalpine:3.19\n=======\nalpine:3.20\n>>>>>>> b\n";
  std::istringstream in;
  Result<std::optional<LockFileOrList>> as_default = ReadLockFileOrList(path, in, false);
  REQUIRE_FALSE(as_default.ok());
  CHECK(as_default.status().message() ==
        path +
            ": unresolved merge conflict (line 1); resolve it, "
            "or check out one side and run `regdigest lock` again");
  std::ofstream(path) << "alpine:3.19\n";
  as_default = ReadLockFileOrList(path, in, false);
  REQUIRE_FALSE(as_default.ok());
  CHECK(as_default.status().message().starts_with(path + ": not valid JSON"));
  // Named with --file, the same text is a list.
  Result<std::optional<LockFileOrList>> named = ReadLockFileOrList(path, in, true);
  REQUIRE(named.ok());
  REQUIRE(named->has_value());
  CHECK((*named)->lines.size() == 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace regdigest
