// Tests for common/check_report.h: states, counts and the four renderings.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/output/check_report.h"
#include "cli/output/count_text.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');

CheckReport SampleReport() {
  CheckReport report;
  report.name = "regdigest check";
  report.rows = {
      {"docker.io/library/nginx:1.25", kOld, kOld, CheckState::kOk, "", "regdigest.lock", 4, ""},
      {"docker.io/library/redis:7", kOld, kNew, CheckState::kDrifted, "", "regdigest.lock", 11, ""},
      {"ghcr.io/org/app:v1", kOld, "", CheckState::kMissing, "", "", 0, ""},
      {"quay.io/x/y:1", "", "", CheckState::kError, "unauthorized: <denied> & \"gone\"", "", 0, ""},
      {"alpine:3.19", "", kNew, CheckState::kUnpinned, "", "Dockerfile", 3, ""},
  };
  return report;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("CheckStateName and CountStates") {
  struct Case {
    CheckState state;
    const char* name;
  };
  const std::vector<Case> cases = {{CheckState::kOk, "ok"},
                                   {CheckState::kDrifted, "drifted"},
                                   {CheckState::kMissing, "missing"},
                                   {CheckState::kUnpinned, "unpinned"},
                                   {CheckState::kError, "error"}};
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(CheckStateName(c.state) == c.name); }
  }
  const CheckCounts counts = CountStates(SampleReport());
  CHECK(counts.ok == 1);
  CHECK(counts.drifted == 1);
  CHECK(counts.missing == 1);
  CHECK(counts.unpinned == 1);
  CHECK(counts.errors == 1);
  CHECK_FALSE(counts.AllOk());
  CHECK(CountStates(CheckReport{}).AllOk());
}

TEST_CASE("RenderReportText aligns rows and summarises") {
  const std::string text = RenderReportText(SampleReport());
  struct Case {
    const char* what;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"ok row", "ok        docker.io/library/nginx:1.25  " + kOld + "  [regdigest.lock:4]"},
      {"drift row", "drifted   docker.io/library/redis:7     " + kOld + " -> " + kNew},
      {"missing row", "missing   ghcr.io/org/app:v1            " + kOld + "\n"},
      {"error row", "error     quay.io/x/y:1                 unauthorized: <denied>"},
      {"unpinned row", "unpinned  alpine:3.19                   " + kNew + "  [Dockerfile:3]"},
      {"summary", "5 checked: 1 ok, 1 drifted, 1 missing, 1 unpinned, 1 error\n"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.what) { CHECK_MESSAGE(Contains(text, c.needle), text); }
  }
}

TEST_CASE("Summary lines count in the singular and always show the unpinned count") {
  struct Case {
    const char* what;
    std::vector<CheckState> states;
    std::string summary;
  };
  const std::vector<Case> cases = {
      {"one error",
       {CheckState::kError},
       "1 checked: 0 ok, 0 drifted, 0 missing, 0 unpinned, 1 error\n"},
      {"no errors, no unpinned",
       {CheckState::kOk},
       "1 checked: 1 ok, 0 drifted, 0 missing, 0 unpinned, 0 errors\n"},
      {"two errors",
       {CheckState::kError, CheckState::kError},
       "2 checked: 0 ok, 0 drifted, 0 missing, 0 unpinned, 2 errors\n"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.what) {
      CheckReport report;
      report.name = "regdigest check";
      for (CheckState state : c.states) {
        report.rows.push_back({"quay.io/x/y:1", "", "", state, "boom", "", 0, ""});
      }
      const std::string text = RenderReportText(report);
      CHECK_MESSAGE(Contains(text, c.summary), text);
      const std::string github = RenderReport(report, ReportFormat::kGithub);
      CHECK_MESSAGE(Contains(github, c.summary), github);
    }
  }
}

TEST_CASE("CountText says 1 error, never 1 errors or error(s)") {
  CHECK(CountText(0, "error") == "0 errors");
  CHECK(CountText(1, "error") == "1 error");
  CHECK(CountText(2, "error") == "2 errors");
  CHECK(CountText(1, "tagged image") == "1 tagged image");
  CHECK(CountText(3, "distinct digest") == "3 distinct digests");
  CHECK(CountText(2, "entry", "entries") == "2 entries");
}

TEST_CASE("RenderReportJson") {
  const nlohmann::json json = nlohmann::json::parse(RenderReportJson(SampleReport()));
  CHECK(json["name"] == "regdigest check");
  CHECK(json["summary"]["total"] == 5);
  CHECK(json["summary"]["drifted"] == 1);
  CHECK(json["summary"]["errors"] == 1);
  REQUIRE(json["results"].size() == 5);
  const nlohmann::json& drift = json["results"][1];
  CHECK(drift["state"] == "drifted");
  CHECK(drift["expected"] == kOld);
  CHECK(drift["current"] == kNew);
  CHECK(drift["file"] == "regdigest.lock");
  CHECK(drift["line"] == 11);
  CHECK(json["results"][2]["current"].is_null());
  CHECK(json["results"][3]["message"] == "unauthorized: <denied> & \"gone\"");
  CHECK_FALSE(json["results"][2].contains("file"));
}

TEST_CASE("RenderReportJunit") {
  const std::string xml = RenderReportJunit(SampleReport());
  struct Case {
    const char* what;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"declaration", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"},
      {"suite counts",
       "<testsuite name=\"regdigest check\" tests=\"5\" failures=\"3\" errors=\"1\""},
      {"passing case",
       "<testcase classname=\"regdigest check\" name=\"docker.io/library/nginx:1.25\" "
       "file=\"regdigest.lock\" line=\"4\"/>"},
      {"drift failure", "<failure type=\"drifted\" message=\"docker.io/library/redis:7 drifted: " +
                            kOld + " -&gt; " + kNew + "\">"},
      {"error element", "<error type=\"error\""},
      {"escaped message", "unauthorized: &lt;denied&gt; &amp; &quot;gone&quot;"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.what) { CHECK_MESSAGE(Contains(xml, c.needle), xml); }
  }
  SUBCASE("no raw markup from data") { CHECK_FALSE(Contains(xml, "<denied>")); }
  SUBCASE("two changes of one reference are two distinct testcases") {
    CheckReport drift;
    drift.name = "regdigest drift";
    drift.rows = {{"a:1", kOld, kNew, CheckState::kDrifted, "", "", 0, "2026-11-01T00:00:00Z"},
                  {"a:1", kNew, kOld, CheckState::kDrifted, "", "", 0, "2026-11-02T00:00:00Z"}};
    const std::string two = RenderReportJunit(drift);
    CHECK(Contains(two, "name=\"a:1 changed at 2026-11-01T00:00:00Z\""));
    CHECK(Contains(two, "name=\"a:1 changed at 2026-11-02T00:00:00Z\""));
  }
}

TEST_CASE("RenderReportGithub") {
  const std::string out = RenderReportGithub(SampleReport());
  struct Case {
    const char* what;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"notice for ok", "::notice file=regdigest.lock,line=4,title=regdigest ok::"},
      {"error with line",
       "::error file=regdigest.lock,line=11,title=regdigest drifted::"
       "docker.io/library/redis:7 drifted: " +
           kOld + " -> " + kNew + "\n"},
      {"error without file", "::error title=regdigest missing::ghcr.io/org/app:v1 missing"},
      {"unpinned",
       "::error file=Dockerfile,line=3,title=regdigest unpinned::alpine:3.19 "
       "unpinned: no digest pinned"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.what) { CHECK_MESSAGE(Contains(out, c.needle), out); }
  }
  SUBCASE("data escapes newlines and percent; properties escape : and ,") {
    CheckReport report;
    report.rows = {{"a:1", "", "", CheckState::kError, "50% broken\nnext", "dir,x/a:b", 2, ""}};
    const std::string escaped = RenderReportGithub(report);
    CHECK(Contains(escaped, "::error file=dir%2Cx/a%3Ab,line=2,"));
    CHECK(Contains(escaped, "50%25 broken%0Anext"));
  }
}

TEST_CASE("RenderReport picks the format and XmlEscape replaces forbidden characters") {
  const CheckReport report = SampleReport();
  CHECK(RenderReport(report, ReportFormat::kText) == RenderReportText(report));
  CHECK(RenderReport(report, ReportFormat::kJson) == RenderReportJson(report));
  CHECK(RenderReport(report, ReportFormat::kJunit) == RenderReportJunit(report));
  CHECK(RenderReport(report, ReportFormat::kGithub) == RenderReportGithub(report));
  CHECK(XmlEscape(std::string("a\x01"
                              "b\tc",
                              5)) ==
        "a\xEF\xBF\xBD"
        "b&#9;c");
  CHECK(XmlEscape("'") == "&apos;");
}

// A report built from hostile input: control bytes, invalid UTF-8, a 5,000
// character junk reference, XML and workflow-command syntax.
CheckReport HostileReport() {
  CheckReport report;
  report.name = "regdigest check";
  report.rows = {
      {"docker.io/library/nginx:1.25", kOld, kOld, CheckState::kOk, "", "regdigest.lock", 4, ""},
      {"app:v1\x1b[1A\x1b[2K", "", "", CheckState::kError,
       "invalid reference \"app:v1\x1b[1A\x1b[2K\"\r\n::error::forged", "Dockerfile\x1b]0;t\x07", 1,
       ""},
      {std::string(5000, 'j') + "\xff\xfe", "", "", CheckState::kError, "junk \xc2\x9b <x> &", "",
       0, ""},
  };
  return report;
}

// No raw control byte other than newline, and valid UTF-8.
bool SafeForTerminal(const std::string& text) {
  std::string without_newlines = text;
  std::erase(without_newlines, '\n');
  return EscapeForTerminal(without_newlines) == without_newlines;
}

TEST_CASE("Every text, github and JUnit report of hostile input is safe for a terminal") {
  const CheckReport report = HostileReport();
  for (const ReportFormat format :
       {ReportFormat::kText, ReportFormat::kGithub, ReportFormat::kJunit}) {
    const std::string out = RenderReport(report, format);
    CAPTURE(out.substr(0, 2000));
    CHECK(SafeForTerminal(out));
    CHECK(out.size() < 20000);  // the 5,000-character value is capped
  }
}

TEST_CASE("Text report columns have a maximum width") {
  const std::string out = RenderReportText(HostileReport());
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);  // the ok row is padded to the widest reference, capped
  CHECK(line.find("docker.io/library/nginx:1.25") != std::string::npos);
  CHECK(line.size() < 2 + 7 + kMaxColumnWidth + 2 + kOld.size() + 40);
  CHECK(Contains(out, "app:v1\\x1b[1A\\x1b[2K"));
  CHECK(Contains(out, std::string(79, 'j') + "\xE2\x80\xA6"));
}

TEST_CASE("GitHub report cannot be split into forged workflow commands") {
  const std::string out = RenderReportGithub(HostileReport());
  CHECK(Contains(out, "file=Dockerfile\\x1b]0;t\\x07,line=1"));
  CHECK(Contains(out, "%0D%0A::error::forged"));
  std::istringstream lines(out);
  std::string line;
  std::size_t commands = 0;
  while (std::getline(lines, line)) commands += line.starts_with("::") ? 1 : 0;
  CHECK(commands == 3);
}

TEST_CASE("JSON report keeps hostile text exactly") {
  const CheckReport report = HostileReport();
  const nlohmann::json json = nlohmann::json::parse(RenderReportJson(report));
  CHECK(json["results"][1]["reference"] == report.rows[1].reference);
  CHECK(json["results"][1]["message"] == report.rows[1].message);
  CHECK(json["results"][1]["file"] == report.rows[1].file);
}

TEST_CASE("check --key rows: unsigned fails and is counted; signed rows name the key") {
  CheckReport report;
  report.name = "regdigest check";
  CheckRow signed_row{"reg/app:v1", kOld, kNew, CheckState::kDrifted, "", "regdigest.lock", 5, ""};
  signed_row.signature_checked = true;
  signed_row.signed_by = "SHA256:abc";
  CheckRow unsigned_row{"reg/app:v2",     kOld, kNew, CheckState::kUnsigned, "no signature found",
                        "regdigest.lock", 9,    ""};
  unsigned_row.signature_checked = true;
  report.rows = {signed_row, unsigned_row};
  const CheckCounts counts = CountStates(report);
  CHECK(counts.not_signed == 1);
  CHECK(counts.drifted == 1);
  CHECK_FALSE(counts.AllOk());
  CHECK(CheckStateName(CheckState::kUnsigned) == "unsigned");
  const std::string text = RenderReportText(report);
  CHECK(Contains(text, "signed by SHA256:abc"));
  CHECK(Contains(text, "unsigned  reg/app:v2"));
  CHECK(Contains(text, "1 unsigned"));
  const auto json = nlohmann::json::parse(RenderReportJson(report));
  CHECK(json["summary"]["unsigned"] == 1);
  CHECK(json["results"][0]["signed"] == true);
  CHECK(json["results"][0]["signedBy"] == "SHA256:abc");
  CHECK(json["results"][1]["signed"] == false);
  CHECK(json["results"][1]["signedBy"].is_null());
  CHECK(Contains(RenderReportJunit(report), "failures=\"2\""));
  CHECK(Contains(RenderReportGithub(report),
                 "::error file=regdigest.lock,line=9,title=regdigest unsigned::"));
  // Without --key nothing changes: no "unsigned" in the summary.
  CHECK_FALSE(Contains(RenderReportText(SampleReport()), "unsigned"));
  CHECK_FALSE(
      nlohmann::json::parse(RenderReportJson(SampleReport()))["summary"].contains("unsigned"));
}

}  // namespace
}  // namespace regdigest

namespace regdigest {
namespace {

TEST_CASE("Repository drift states added, moved, deleted render in every format as failures") {
  CheckReport report;
  report.name = "regdigest drift";
  report.rows = {
      {"r.test/app:new", "", kNew, CheckState::kAdded, "", "", 0, "2026-11-30T12:00:00Z"},
      {"r.test/app:v2", kOld, kNew, CheckState::kMoved, "", "", 0, "2026-11-30T12:00:00Z"},
      {"r.test/app:old", kOld, "", CheckState::kDeleted, "", "", 0, "2026-11-30T12:00:00Z"},
  };
  const CheckCounts counts = CountStates(report);
  CHECK(counts.drifted == 3);
  CHECK_FALSE(counts.AllOk());
  const std::string text = RenderReport(report, ReportFormat::kText);
  CHECK(text.find("added    r.test/app:new") != std::string::npos);
  CHECK(text.find("moved    r.test/app:v2   " + kOld + " -> " + kNew) != std::string::npos);
  CHECK(text.find("deleted  r.test/app:old  " + kOld) != std::string::npos);
  const nlohmann::json json = nlohmann::json::parse(RenderReport(report, ReportFormat::kJson));
  CHECK(json["results"][0]["state"] == "added");
  CHECK(json["results"][1]["state"] == "moved");
  CHECK(json["results"][2]["state"] == "deleted");
  CHECK(json["results"][2]["current"].is_null());
  const std::string junit = RenderReport(report, ReportFormat::kJunit);
  CHECK(junit.find("failures=\"3\"") != std::string::npos);
  CHECK(junit.find("<failure type=\"deleted\"") != std::string::npos);
  const std::string github = RenderReport(report, ReportFormat::kGithub);
  CHECK(github.find("::error title=regdigest added::r.test/app:new added: a new tag at " + kNew) !=
        std::string::npos);
  CHECK(github.find("r.test/app:old deleted: the tag is no longer listed (was " + kOld + ")") !=
        std::string::npos);
}

}  // namespace
}  // namespace regdigest
