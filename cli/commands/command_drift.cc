// `regdigest drift [--since 7d] [--db PATH] [--output FORMAT]`: every recorded
// tag whose digest changed in the window, old -> new with the time the new
// digest was first observed, from the history database. No network access.
#include <iostream>
#include <map>
#include <optional>

#include "cli/commands/commands.h"
#include "cli/inputs/history_options.h"
#include "cli/output/check_report.h"
#include "cli/output/exit_status.h"
#include "client/history/history_store.h"
#include "common/base/display_text.h"
#include "common/base/timestamp.h"
#include "common/drift/history_timeline.h"
#include "common/drift/repository_snapshot.h"
#include "common/image/reference.h"

namespace regdigest {
namespace {

struct DriftOptions {
  std::string since = "7d";
  std::string db;
  bool all = false;
  std::vector<std::string> repositories;  // REPO...: whole-repository snapshots instead
  ReportFormat format = ReportFormat::kText;
};

// A duration back from `now` ("7d") or an RFC 3339 time.
Result<WallTime> WindowStart(const std::string& since, WallTime now) {
  Result<std::chrono::seconds> duration = ParseDurationSpec(since);
  if (duration.ok()) return now - *duration;
  Result<WallTime> time = ParseRfc3339(since);
  if (time.ok()) return time;
  return Status(StatusCode::kUsage,
                "--since: expected a duration (90s, 30m, 12h, 7d, 2w) or an "
                "RFC 3339 time (2026-11-21T00:00:00Z), got " +
                    Quoted(since));
}

// "signed" / "unsigned" when the newest observation of `reference` at
// `digest` was checked by `record --key`; "" otherwise.
std::string SignatureNote(const std::vector<Observation>& observations,
                          const std::string& reference, const std::string& digest) {
  std::optional<bool> verified;
  for (const Observation& o : observations) {  // oldest first within a reference
    if (o.reference == reference && o.digest == digest) verified = o.signature_verified;
  }
  if (!verified) return "";
  return *verified ? "signed" : "unsigned";
}

// Drifted rows for the changes, oldest first; with `all`, then an ok row for
// every other reference observed in the window, with its latest digest.
CheckReport DriftReport(const std::vector<Observation>& observations, std::int64_t since,
                        bool all) {
  CheckReport report;
  report.name = "regdigest drift";
  std::map<std::string, std::string> changed;
  for (const DigestChange& change : FindChanges(observations, since)) {
    changed[change.reference] = change.new_digest;
    report.rows.push_back(CheckRow{change.reference, change.old_digest, change.new_digest,
                                   CheckState::kDrifted,
                                   SignatureNote(observations, change.reference, change.new_digest),
                                   "", 0, FormatRfc3339(FromUnixSeconds(change.changed_at))});
  }
  if (!all) return report;
  std::map<std::string, std::string> latest;  // reference -> digest, observed in the window
  for (const Observation& observation : observations) {
    if (observation.digest && observation.observed_at >= since) {
      latest[observation.reference] = *observation.digest;
    }
  }
  for (const auto& [reference, digest] : latest) {
    if (changed.count(reference) == 0) {
      report.rows.push_back(CheckRow{reference, digest, digest, CheckState::kOk,
                                     SignatureNote(observations, reference, digest), "", 0, ""});
    }
  }
  return report;
}

// drift REPO...: the tags added, moved and deleted between the snapshots of
// `record --all-tags` (the last one before the window and the newest).
Status AddSnapshotRows(HistoryStore& db, const std::string& input, std::int64_t since,
                       CheckReport& report) {
  Result<Reference> parsed = Reference::Parse(input);
  if (!parsed.ok()) return Status(StatusCode::kUsage, parsed.status().message());
  const std::string repository = parsed->Name();
  Result<std::vector<RepositorySnapshot>> snapshots = db.SnapshotsOf(repository);
  if (!snapshots.ok()) return snapshots.status();
  if (snapshots->empty()) {
    return Status(StatusCode::kNotFound,
                  "no snapshot of " + repository + " (`regdigest record --all-tags` takes one)");
  }
  const std::string at = FormatRfc3339(FromUnixSeconds(snapshots->back().observed_at));
  for (const TagChange& change : SnapshotChangesSince(*snapshots, since)) {
    const CheckState state = change.kind == TagChangeKind::kAdded   ? CheckState::kAdded
                             : change.kind == TagChangeKind::kMoved ? CheckState::kMoved
                                                                    : CheckState::kDeleted;
    report.rows.push_back(CheckRow{repository + ":" + change.tag, change.old_digest.value_or(""),
                                   change.new_digest.value_or(""), state, "", "", 0, at});
  }
  return Status::Ok();
}

int RunRepositoryDrift(const DriftOptions& options, HistoryStore& db, std::int64_t since) {
  CheckReport report;
  report.name = "regdigest drift";
  int exit_status = kExitOk;
  for (const std::string& repository : options.repositories) {
    if (Status added = AddSnapshotRows(db, repository, since, report); !added.ok()) {
      PrintError(added.message());
      // A repository without a snapshot is "not found": 1, as documented.
      exit_status = WorseExitStatus(exit_status, added.code() == StatusCode::kNotFound
                                                     ? kExitDrift
                                                     : ExitStatusFor(added.code()));
    }
  }
  if (options.format == ReportFormat::kText && report.rows.empty()) {
    if (exit_status != kExitOk) return exit_status;
    std::cout << "no tag added, moved or deleted since " << FormatRfc3339(FromUnixSeconds(since))
              << "\n";
  } else {
    std::cout << RenderReport(report, options.format);
  }
  return WorseExitStatus(exit_status, CountStates(report).drifted > 0 ? kExitDrift : kExitOk);
}

int RunDrift(const DriftOptions& options) {
  Result<WallTime> since = WindowStart(options.since, std::chrono::system_clock::now());
  if (!since.ok()) {
    PrintError(since.status().message());
    return kExitUsage;
  }
  Result<std::unique_ptr<HistoryStore>> db = OpenHistory(options.db, HistoryMode::kReadOnly);
  if (!db.ok()) {
    PrintError(db.status().message());
    return ExitStatusFor(db.status().code());
  }
  const std::int64_t since_seconds = UnixSeconds(*since);
  if (!options.repositories.empty()) return RunRepositoryDrift(options, **db, since_seconds);
  Result<std::vector<Observation>> observations = (*db)->ObservationsForChangesSince(since_seconds);
  if (!observations.ok()) {
    PrintError(observations.status().message());
    return kExitFailure;
  }
  const CheckReport report = DriftReport(*observations, since_seconds, options.all);
  if (options.format == ReportFormat::kText && report.rows.empty()) {
    std::cout << "no recorded digest changed since " << FormatRfc3339(*since) << "\n";
  } else {
    std::cout << RenderReport(report, options.format);
  }
  return CountStates(report).drifted > 0 ? kExitDrift : kExitOk;
}

}  // namespace

void AddDriftCommand(CLI::App& app, const GlobalOptions& /*globals*/, CommandRunner& run) {
  auto options = std::make_shared<DriftOptions>();
  CLI::App* command = app.add_subcommand(
      "drift",
      "List every recorded tag whose digest changed in a time window: old -> new digest and "
      "when the new one was first observed by `regdigest record`. A tag that moved and moved "
      "back counts two changes. No network access.");
  command
      ->add_option("--since", options->since,
                   "Start of the window: a duration back from now (90s, 30m, 12h, 7d, 2w) or "
                   "an RFC 3339 time")
      ->type_name("DURATION|TIME")
      ->capture_default_str();
  command->add_flag("--all", options->all,
                    "Also list, as ok, the tags observed in the window whose digest did not "
                    "change (so JUnit shows a passing testcase for each)");
  command->add_option("REPO", options->repositories,
                      "Repositories recorded with `record --all-tags`: report their tags "
                      "added, moved and deleted between snapshots instead");
  AddHistoryDbOption(*command, options->db);
  AddReportOutputOption(*command, options->format);
  command->footer(std::string(kHistoryDbFooter) +
                  "\nOutput: one drifted row per change (a JUnit failure, a GitHub ::error).\n"
                  "Exit status: 0 no digest changed in the window; 1 at least one did; 2 "
                  "usage error; 3 the database is missing or could not be read.");
  command->callback([options, &run] { run = [options] { return RunDrift(*options); }; });
}

}  // namespace regdigest
