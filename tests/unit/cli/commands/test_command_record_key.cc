// Tests for `record --key` and how `history` and `drift` show the stored
// signature flag (Observation::signature_verified): text marks
// "signed"/"unsigned", JSON "signatureVerified" true/false/null. The history
// is written directly through the SQLite store; no network access.
#include <doctest/doctest.h>

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands/command_line.h"
#include "cli/inputs/history_options.h"
#include "cli/output/exit_status.h"
#include "client/history/history_store.h"
#include "common/base/timestamp.h"
#include "tests/unit/fakes/temp_dir.h"

namespace regdigest {
namespace {

using testing::TempDir;

class Capture {
 public:
  explicit Capture(std::ostream& stream) : stream_(stream), old_(stream.rdbuf(text_.rdbuf())) {}
  ~Capture() { stream_.rdbuf(old_); }
  std::string str() const { return text_.str(); }

 private:
  std::ostream& stream_;
  std::ostringstream text_;
  std::streambuf* old_;
};

struct Ran {
  int exit_status = -1;
  std::string out, err;
};

Ran Run(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"regdigest"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  CLI::App app{"regdigest"};
  GlobalOptions globals;
  CommandRunner run;
  BuildCommandLine(app, globals, run);
  Ran result;
  Capture out(std::cout);
  Capture err(std::cerr);
  std::ostringstream parse_err;
  std::optional<int> parsed =
      ParseCommandLine(app, static_cast<int>(argv.size()), argv.data(), parse_err);
  result.exit_status = parsed ? *parsed : run();
  result.out = out.str();
  result.err = err.str() + parse_err.str();
  return result;
}

const std::string kRef = "docker.io/library/app:1";
const std::string kD1 = "sha256:" + std::string(64, '1');
const std::string kD2 = "sha256:" + std::string(64, '2');
const std::string kD3 = "sha256:" + std::string(64, '3');

// Three digests, oldest first: signed, unsigned, not checked.
void WriteHistory(const std::string& db) {
  Result<std::unique_ptr<HistoryStore>> store = OpenHistory(db, HistoryMode::kReadWrite);
  REQUIRE(store.ok());
  const std::int64_t now = UnixSeconds(std::chrono::system_clock::now());
  const std::pair<std::string, std::optional<bool>> rows[] = {
      {kD1, true}, {kD2, false}, {kD3, std::nullopt}};
  std::int64_t at = now - 300;
  for (const auto& [digest, verified] : rows) {
    Observation o;
    o.reference = kRef;
    o.digest = digest;
    o.observed_at = at;
    o.signature_verified = verified;
    at += 100;
    REQUIRE((*store)->Record(HistoryRun{NewHistoryRunId(), {o}}).ok());
  }
}

TEST_CASE("history shows whether each digest's signature verified (record --key)") {
  TempDir dir("record-key");
  const std::string db = dir.File("history.db");
  WriteHistory(db);

  const Ran json = Run({"history", kRef, "-o", "json", "--db", db});
  CHECK(json.exit_status == kExitDrift);  // it changed
  const nlohmann::json parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed["timeline"].size() == 3);  // newest first
  CHECK(parsed["timeline"][0]["signatureVerified"].is_null());
  CHECK(parsed["timeline"][1]["signatureVerified"] == false);
  CHECK(parsed["timeline"][2]["signatureVerified"] == true);

  const Ran text = Run({"history", kRef, "--db", db});
  CHECK(text.out.find(kD1.substr(0, 19)) != std::string::npos);
  CHECK(text.out.find("  signed\n") != std::string::npos);
  CHECK(text.out.find("  unsigned\n") != std::string::npos);
}

TEST_CASE("drift shows whether the new digest's signature verified") {
  TempDir dir("record-key");
  const std::string db = dir.File("history.db");
  WriteHistory(db);
  const Ran json = Run({"drift", "--since", "1h", "-o", "json", "--db", db});
  CHECK(json.exit_status == kExitDrift);
  const nlohmann::json parsed = nlohmann::json::parse(json.out);
  REQUIRE(parsed["results"].size() == 2);  // 1 -> 2 (unsigned), 2 -> 3 (not checked)
  CHECK(parsed["results"][0]["current"] == kD2);
  CHECK(parsed["results"][0]["message"] == "unsigned");
  CHECK(parsed["results"][1]["current"] == kD3);
  CHECK_FALSE(parsed["results"][1].contains("message"));
  const Ran text = Run({"drift", "--since", "1h", "--db", db});
  CHECK(text.out.find("(unsigned)") != std::string::npos);
}

TEST_CASE("--key takes one FILE per occurrence and never swallows a reference") {
  TempDir dir("record-key");
  // Before, `record --key FILE REF` read REF as a second key file.
  const Ran got = Run({"record", "--key", dir.File("missing.pub"), "registry.invalid/app:1", "--db",
                       dir.File("history.db")});
  CHECK(got.exit_status == kExitUsage);
  CHECK(got.err.find("missing.pub") != std::string::npos);
  CHECK(got.err.find("needs references") == std::string::npos);
}

TEST_CASE("record --key with an unreadable key file is a usage error before any request") {
  TempDir dir("record-key");
  const Ran got = Run({"record", "registry.invalid/app:1", "--key", dir.File("missing.pub"), "--db",
                       dir.File("history.db")});
  CHECK(got.exit_status == kExitUsage);
  CHECK(got.err.find("missing.pub") != std::string::npos);
  CHECK(got.out.empty());
}

}  // namespace
}  // namespace regdigest
