// `regdigest lock REF... [--file regdigest.lock] [--platform P]... [--update]`:
// resolves tags and records their digests in a lock file (common/lock_file.h).
// All or nothing: when any reference fails, the lock file is not written.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/lock/lock_changes.h"
#include "cli/lock/lock_resolution.h"
#include "cli/lock/lock_targets.h"
#include "cli/lock/signing_keys.h"
#include "cli/output/count_text.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "client/registry/image_describer.h"
#include "client/sys/file_io.h"
#include "client/trust/image_verifier.h"
#include "common/base/display_text.h"
#include "common/base/timestamp.h"

namespace regdigest {
namespace {

struct LockOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> from;
  std::string file = kDefaultLockFile;
  std::vector<std::string> platforms;
  bool update = false;
  int concurrency = 0;  // 0: the config's
  OutputFormat format = OutputFormat::kText;
  KeyOptions keys;  // --key: verify every entry before writing
};

std::string JoinPaths(const std::vector<std::string>& paths) {
  std::string joined;
  for (const std::string& path : paths) joined += (joined.empty() ? "" : ", ") + path;
  return joined;
}

// Resolves every target: one HEAD each, then, for targets that record
// platforms, the GET of that document (by digest) to pick each platform, at
// most the registry's concurrency at a time per registry.
void ResolveTargets(std::vector<LockTarget>& targets, RegistrySession& session) {
  std::vector<Reference> references;
  references.reserve(targets.size());
  for (const LockTarget& target : targets) references.push_back(target.reference);
  std::vector<Result<ManifestDescriptor>> heads = session.ResolveAll(references);
  for (std::size_t i = 0; i < targets.size(); ++i) targets[i].head = std::move(heads[i]);

  ImageDescriber describer(session.client());
  std::vector<const Reference*> to_describe;
  for (const LockTarget& target : targets) {
    const bool wanted = target.head.ok() && !target.platforms.empty();
    to_describe.push_back(wanted ? &target.reference : nullptr);
  }
  session.ForEachByRegistry(to_describe, [&](std::size_t i) {
    LockTarget& target = targets[i];
    for (const Platform& platform : target.platforms) {
      Result<PlatformManifest> selected =
          describer.SelectPlatformManifest(target.reference, target.head->digest, platform);
      if (!selected.ok()) {
        target.head = selected.status();
        return;
      }
      target.platform_digests.emplace(platform.String(), selected->digest);
    }
  });
}

// lock --key: every resolved target's digest must be signed by one of the
// keys; an unverified one becomes the target's error (nothing is written).
void VerifyTargets(std::vector<LockTarget>& targets, RegistrySession& session,
                   const VerifyPolicy& policy) {
  std::vector<const Reference*> to_verify;
  for (const LockTarget& target : targets) {
    to_verify.push_back(target.head.ok() ? &target.reference : nullptr);
  }
  session.ForEachByRegistry(to_verify, [&](std::size_t i) {
    LockTarget& target = targets[i];
    Result<ImageVerification> verified =
        VerifyImage(session.client(), target.reference, target.head->digest, policy);
    if (!verified.ok()) {
      target.head = verified.status();
    } else if (!verified->verified) {
      target.unverified = true;
      target.head = Status(StatusCode::kNotFound, target.reference.String() + ": unverified " +
                                                      target.head->digest.String() + ": " +
                                                      DisplayText(verified->reason));
    } else {
      target.signature =
          LockSignature{verified->by->manifest_digest, verified->by->key.value_or("")};
    }
  });
}

int RunLock(const GlobalOptions& globals, const LockOptions& options) {
  if (options.inputs.empty() && options.from.empty() && !options.update) {
    PrintError("lock needs references: REF..., --from FILE... or --update");
    return kExitUsage;
  }
  std::vector<Platform> platforms;
  for (const std::string& value : options.platforms) {
    Result<Platform> platform = PlatformFromOption(value, globals);
    if (!platform.ok()) {
      PrintError(platform.status().ToString());
      return ExitStatusFor(platform.status().code());
    }
    platforms.push_back(std::move(platform).value());
  }
  Result<std::optional<LockFile>> existing = LoadLockFile(options.file);
  if (!existing.ok()) {
    PrintError(existing.status().message() + " (not modified)");
    return ExitStatusFor(existing.status().code());
  }
  if (!existing->has_value() && options.inputs.empty() && options.from.empty()) {
    PrintError(options.file + ": no such lock file to update");
    return kExitFailure;
  }
  const LockFile old_lock = existing->value_or(LockFile{});
  Result<std::optional<VerifyPolicy>> policy = PolicyFromKeyOptions(options.keys);
  if (!policy.ok()) {
    PrintError(policy.status().message());
    return kExitUsage;
  }

  LockTargets gathered = GatherLockTargets(old_lock, options.inputs, options.from, platforms);
  for (const std::string& skipped : gathered.skipped) PrintError("skipped " + skipped);
  if (!gathered.errors.empty()) {
    int exit_status = kExitOk;
    for (const Status& error : gathered.errors) {
      PrintError(error.message());
      exit_status = WorseExitStatus(exit_status, ExitStatusFor(error.code()));
    }
    PrintError(options.file + " not written");
    return exit_status;
  }
  std::vector<LockTarget>& targets = gathered.targets;
  if (targets.empty() && options.from.empty()) {
    std::cerr << "regdigest: " << DisplayText(options.file)
              << " has no entries; nothing to update\n";
    return kExitOk;
  }
  if (targets.empty()) {
    PrintError("no image references to lock in " + JoinPaths(options.from));
    return kExitUsage;
  }
  Result<std::unique_ptr<RegistrySession>> session =
      RegistrySession::Open(globals, options.concurrency);
  if (!session.ok()) {
    PrintError(session.status().ToString());
    return ExitStatusFor(session.status().code());
  }
  ResolveTargets(targets, **session);
  if (policy->has_value()) VerifyTargets(targets, **session, **policy);

  int exit_status = kExitOk;
  std::size_t failed = 0;
  for (const LockTarget& target : targets) {
    if (target.head.ok()) continue;
    ++failed;
    const std::string error =
        target.unverified ? target.head.status().message() : target.head.status().ToString();
    PrintError(target.location.empty() ? error : target.location + ": " + error);
    exit_status = WorseExitStatus(
        exit_status, target.unverified ? kExitDrift : ExitStatusFor(target.head.status().code()));
  }
  if (failed > 0) {
    PrintError(options.file + " not written: " + std::to_string(failed) + " of " +
               CountText(targets.size(), "reference") + " could not be " +
               (policy->has_value() ? "resolved and verified" : "resolved"));
    // Only unverified entries: 1, as `verify` says; anything else that failed: 3.
    return exit_status == kExitDrift ? kExitDrift : WorseExitStatus(exit_status, kExitFailure);
  }

  LockFile lock = old_lock;
  const std::vector<LockChange> changes =
      ApplyLockTargets(lock, targets, FormatRfc3339(std::chrono::system_clock::now()));
  const std::string text = SerializeLockFile(lock);
  const bool write = !existing->has_value() || text != SerializeLockFile(old_lock);
  if (write) {
    if (Status status = WriteFileAtomic(options.file, text, 0644); !status.ok()) {
      PrintError(status.ToString());
      return ExitStatusFor(status.code());
    }
  }
  if (options.format == OutputFormat::kJson) {
    std::cout << JsonText(LockResultsJson(lock, targets, changes, options.file, write)) << "\n";
  } else {
    std::cout << LockResultsText(lock, targets, changes);
  }
  return kExitOk;
}

}  // namespace

void AddLockCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<LockOptions>();
  CLI::App* command = app.add_subcommand(
      "lock",
      "Resolve tags and record their digests in a lock file (JSON, sorted, stable: it diffs "
      "well in git). The given references are added or replaced, the file's other entries "
      "kept; --update without REF re-resolves every entry. When any reference fails, the file "
      "is not written at all. `regdigest check` verifies it later.");
  command->add_option("REF", options->inputs,
                      "Image references to lock; the tag defaults to "
                      "latest, a digest after the tag is ignored");
  AddFilesOption(*command, "--from", options->from,
                 "Also lock the image references of this Dockerfile, compose file or "
                 "Kubernetes manifest");
  command->add_option("--file", options->file, "The lock file (default: regdigest.lock)")
      ->type_name("FILE");
  AddPlatformOption(*command, options->platforms,
                    std::string(kPlatformOptionHelp) +
                        ". Repeatable: records each platform's manifest digest too. Without "
                        "it, an entry keeps the platforms it already records");
  command->add_flag("--update", options->update,
                    "Without REF: re-resolve every entry of the lock file and rewrite it");
  AddConcurrencyOption(*command, options->concurrency);
  AddKeyOptions(*command, options->keys,
                "With --key, every entry must be signed by one of the keys before anything is "
                "written, and records its signature {digest, key}.");
  AddOutputOption(*command, options->format);
  command->footer(
      "Output: one line per reference locked, \"added|updated|unchanged REFERENCE DIGEST\" "
      "(platform digests indented below). An entry whose digest did not change keeps its "
      "resolvedAt, so re-locking unchanged tags leaves the file byte-identical.\n"
      "Exit status: 0 written (or already up to date); 1 with --key, an entry no key verifies "
      "(nothing written); 2 usage error, invalid reference or key file; "
      "3 a reference could not be resolved (or, with --key, verified), or the lock file is "
      "corrupt or of a newer version: the lock file is then left exactly as it was.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunLock(globals, *options); };
  });
}

}  // namespace regdigest
