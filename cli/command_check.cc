// `regdigest check [--file regdigest.lock]`: does every locked tag still point
// at its locked digest? One HEAD per entry; ok, drifted, missing or error per
// entry, as text, JSON, JUnit XML or GitHub Actions annotations.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "cli/lock_resolution.h"
#include "cli/pin_check.h"
#include "client/registry_client.h"

namespace regdigest {
namespace {

struct CheckOptions {
  std::string file = kDefaultLockFile;
  bool file_given = false;
  std::vector<std::string> pinned_files;  // --files: `pin --check` on these instead
  int concurrency = 0;                    // 0: the config's
  ReportFormat format = ReportFormat::kText;
};

// The registry's message without the reference it starts with (the row names it).
std::string MessageFor(const Status& status, const std::string& reference) {
  std::string message = status.message();
  if (message.rfind(reference + ": ", 0) == 0) message.erase(0, reference.size() + 2);
  return message;
}

CheckRow RowFor(const LockEntry& entry, const Result<ManifestDescriptor>& head,
                const std::string& file) {
  CheckRow row;
  row.reference = entry.reference.String();
  row.expected = entry.digest.String();
  row.file = file;
  row.line = entry.line;
  if (head.ok()) {
    row.current = head->digest.String();
    row.state = head->digest == entry.digest ? CheckState::kOk : CheckState::kDrifted;
  } else if (head.status().code() == StatusCode::kNotFound) {
    row.state = CheckState::kMissing;
    row.message = MessageFor(head.status(), row.reference);
  } else {
    row.state = CheckState::kError;
    row.message = std::string(StatusCodeName(head.status().code())) + ": " +
                  MessageFor(head.status(), row.reference);
  }
  return row;
}

int RunCheck(const GlobalOptions& globals, const CheckOptions& options) {
  if (!options.pinned_files.empty()) {
    if (options.file_given) {
      PrintError("check takes a lock file (--file) or pinned files (--files), not both");
      return kExitUsage;
    }
    PinOptions pin;
    pin.files = options.pinned_files;
    pin.check = true;
    pin.format = options.format;
    pin.concurrency = options.concurrency;
    return RunPinCheck(globals, pin);
  }
  Result<std::optional<LockFile>> lock = LoadLockFile(options.file);
  if (!lock.ok()) {
    PrintError(lock.status().message());
    return ExitStatusFor(lock.status().code());
  }
  if (!lock->has_value()) {
    PrintError(options.file + ": no such lock file (write one with `regdigest lock REF...`)");
    return kExitFailure;
  }
  const std::vector<LockEntry>& entries = (*lock)->entries;
  CheckReport report;
  report.name = "regdigest check";
  if (!entries.empty()) {
    Result<RegistryContext> context = MakeRegistryContext(globals);
    if (!context.ok()) {
      PrintError(context.status().ToString());
      return ExitStatusFor(context.status().code());
    }
    std::vector<Reference> references;
    references.reserve(entries.size());
    for (const LockEntry& entry : entries) references.push_back(entry.reference);
    RegistryClient client(context->transport, context->config);
    std::vector<Result<ManifestDescriptor>> heads =
        HeadReferences(client, *context, references, options.concurrency);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      report.rows.push_back(RowFor(entries[i], heads[i], options.file));
    }
  }
  std::cout << RenderReport(report, options.format);
  std::cout.flush();
  const CheckCounts counts = CountStates(report);
  if (counts.errors > 0) return kExitFailure;
  return counts.AllOk() ? kExitOk : kExitDrift;
}

}  // namespace

void AddCheckCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand(
      "check",
      "Check a lock file: does every locked tag still point at its locked digest? One HEAD "
      "request per entry (registries in parallel); each entry is ok, drifted (locked -> "
      "current digest), missing (the tag or repository is gone) or error (no answer: network, "
      "auth...). The lock file is only read.");
  command
      ->add_option_function<std::string>(
          "--file",
          [options](const std::string& file) {
            options->file = file;
            options->file_given = true;
          },
          "The lock file (default: regdigest.lock)")
      ->type_name("FILE");
  command
      ->add_option("--files", options->pinned_files,
                   "Check pinned Dockerfiles, compose and Kubernetes files instead of a lock "
                   "file: the same as `regdigest pin --check FILE...`")
      ->type_name("FILE...");
  command
      ->add_option("--concurrency", options->concurrency,
                   "Requests in flight at once per registry (1-64; default: the config "
                   "file's \"concurrency\", else 8)")
      ->check(CLI::Range(1, kMaxConcurrency));
  AddReportOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 every entry ok (or the lock file has no entries); 1 an entry drifted or "
      "is missing; 3 an entry could not be checked, or the lock file is missing, corrupt or "
      "of a newer version (it is never modified); 2 usage error. 3 wins over 1.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunCheck(globals, *options); };
  });
}

}  // namespace regdigest
