// Tests for cli/reference_inputs.h: REF arguments plus --file lines.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// The unit-test binary links regdigest_core only (common/, client/); this
// module lives in cli/, so it is compiled into the tests here.
#include "client/reference_inputs.h"

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

}  // namespace
}  // namespace regdigest
