#include "cli/pin/pin_check.h"

#include <iostream>

#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"
#include "common/pin/pinned_reference.h"

namespace regdigest {
namespace {

// A row still waiting for where its tag points now.
struct PendingRow {
  std::size_t row = 0;
  Reference tag;  // canonical, default tag applied, no digest
};

// The exit status the report calls for: errors 3, any other failure 1.
// `platform_errors` of the error rows are a tag without the asked platform:
// not found, exit 1 as in resolve; any other error is exit 3.
int ExitStatusOf(const CheckReport& report, std::size_t platform_errors) {
  const CheckCounts counts = CountStates(report);
  if (counts.errors > platform_errors) return kExitFailure;
  if (platform_errors > 0) return kExitDrift;
  return counts.AllOk() ? kExitOk : kExitDrift;
}

}  // namespace

int RunPinCheck(const GlobalOptions& globals, const PinOptions& options) {
  Result<std::optional<Platform>> platform_option =
      OptionalPlatformFromOption(options.platform, globals);
  if (!platform_option.ok()) {
    PrintError(platform_option.status().ToString());
    return ExitStatusFor(platform_option.status().code());
  }
  const std::optional<Platform>& platform = *platform_option;
  Result<std::vector<PinFile>> files = LoadPinFiles(options.files);
  if (!files.ok()) {
    PrintError(files.status().message());
    return kExitFailure;
  }
  WarnSkipped(*files);

  CheckReport report;
  report.name = "regdigest pin --check";
  std::vector<PendingRow> pending;
  for (const PinFile& file : *files) {
    for (const ImageOccurrence& occurrence : file.occurrences) {
      if (!occurrence.skipped.empty()) continue;
      CheckRow row;
      row.file = file.path;
      row.line = occurrence.line;
      row.reference = occurrence.text;
      Result<Reference> written = ParseWrittenReference(file, occurrence);
      if (!written.ok()) {
        row.state = CheckState::kError;
        row.message = "invalid reference: " + Reference::Parse(occurrence.text).status().message();
        report.rows.push_back(std::move(row));
        continue;
      }
      Result<Reference> tag = Reference::Parse(TagPartOf(occurrence.text));
      if (written->digest()) row.expected = written->digest()->String();
      if (written->digest() && !written->tag()) {
        // Pinned by digest alone: there is no tag that could move.
        row.reference = written->String();
        row.current = row.expected;
        row.message = "pinned by digest only";
      } else if (!tag.ok()) {
        row.state = CheckState::kError;
        row.message = tag.status().ToString();
      } else {
        row.reference = tag->WithDefaultTag().String();
        row.state = written->digest() ? CheckState::kOk : CheckState::kUnpinned;
        pending.push_back({report.rows.size(), tag->WithDefaultTag()});
      }
      report.rows.push_back(std::move(row));
    }
  }

  std::vector<Reference> references;
  std::vector<bool> platform_missing;
  std::size_t platform_errors = 0;
  for (const PendingRow& p : pending) references.push_back(p.tag);
  Result<std::vector<Result<Digest>>> digests =
      ResolveCurrentDigests(globals, references, platform, options.concurrency, &platform_missing);
  if (!digests.ok()) {
    PrintError(digests.status().ToString());
    return ExitStatusFor(digests.status().code());
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    CheckRow& row = report.rows[pending[i].row];
    const Result<Digest>& current = (*digests)[i];
    if (current.ok()) row.current = current->String();
    if (row.state == CheckState::kUnpinned) {
      // Where the tag points is only a hint for an unpinned reference.
      if (!current.ok()) row.message = current.status().ToString();
    } else if (current.ok()) {
      row.state = row.current == row.expected ? CheckState::kOk : CheckState::kDrifted;
    } else if (platform_missing[i]) {
      // The tag is there without this platform: an error row, not "missing".
      row.state = CheckState::kError;
      ++platform_errors;
      row.message = "platform " + platform->String() +
                    " not found in the index: " + current.status().message();
    } else if (current.status().code() == StatusCode::kNotFound) {
      row.state = CheckState::kMissing;
      row.message = current.status().message();
    } else {
      row.state = CheckState::kError;
      row.message = current.status().ToString();
    }
  }
  std::cout << RenderReport(report, options.format);
  return ExitStatusOf(report, platform_errors);
}

}  // namespace regdigest
