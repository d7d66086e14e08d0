// `regdigest check [REF@DIGEST...] [--file regdigest.lock|list|-]`: does
// every locked or pinned tag still point at its digest? One HEAD per entry;
// ok, drifted, missing or error per entry, as text, JSON, JUnit XML or GitHub
// Actions annotations.
#include <iostream>
#include <memory>
#include <optional>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/inputs/check_targets.h"
#include "cli/lock/lock_resolution.h"
#include "cli/lock/signing_keys.h"
#include "cli/output/exit_status.h"
#include "cli/pin/pin_check.h"
#include "client/trust/image_verifier.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

struct CheckOptions {
  std::vector<std::string> inputs;        // pinned references: REF@DIGEST
  std::string file;                       // --file: a lock file or a list ("-" = stdin)
  std::vector<std::string> pinned_files;  // --files: `pin --check` on these instead
  int concurrency = 0;                    // 0: the config's
  ReportFormat format = ReportFormat::kText;
  KeyOptions keys;  // --key: re-verify what each tag points at now
};

// The registry's message without the reference it starts with (the row names it).
std::string MessageFor(const Status& status, const std::string& reference) {
  std::string message = status.message();
  if (message.rfind(reference + ": ", 0) == 0) message.erase(0, reference.size() + 2);
  return message;
}

CheckRow RowFor(const CheckTarget& target, const Result<ManifestDescriptor>* head) {
  CheckRow row;
  row.reference = target.shown;
  row.expected = target.expected.has_value() ? target.expected->String() : "";
  row.file = target.file;
  row.line = target.line;
  if (head == nullptr) {
    row.state = CheckState::kError;
    row.message = target.error;
  } else if (head->ok()) {
    row.current = (*head)->digest.String();
    row.state = (*head)->digest == *target.expected ? CheckState::kOk : CheckState::kDrifted;
  } else if (head->status().code() == StatusCode::kNotFound) {
    row.state = CheckState::kMissing;
    row.message = MessageFor(head->status(), target.head->String());
  } else {
    row.state = CheckState::kError;
    row.message = std::string(StatusCodeName(head->status().code())) + ": " +
                  MessageFor(head->status(), target.head->String());
  }
  return row;
}

// --file F (default regdigest.lock when no reference is given): a lock file
// or a list of pinned references. On failure, prints why and returns the
// exit status.
// Only an explicit --file may be a list of references.
std::optional<int> AddFileTargets(const std::string& file, bool explicit_file,
                                  std::vector<CheckTarget>& targets) {
  Result<std::optional<LockFileOrList>> read = ReadLockFileOrList(file, std::cin, explicit_file);
  if (!read.ok()) {
    PrintError(read.status().message());
    return kExitFailure;
  }
  if (!read->has_value()) {
    PrintError(file +
               ": no such lock file or reference list (write one with `regdigest lock REF...`)");
    return kExitFailure;
  }
  const LockFileOrList& contents = **read;
  if (file == "-" && !contents.lock.has_value() && contents.lines.empty()) {
    PrintError("no references to check: stdin is empty (or has only comments and blank lines)");
    return kExitUsage;
  }
  if (contents.lock.has_value()) {
    std::vector<CheckTarget> locked = CheckTargetsFromLock(*contents.lock, contents.name);
    targets.insert(targets.end(), locked.begin(), locked.end());
  }
  for (const ReferenceInput& input : contents.lines) targets.push_back(CheckTargetFromInput(input));
  return std::nullopt;
}

// check --key: the digest each ok or drifted row points at now is verified;
// a digest no key verifies makes the row `unsigned` (a drifted row that is
// still signed stays drifted, with its signer).
void VerifyRows(CheckReport& report, const std::vector<const Reference*>& references,
                RegistrySession& session, const VerifyPolicy& policy) {
  std::vector<const Reference*> work(references.size(), nullptr);
  for (std::size_t i = 0; i < references.size(); ++i) {
    const CheckState state = report.rows[i].state;
    if (references[i] && (state == CheckState::kOk || state == CheckState::kDrifted)) {
      work[i] = references[i];
    }
  }
  session.ForEachByRegistry(work, [&](std::size_t i) {
    CheckRow& row = report.rows[i];
    Result<ImageVerification> verified =
        VerifyImage(session.client(), *references[i], Digest::Parse(row.current).value(), policy);
    if (!verified.ok()) {
      row.state = CheckState::kError;
      row.message = "verifying " + row.current + ": " + verified.status().ToString();
      return;
    }
    row.signature_checked = true;
    if (verified->verified) {
      row.signed_by = verified->by->key.value_or("");
    } else {
      row.state = CheckState::kUnsigned;
      row.message = DisplayText(verified->reason);
    }
  });
}

int RunCheck(const GlobalOptions& globals, const CheckOptions& options) {
  Result<std::optional<VerifyPolicy>> policy = PolicyFromKeyOptions(options.keys);
  if (!policy.ok()) {
    PrintError(policy.status().message());
    return kExitUsage;
  }
  if (!options.pinned_files.empty()) {
    if (!options.file.empty() || !options.inputs.empty()) {
      PrintError(
          "check takes pinned references or a lock file (--file), or pinned files (--files), "
          "not both");
      return kExitUsage;
    }
    PinOptions pin;
    pin.files = options.pinned_files;
    pin.check = true;
    pin.format = options.format;
    pin.concurrency = options.concurrency;
    if (policy->has_value()) {
      PrintError("--key is not supported with --files; use `regdigest pin --key` to pin");
      return kExitUsage;
    }
    return RunPinCheck(globals, pin);
  }
  std::vector<CheckTarget> targets;
  for (const std::string& input : options.inputs) {
    targets.push_back(CheckTargetFromInput(ReferenceInput{input, "", 0}));
  }
  const std::string file =
      options.file.empty() && options.inputs.empty() ? kDefaultLockFile : options.file;
  if (!file.empty()) {
    if (std::optional<int> failed = AddFileTargets(file, !options.file.empty(), targets))
      return *failed;
  }

  std::vector<Reference> references;  // the targets that can be checked, in order
  for (const CheckTarget& target : targets) {
    if (target.error.empty()) references.push_back(*target.head);
  }
  std::vector<Result<ManifestDescriptor>> heads;
  std::unique_ptr<RegistrySession> session;
  if (!references.empty()) {
    Result<std::unique_ptr<RegistrySession>> opened =
        RegistrySession::Open(globals, options.concurrency);
    if (!opened.ok()) {
      PrintError(opened.status().ToString());
      return ExitStatusFor(opened.status().code());
    }
    session = std::move(opened).value();
    heads = session->ResolveAll(references);
  }
  CheckReport report;
  report.name = "regdigest check";
  std::size_t next = 0;
  std::vector<const Reference*> row_references;
  for (const CheckTarget& target : targets) {
    row_references.push_back(target.error.empty() ? &*target.head : nullptr);
    report.rows.push_back(RowFor(target, target.error.empty() ? &heads[next++] : nullptr));
  }
  if (policy->has_value() && session) VerifyRows(report, row_references, *session, **policy);
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
      "Check a lock file, or pinned references: does every tag still point at its digest? "
      "One HEAD request per entry (registries in parallel); each entry is ok, drifted (locked "
      "-> current digest), missing (the tag or repository is gone) or error (no answer: "
      "network, auth...; or an invalid line). Files are only read.");
  command->add_option("REF@DIGEST", options->inputs,
                      "Pinned references to check: name:tag@sha256:... (a reference with a digest "
                      "and no tag only checks that the digest still exists)");
  command
      ->add_option("--file", options->file,
                   "A lock file, or a list of pinned references, one a line: REF@DIGEST or "
                   "\"REF DIGEST\" (what `regdigest resolve` prints); # comments and blank lines "
                   "skipped; - reads stdin (default: regdigest.lock when no reference is given)")
      ->type_name("FILE");
  AddFilesOption(*command, "--files", options->pinned_files,
                 "Check a pinned Dockerfile, compose or Kubernetes file instead of a lock "
                 "file: the same as `regdigest pin --check FILE`");
  AddConcurrencyOption(*command, options->concurrency);
  AddKeyOptions(*command, options->keys,
                "With --key, what each tag points at now must be signed by one of the keys: "
                "a row is `unsigned` otherwise (a drifted row still signed says by whom).");
  AddReportOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 every entry ok (or there are no entries); 1 an entry drifted, is "
      "missing or (with --key) unsigned; 3 an entry could not be checked (including an invalid "
      "line), or the file is "
      "missing, corrupt or a lock file of a newer version (it is never modified); 2 usage "
      "error. 3 wins over 1.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunCheck(globals, *options); };
  });
}

}  // namespace regdigest
