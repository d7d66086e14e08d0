// CheckReport: the outcome of a drift check (`check`, `pin --check`, `drift`)
// as one row per reference, and its renderings for people and for CI: text,
// JSON, JUnit XML (one testcase per reference, a failure for each drift) and
// GitHub Actions workflow commands (`::error file=F,line=N::...`).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output/xml_escape.h"

namespace regdigest {

enum class CheckState {
  kOk,        // the tag still points at the expected digest
  kDrifted,   // it points elsewhere now: expected -> current
  kMissing,   // the tag (or repository) is gone
  kUnpinned,  // a pinned-file reference that carries no digest
  kError,     // no decision: network, auth, invalid reference...
  kUnsigned,  // check --key: what the tag points at now is signed by none of the keys
  // drift REPO (whole-repository snapshots of record --all-tags); counted as drifted:
  kAdded,    // a tag that the older snapshot did not list: current
  kMoved,    // a listed tag whose digest changed: expected -> current
  kDeleted,  // a tag that the newer snapshot no longer lists: expected
};

// "ok", "drifted", "missing", "unpinned", "error", "unsigned", "added", "moved", "deleted".
std::string_view CheckStateName(CheckState state);

struct CheckRow {
  std::string reference;  // canonical reference, e.g. docker.io/library/nginx:1.25
  std::string expected;   // locked / pinned / previous digest; "" when none
  std::string current;    // the digest the tag points at now; "" when unknown
  CheckState state = CheckState::kOk;
  std::string message;     // why, for kError (optional detail for the others)
  std::string file;        // where the reference is written; "" when not from a file
  std::size_t line = 0;    // 1-based line in `file`; 0 when unknown
  std::string changed_at;  // `drift`: RFC 3339 time the digest changed; else ""
  // check --key: whether `current` was verified, and the key that verified it
  // (an ok or drifted row can be signed; an unsigned row never is).
  bool signature_checked = false;
  std::string signed_by = "";
};

struct CheckReport {
  std::string name;  // e.g. "regdigest check": the JUnit testsuite name
  std::vector<CheckRow> rows;
};

struct CheckCounts {
  std::size_t ok = 0, drifted = 0, missing = 0, unpinned = 0, errors = 0, not_signed = 0;
  bool signatures_checked = false;  // some row was checked with --key
  bool AllOk() const {
    return drifted == 0 && missing == 0 && unpinned == 0 && errors == 0 && not_signed == 0;
  }
};
CheckCounts CountStates(const CheckReport& report);

enum class ReportFormat { kText, kJson, kJunit, kGithub };

// Aligned lines "STATE  REFERENCE  expected -> current" plus a summary line.
std::string RenderReportText(const CheckReport& report);
// {"name":..., "summary":{ok,drifted,...}, "results":[{reference,state,expected,current,...}]}
std::string RenderReportJson(const CheckReport& report);
// <testsuites><testsuite name tests failures errors><testcase .../>...; drifted,
// missing and unpinned are <failure>, kError is <error>. A testcase is named by
// the reference, plus " changed at T" for a row with changed_at.
std::string RenderReportJunit(const CheckReport& report);
// One `::error` (or `::notice` for ok rows) workflow command per row, with
// file= and line= when known; values escaped as the runner expects.
std::string RenderReportGithub(const CheckReport& report);
std::string RenderReport(const CheckReport& report, ReportFormat format);

}  // namespace regdigest
