// `regdigest history REF [--db PATH] [--output FORMAT]`: the digests a tag
// pointed to, newest first, each with when it was first and last seen, from
// the observations `regdigest record` stored.
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "cli/commands/commands.h"
#include "cli/inputs/history_options.h"
#include "cli/inputs/history_transfer.h"
#include "cli/output/check_report.h"
#include "cli/output/count_text.h"
#include "cli/output/exit_status.h"
#include "client/history/history_store.h"
#include "common/base/display_text.h"
#include "common/base/timestamp.h"
#include "common/drift/history_timeline.h"
#include "common/drift/repository_snapshot.h"

namespace regdigest {
namespace {

struct HistoryOptions {
  std::string reference;
  std::string export_file;
  std::string import_file;
  std::string db;
  ReportFormat format = ReportFormat::kText;
};

std::string Time(std::int64_t unix_seconds) { return FormatRfc3339(FromUnixSeconds(unix_seconds)); }

// How many different digests the timeline's periods hold: A -> B -> A is
// two changes between 2 distinct digests.
std::size_t DistinctDigests(const Timeline& timeline) {
  std::set<std::string> digests;
  for (const TimelinePeriod& period : timeline.periods) digests.insert(period.digest);
  return digests.size();
}

// Whether the newest observation of `period` had its signature verified
// (`record --key`); null when it was not checked.
std::optional<bool> PeriodSignature(const TimelinePeriod& period,
                                    const std::vector<Observation>& observations) {
  std::optional<bool> verified;
  std::int64_t newest = std::numeric_limits<std::int64_t>::min();
  for (const Observation& o : observations) {
    if (o.digest == period.digest && o.observed_at >= period.first_seen &&
        o.observed_at <= period.last_seen && o.observed_at >= newest) {
      newest = o.observed_at;
      verified = o.signature_verified;
    }
  }
  return verified;
}

std::string SignatureMark(const std::optional<bool>& verified) {
  if (!verified) return "";
  return *verified ? "signed" : "unsigned";
}

std::string TimelineText(const Timeline& timeline, const std::vector<Observation>& all) {
  const std::size_t observations = all.size();
  std::ostringstream out;
  out << DisplayText(timeline.reference) << ": " << CountText(timeline.Changes(), "change")
      << " between " << CountText(DistinctDigests(timeline), "distinct digest") << ", "
      << CountText(observations, "observation") << "\n";
  if (!timeline.periods.empty()) {
    std::size_t width = 6;
    for (const TimelinePeriod& period : timeline.periods) {
      width = std::max(width, DisplayWidth(ColumnText(period.digest)));
    }
    out << std::left << std::setw(static_cast<int>(width) + 2) << "DIGEST" << std::setw(22)
        << "FIRST SEEN" << std::setw(22) << "LAST SEEN"
        << "SEEN\n";
    for (const TimelinePeriod& period : timeline.periods) {
      const std::string mark = SignatureMark(PeriodSignature(period, all));
      out << PadRight(ColumnText(period.digest), width + 2) << std::setw(22)
          << Time(period.first_seen) << std::setw(22) << Time(period.last_seen)
          << period.observations << (mark.empty() ? "" : "  " + mark) << "\n";
    }
  }
  if (timeline.last_failure) {
    out << CountText(timeline.failed_observations, "failed observation") << ", the last at "
        << Time(timeline.last_failure->observed_at) << ": "
        << DisplayText(timeline.last_failure->status);
    if (!timeline.last_failure->message.empty()) {
      out << ": " << DisplayText(timeline.last_failure->message, kMaxMessage);
    }
    out << "\n";
  }
  return out.str();
}

std::string TimelineJson(const Timeline& timeline, const std::vector<Observation>& all) {
  const std::size_t observations = all.size();
  nlohmann::ordered_json periods = nlohmann::ordered_json::array();
  for (const TimelinePeriod& period : timeline.periods) {
    const std::optional<bool> verified = PeriodSignature(period, all);
    periods.push_back(
        {{"digest", period.digest},
         {"mediaType", period.media_type},
         {"firstSeen", Time(period.first_seen)},
         {"lastSeen", Time(period.last_seen)},
         {"observations", period.observations},
         {"signatureVerified", verified ? nlohmann::ordered_json(*verified) : nullptr}});
  }
  nlohmann::ordered_json json = {{"reference", timeline.reference},
                                 {"observations", observations},
                                 {"changes", timeline.Changes()},
                                 {"timeline", std::move(periods)},
                                 {"failedObservations", timeline.failed_observations}};
  json["lastFailure"] = nullptr;
  if (timeline.last_failure) {
    json["lastFailure"] = {{"observedAt", Time(timeline.last_failure->observed_at)},
                           {"status", timeline.last_failure->status},
                           {"message", timeline.last_failure->message}};
  }
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// For CI: one drifted row per change of digest (old -> new, when), or one ok
// row with the digest when it never changed; an error row when every
// observation failed.
CheckReport TimelineReport(const Timeline& timeline, const std::vector<Observation>& observations) {
  CheckReport report;
  report.name = "regdigest history";
  for (const DigestChange& change :
       FindChanges(observations, std::numeric_limits<std::int64_t>::min())) {
    report.rows.push_back(CheckRow{change.reference, change.old_digest, change.new_digest,
                                   CheckState::kDrifted, "", "", 0, Time(change.changed_at)});
  }
  if (report.rows.empty() && !timeline.periods.empty()) {
    const TimelinePeriod& only = timeline.periods.front();
    report.rows.push_back(CheckRow{timeline.reference, only.digest, only.digest, CheckState::kOk,
                                   "since " + Time(only.first_seen), "", 0, ""});
  }
  if (report.rows.empty() && timeline.last_failure) {
    report.rows.push_back(CheckRow{
        timeline.reference, "", "", CheckState::kError,
        "every observation failed, the last: " + timeline.last_failure->status, "", 0, ""});
  }
  return report;
}

// --export FILE|- or --import FILE|-.
int RunTransfer(const HistoryOptions& options) {
  const bool exporting = !options.export_file.empty();
  Result<std::unique_ptr<HistoryStore>> db =
      OpenHistory(options.db, exporting ? HistoryMode::kReadOnly : HistoryMode::kReadWrite);
  if (!db.ok()) {
    PrintError(db.status().message());
    return ExitStatusFor(db.status().code());
  }
  const std::string name = DisplayText((*db)->DisplayName());
  if (exporting) {
    Result<std::size_t> count = ExportHistory(**db, options.export_file, std::cout);
    if (!count.ok()) {
      PrintError("export failed: " + count.status().message());
      return ExitStatusFor(count.status().code());
    }
    std::cerr << "exported " << CountText(*count, "observation") << " from " << name << "\n";
    return kExitOk;
  }
  Result<HistoryImportCounts> counts = ImportHistory(**db, options.import_file, std::cin);
  if (!counts.ok()) {
    PrintError("nothing imported: " + counts.status().message());
    return ExitStatusFor(counts.status().code());
  }
  std::cerr << "imported " << CountText(counts->added, "observation") << " into " << name << " ("
            << counts->already_present << " already there)\n";
  return kExitOk;
}

// history REPO: every tag added, moved or deleted between consecutive
// snapshots, one row each (at the newer snapshot's time), in any format.
int PrintRepositoryHistory(const std::vector<RepositorySnapshot>& snapshots, ReportFormat format) {
  CheckReport report;
  report.name = "regdigest history";
  const std::string& repository = snapshots.front().repository;
  for (const DatedTagChange& dated : SnapshotHistory(snapshots)) {
    const TagChange& change = dated.change;
    const CheckState state = change.kind == TagChangeKind::kAdded   ? CheckState::kAdded
                             : change.kind == TagChangeKind::kMoved ? CheckState::kMoved
                                                                    : CheckState::kDeleted;
    report.rows.push_back(CheckRow{repository + ":" + change.tag, change.old_digest.value_or(""),
                                   change.new_digest.value_or(""), state, "", "", 0,
                                   FormatRfc3339(FromUnixSeconds(dated.at))});
  }
  if (format == ReportFormat::kText && report.rows.empty()) {
    std::cout << DisplayText(repository) << ": " << snapshots.size() << " snapshot"
              << (snapshots.size() == 1 ? "" : "s") << ", no tag added, moved or deleted\n";
  } else {
    std::cout << RenderReport(report, format);
  }
  return report.rows.empty() ? kExitOk : kExitDrift;
}

int RunHistory(const HistoryOptions& options) {
  const int transfers = !options.export_file.empty() + !options.import_file.empty();
  if (transfers + !options.reference.empty() != 1) {
    PrintError("history needs one of REF, --export FILE or --import FILE");
    return kExitUsage;
  }
  if (transfers == 1) return RunTransfer(options);
  Result<Reference> parsed = Reference::Parse(options.reference);
  if (!parsed.ok()) {
    PrintError(parsed.status().ToString());
    return ExitStatusFor(parsed.status().code());
  }
  const std::string reference = HistoryReference(*parsed).String();
  Result<std::unique_ptr<HistoryStore>> db = OpenHistory(options.db, HistoryMode::kReadOnly);
  if (!db.ok()) {
    PrintError(db.status().message());
    return ExitStatusFor(db.status().code());
  }
  if (!parsed->tag() && !parsed->digest()) {
    // A repository recorded with `record --all-tags`: its whole-repository history.
    Result<std::vector<RepositorySnapshot>> snapshots = (*db)->SnapshotsOf(parsed->Name());
    if (!snapshots.ok()) {
      PrintError(snapshots.status().message());
      return kExitFailure;
    }
    if (!snapshots->empty()) return PrintRepositoryHistory(*snapshots, options.format);
  }
  Result<std::vector<Observation>> observations = (*db)->ObservationsOf(reference);
  if (!observations.ok()) {
    PrintError(observations.status().message());
    return kExitFailure;
  }
  if (observations->empty()) {
    PrintError("no observations of " + reference + " in " + DisplayText((*db)->DisplayName()) +
               " (`regdigest record " + reference + "` adds one)");
    return kExitFailure;
  }
  const Timeline timeline = BuildTimeline(reference, *observations);
  switch (options.format) {
    case ReportFormat::kText:
      std::cout << TimelineText(timeline, *observations);
      break;
    case ReportFormat::kJson:
      std::cout << TimelineJson(timeline, *observations);
      break;
    case ReportFormat::kJunit:
    case ReportFormat::kGithub:
      std::cout << RenderReport(TimelineReport(timeline, *observations), options.format);
      break;
  }
  if (timeline.periods.empty()) return kExitFailure;
  return timeline.Changes() > 0 ? kExitDrift : kExitOk;
}

}  // namespace

void AddHistoryCommand(CLI::App& app, const GlobalOptions& /*globals*/, CommandRunner& run) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App* command = app.add_subcommand(
      "history",
      "Show the digests a tag pointed to, newest first, each with when `regdigest record` "
      "first and last saw it and how many times. No network access.");
  command->add_option("REF", options->reference, "Image reference (the tag defaults to latest)");
  command
      ->add_option("--export", options->export_file,
                   "Write every observation as JSON lines, sorted (- for stdout)")
      ->type_name("FILE");
  command
      ->add_option("--import", options->import_file,
                   "Merge observations from JSON lines written by --export (- for stdin); "
                   "importing a file twice adds nothing")
      ->type_name("FILE");
  AddHistoryDbOption(*command, options->db);
  AddReportOutputOption(*command, options->format);
  command->footer(
      std::string(kHistoryDbFooter) +
      "\nOutput: text and json show the timeline; junit and github show one failing row per "
      "change of digest (old -> new at the time it was first seen), or one ok row when the "
      "digest never changed.\n"
      "--export and --import move a history between databases (SQLite <-> PostgreSQL).\n"
      "Exit status: 0 the tag always pointed at one digest (or the export/import succeeded); 1 it "
      "changed at least once; 2 "
      "usage error or invalid reference; 3 no observations of it (or only failed ones), or the "
      "database could not be read.");
  command->callback([options, &run] { run = [options] { return RunHistory(*options); }; });
}

}  // namespace regdigest
