#include "cli/output/check_report.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/output/count_text.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

// "expected -> current", "expected", "-> current" or "" for the text and messages.
std::string Transition(const CheckRow& row) {
  if (!row.expected.empty() && !row.current.empty() && row.expected != row.current) {
    return row.expected + " -> " + row.current;
  }
  return !row.expected.empty() ? row.expected : row.current;
}

// What a failing row says in JUnit and GitHub: "drifted: sha256:a -> sha256:b".
std::string RowMessage(const CheckRow& row) {
  std::string message = row.reference + " " + std::string(CheckStateName(row.state));
  switch (row.state) {
    case CheckState::kDrifted:
      message += ": " + row.expected + " -> " + row.current;
      if (!row.changed_at.empty()) message += " at " + row.changed_at;
      break;
    case CheckState::kMissing:
      message += ": the tag no longer exists";
      if (!row.expected.empty()) message += " (expected " + row.expected + ")";
      break;
    case CheckState::kUnpinned:
      message += ": no digest pinned";
      if (!row.current.empty()) message += " (the tag points at " + row.current + ")";
      break;
    case CheckState::kOk:
      if (!row.current.empty()) message += ": " + row.current;
      break;
    case CheckState::kUnsigned:
      message += ": " + row.current + " is signed by none of the given keys";
      break;
    case CheckState::kAdded:
      message += ": a new tag";
      if (!row.current.empty()) message += " at " + row.current;
      break;
    case CheckState::kMoved:
      message += ": " + row.expected + " -> " + row.current;
      break;
    case CheckState::kDeleted:
      message += ": the tag is no longer listed";
      if (!row.expected.empty()) message += " (was " + row.expected + ")";
      break;
    case CheckState::kError:
      break;
  }
  if (!row.signed_by.empty()) message += " (signed by " + row.signed_by + ")";
  if (!row.message.empty())
    message += (row.state == CheckState::kError ? ": " : "; ") + row.message;
  return message;
}

std::string Location(const CheckRow& row) {
  if (row.file.empty()) return "";
  return row.line > 0 ? row.file + ":" + std::to_string(row.line) : row.file;
}

// GitHub workflow command escaping: data escapes %, CR, LF; properties also : and ,.
std::string GithubEscape(std::string_view text, bool property) {
  std::string out;
  for (const char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else if (property && c == ':') {
      out += "%3A";
    } else if (property && c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

// A workflow command value: capped, GitHub-escaped (so no line break can start
// a forged command), then the remaining controls escaped for the terminal.
std::string GithubText(std::string_view text, bool property, std::size_t cap) {
  return EscapeForTerminal(GithubEscape(CapText(text, cap), property));
}

}  // namespace

std::string_view CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kOk:
      return "ok";
    case CheckState::kDrifted:
      return "drifted";
    case CheckState::kMissing:
      return "missing";
    case CheckState::kUnpinned:
      return "unpinned";
    case CheckState::kError:
      return "error";
    case CheckState::kUnsigned:
      return "unsigned";
    case CheckState::kAdded:
      return "added";
    case CheckState::kMoved:
      return "moved";
    case CheckState::kDeleted:
      return "deleted";
  }
  return "error";
}

CheckCounts CountStates(const CheckReport& report) {
  CheckCounts counts;
  for (const CheckRow& row : report.rows) {
    switch (row.state) {
      case CheckState::kOk:
        ++counts.ok;
        break;
      case CheckState::kDrifted:
      case CheckState::kAdded:
      case CheckState::kMoved:
      case CheckState::kDeleted:
        ++counts.drifted;
        break;
      case CheckState::kMissing:
        ++counts.missing;
        break;
      case CheckState::kUnpinned:
        ++counts.unpinned;
        break;
      case CheckState::kError:
        ++counts.errors;
        break;
      case CheckState::kUnsigned:
        ++counts.not_signed;
        break;
    }
    counts.signatures_checked = counts.signatures_checked || row.signature_checked;
  }
  return counts;
}

std::string RenderReportText(const CheckReport& report) {
  // Every value may come from a file or a registry: escaped, and the
  // reference column is at most kMaxColumnWidth wide.
  std::size_t state_width = 0, reference_width = 0;
  std::vector<std::string> references;
  references.reserve(report.rows.size());
  for (const CheckRow& row : report.rows) {
    state_width = std::max(state_width, CheckStateName(row.state).size());
    references.push_back(ColumnText(row.reference));
    reference_width = std::max(reference_width, DisplayWidth(references.back()));
  }
  std::ostringstream out;
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const CheckRow& row = report.rows[i];
    std::string line = std::string(CheckStateName(row.state));
    line.resize(state_width + 2, ' ');
    line += PadRight(references[i], reference_width + 2);
    line += row.state == CheckState::kError ? DisplayText(row.message, kMaxMessage)
                                            : DisplayText(Transition(row));
    if (row.state != CheckState::kError && !row.message.empty()) {
      line += " (" + DisplayText(row.message, kMaxMessage) + ")";
    }
    if (!row.changed_at.empty()) line += " at " + DisplayText(row.changed_at);
    if (!row.signed_by.empty()) line += "  signed by " + DisplayText(row.signed_by);
    const std::string where = Location(row);
    if (!where.empty()) line += "  [" + DisplayText(where) + "]";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
  const CheckCounts counts = CountStates(report);
  out << report.rows.size() << " checked: " << counts.ok << " ok, " << counts.drifted
      << " drifted, " << counts.missing << " missing, " << counts.unpinned << " unpinned";
  if (counts.signatures_checked) out << ", " << counts.not_signed << " unsigned";
  out << ", " << CountText(counts.errors, "error") << "\n";
  return out.str();
}

std::string RenderReportJson(const CheckReport& report) {
  const CheckCounts counts = CountStates(report);
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const CheckRow& row : report.rows) {
    nlohmann::ordered_json item = {{"reference", row.reference},
                                   {"state", CheckStateName(row.state)}};
    item["expected"] =
        row.expected.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.expected);
    item["current"] =
        row.current.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.current);
    if (!row.changed_at.empty()) item["changedAt"] = row.changed_at;
    if (!row.message.empty()) item["message"] = row.message;
    if (!row.file.empty()) item["file"] = row.file;
    if (row.line > 0) item["line"] = row.line;
    if (row.signature_checked) {
      item["signed"] = !row.signed_by.empty();
      item["signedBy"] =
          row.signed_by.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(row.signed_by);
    }
    results.push_back(std::move(item));
  }
  nlohmann::ordered_json json = {{"name", report.name},
                                 {"summary",
                                  {{"total", report.rows.size()},
                                   {"ok", counts.ok},
                                   {"drifted", counts.drifted},
                                   {"missing", counts.missing},
                                   {"unpinned", counts.unpinned},
                                   {"errors", counts.errors}}},
                                 {"results", std::move(results)}};
  if (counts.signatures_checked) json["summary"]["unsigned"] = counts.not_signed;
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string RenderReportJunit(const CheckReport& report) {
  const CheckCounts counts = CountStates(report);
  const std::string suite = report.name.empty() ? "regdigest" : report.name;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << XmlEscape(suite) << "\" tests=\"" << report.rows.size()
      << "\" failures=\"" << counts.drifted + counts.missing + counts.unpinned + counts.not_signed
      << "\" errors=\"" << counts.errors << "\">\n"
      << "  <testsuite name=\"" << XmlEscape(suite) << "\" tests=\"" << report.rows.size()
      << "\" failures=\"" << counts.drifted + counts.missing + counts.unpinned + counts.not_signed
      << "\" errors=\"" << counts.errors << "\" skipped=\"0\">\n";
  // A reference that changed twice gives two rows: the time keeps their names apart.
  for (const CheckRow& row : report.rows) {
    out << "    <testcase classname=\"" << XmlEscape(suite) << "\" name=\""
        << XmlEscape(row.changed_at.empty() ? CapText(row.reference, kDisplayCap)
                                            : CapText(row.reference, kDisplayCap) + " changed at " +
                                                  CapText(row.changed_at, kDisplayCap))
        << "\"";
    if (!row.file.empty()) out << " file=\"" << XmlEscape(CapText(row.file, kDisplayCap)) << "\"";
    if (row.line > 0) out << " line=\"" << row.line << "\"";
    if (row.state == CheckState::kOk) {
      out << "/>\n";
      continue;
    }
    const std::string message = CapText(RowMessage(row), kMaxMessage);
    const char* element = row.state == CheckState::kError ? "error" : "failure";
    out << ">\n      <" << element << " type=\"" << CheckStateName(row.state) << "\" message=\""
        << XmlEscape(message) << "\">" << XmlEscape(message);
    const std::string where = Location(row);
    if (!where.empty()) out << "\n" << XmlEscape(CapText(where, kDisplayCap));
    out << "</" << element << ">\n    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
  return out.str();
}

std::string RenderReportGithub(const CheckReport& report) {
  std::ostringstream out;
  for (const CheckRow& row : report.rows) {
    const bool ok = row.state == CheckState::kOk;
    out << (ok ? "::notice " : "::error ");
    std::vector<std::string> properties;
    if (!row.file.empty()) {
      properties.push_back("file=" + GithubText(row.file, true, kDisplayCap));
    }
    if (row.line > 0) properties.push_back("line=" + std::to_string(row.line));
    properties.push_back("title=" +
                         GithubEscape("regdigest " + std::string(CheckStateName(row.state)), true));
    for (std::size_t i = 0; i < properties.size(); ++i) out << (i > 0 ? "," : "") << properties[i];
    out << "::" << GithubText(RowMessage(row), false, kMaxMessage) << "\n";
  }
  const CheckCounts counts = CountStates(report);
  out << report.rows.size() << " checked: " << counts.ok << " ok, " << counts.drifted
      << " drifted, " << counts.missing << " missing, " << counts.unpinned << " unpinned, "
      << CountText(counts.errors, "error") << "\n";
  return out.str();
}

std::string RenderReport(const CheckReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson:
      return RenderReportJson(report);
    case ReportFormat::kJunit:
      return RenderReportJunit(report);
    case ReportFormat::kGithub:
      return RenderReportGithub(report);
    case ReportFormat::kText:
      break;
  }
  return RenderReportText(report);
}

}  // namespace regdigest
