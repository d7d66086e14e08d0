// `regdigest record REF... [--file F] [--from FILE...] [--db PATH]`: resolves
// each reference with one HEAD request and stores one observation per
// reference in the history database (client/history/history_store.h), failures included
// with the registry's answer, so `history` and `drift` can tell when a tag moved.
// With --key, each digest resolved is also verified (client/trust) and the
// observation stores whether a signature by one of the keys was found.
#include <iostream>
#include <map>
#include <set>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/inputs/history_options.h"
#include "cli/inputs/reference_inputs.h"
#include "cli/lock/signing_keys.h"
#include "cli/output/exit_status.h"
#include "cli/tags/tag_lookup.h"
#include "client/history/history_store.h"
#include "client/sys/file_io.h"
#include "client/trust/image_verifier.h"
#include "common/base/display_text.h"
#include "common/drift/lock_file.h"
#include "common/pin/image_references.h"

namespace regdigest {
namespace {

struct RecordOptions {
  std::vector<std::string> inputs;
  std::string file;
  std::vector<std::string> from;
  std::string db;
  int concurrency = 0;    // 0: the config's
  bool all_tags = false;  // --all-tags: REF... are repositories (cli/tags/tag_lookup.h)
  KeyOptions keys;        // --key: store whether each digest is signed
};

Result<std::string> ReadWholeFile(const std::string& path) {
  Result<std::optional<std::string>> text = ReadInputText(path, std::cin, "--from");
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    return Status(StatusCode::kUsage, "cannot read " + path + ": no such file");
  }
  return std::move(**text);
}

// --file F: a regdigest lock file (its entries' references) or a list of
// references, one a line.
Status AddFileInputs(const std::string& file, std::vector<ReferenceInput>& inputs) {
  Result<std::optional<LockFileOrList>> read = ReadLockFileOrList(file, std::cin);
  if (!read.ok()) return read.status();
  if (!read->has_value()) {
    return Status(StatusCode::kUsage, "cannot read " + file + ": no such file");
  }
  const LockFileOrList& contents = **read;
  if (file == "-" && !contents.lock.has_value() && contents.lines.empty()) {
    return Status(StatusCode::kUsage,
                  "no references to record: stdin is empty (or has only comments and blank lines)");
  }
  if (contents.lock.has_value()) {
    for (const LockEntry& entry : contents.lock->entries) {
      inputs.push_back(ReferenceInput{entry.reference.String(), contents.name, entry.line});
    }
  }
  inputs.insert(inputs.end(), contents.lines.begin(), contents.lines.end());
  return Status::Ok();
}

// --from FILE...: the image references of Dockerfiles, compose files and
// Kubernetes manifests; those that are not references (scratch, build stages,
// ${ARG}s) are skipped with a note.
Status AddImageFileInputs(const std::vector<std::string>& files,
                          std::vector<ReferenceInput>& inputs) {
  for (const std::string& file : files) {
    Result<std::string> text = ReadWholeFile(file);
    if (!text.ok()) return text.status();
    Result<std::vector<ImageOccurrence>> found = FindImageReferences(file, *text);
    if (!found.ok()) return found.status();
    for (const ImageOccurrence& occurrence : *found) {
      if (!occurrence.skipped.empty()) {
        PrintError(file + ":" + std::to_string(occurrence.line) + ": skipping " +
                   Quoted(occurrence.text) + ": " + occurrence.skipped);
        continue;
      }
      inputs.push_back(ReferenceInput{occurrence.text, file, occurrence.line});
    }
  }
  return Status::Ok();
}

Observation ObservationOf(const Reference& reference, const Result<ManifestDescriptor>& result,
                          std::int64_t now) {
  Observation observation;
  observation.reference = reference.String();
  observation.observed_at = now;
  if (result.ok()) {
    observation.digest = result->digest.String();
    observation.media_type = result->media_type;
  } else {
    observation.status = std::string(StatusCodeName(result.status().code()));
    observation.message = result.status().message();
  }
  return observation;
}

// record --key: verifies every resolved digest (per-registry concurrency, as
// lock --key) and stores the answer; a verification that could not decide
// leaves the observation's flag null and is reported. Returns the exit status.
int VerifyObservations(RegistrySession& session, const VerifyPolicy& policy,
                       const std::vector<Reference>& references,
                       const std::vector<Result<ManifestDescriptor>>& results,
                       std::vector<Observation>& observations) {
  std::vector<const Reference*> to_verify;
  for (std::size_t i = 0; i < references.size(); ++i) {
    to_verify.push_back(results[i].ok() ? &references[i] : nullptr);
  }
  std::vector<Status> errors(references.size());
  session.ForEachByRegistry(to_verify, [&](std::size_t i) {
    Result<ImageVerification> verified =
        VerifyImage(session.client(), references[i], results[i]->digest, policy);
    if (verified.ok()) {
      observations[i].signature_verified = verified->verified;
    } else {
      errors[i] = verified.status();
    }
  });
  int exit_status = kExitOk;
  for (std::size_t i = 0; i < references.size(); ++i) {
    if (!errors[i].ok()) {
      PrintError(references[i].String() + ": signature not checked: " + errors[i].ToString());
      exit_status = WorseExitStatus(exit_status, kExitFailure);
    } else if (observations[i].signature_verified == false) {
      exit_status = WorseExitStatus(exit_status, kExitDrift);
    }
  }
  return exit_status;
}

// record --all-tags: the set of tags listed in each repository, with the
// digest each resolved to (none when its HEAD failed).
std::vector<RepositorySnapshot> TagSnapshots(const std::vector<Reference>& repositories,
                                             const std::vector<Reference>& references,
                                             const std::vector<Result<ManifestDescriptor>>& results,
                                             std::int64_t now) {
  std::vector<RepositorySnapshot> snapshots;
  std::map<std::string, std::size_t> index;  // repository name -> snapshots[i]
  for (const Reference& repository : repositories) {
    if (index.emplace(repository.Name(), snapshots.size()).second) {
      snapshots.push_back({"", repository.Name(), now, {}});
    }
  }
  for (std::size_t i = 0; i < references.size(); ++i) {
    auto found = index.find(references[i].Name());
    if (found == index.end() || !references[i].tag()) continue;
    std::optional<std::string> digest;
    if (results[i].ok()) digest = results[i]->digest.String();
    snapshots[found->second].tags.push_back({*references[i].tag(), std::move(digest)});
  }
  return snapshots;
}

int RunRecord(const GlobalOptions& globals, const RecordOptions& options) {
  if (options.inputs.empty() && options.file.empty() && options.from.empty()) {
    PrintError("record needs references (REF..., --file F or --from FILE...)");
    return kExitUsage;
  }
  Result<std::vector<ReferenceInput>> inputs = GatherReferenceInputs(options.inputs, "", std::cin);
  Status gathered = inputs.status();
  if (gathered.ok() && !options.file.empty()) gathered = AddFileInputs(options.file, *inputs);
  if (gathered.ok()) gathered = AddImageFileInputs(options.from, *inputs);
  if (!gathered.ok()) {
    PrintError(gathered.ToString());
    return ExitStatusFor(gathered.code());
  }

  int exit_status = kExitOk;
  std::vector<Reference> references;  // unique, in input order
  std::set<std::string> seen;
  for (const ReferenceInput& input : *inputs) {
    Result<Reference> parsed = input.Parse();
    if (!parsed.ok()) {
      PrintError(input.ErrorText(parsed.status()));
      exit_status = WorseExitStatus(exit_status, ExitStatusFor(parsed.status().code()));
      continue;
    }
    Reference reference = HistoryReference(*parsed);
    if (seen.insert(reference.String()).second) references.push_back(std::move(reference));
  }
  if (references.empty()) return exit_status;
  Result<std::optional<VerifyPolicy>> policy = PolicyFromKeyOptions(options.keys);
  if (!policy.ok()) {
    PrintError(policy.status().message());
    return kExitUsage;
  }

  // The database first: a file that is not ours fails before any request.
  Result<std::unique_ptr<HistoryStore>> db = OpenHistory(options.db, HistoryMode::kReadWrite);
  if (!db.ok()) {
    PrintError(db.status().message());
    return ExitStatusFor(db.status().code());
  }
  Result<std::unique_ptr<RegistrySession>> session =
      RegistrySession::Open(globals, options.concurrency);
  if (!session.ok()) {
    PrintError(session.status().ToString());
    return ExitStatusFor(session.status().code());
  }
  std::vector<Reference> repositories;  // --all-tags: each gets a snapshot of its tags
  if (options.all_tags) {
    repositories = references;
    Result<std::vector<Reference>> every_tag = AllTagReferences(**session, references);
    if (!every_tag.ok()) {
      PrintError("--all-tags: " + every_tag.status().message());
      return ExitStatusFor(every_tag.status().code());
    }
    references = std::move(every_tag).value();
  }
  const std::vector<Result<ManifestDescriptor>> results = (*session)->ResolveAll(references);

  const std::int64_t now = UnixSeconds(std::chrono::system_clock::now());
  std::vector<Observation> observations;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < references.size(); ++i) {
    observations.push_back(ObservationOf(references[i], results[i], now));
  }
  if (policy->has_value()) {
    exit_status = WorseExitStatus(
        exit_status, VerifyObservations(**session, **policy, references, results, observations));
  }
  for (std::size_t i = 0; i < references.size(); ++i) {
    if (results[i].ok()) {
      const std::optional<bool>& signed_flag = observations[i].signature_verified;
      std::cout << references[i].String() << " " << results[i]->digest.String()
                << (signed_flag ? (*signed_flag ? " signed" : " unsigned") : "") << "\n";
    } else {
      ++failed;
      PrintError(results[i].status().ToString());
      exit_status = WorseExitStatus(exit_status, kExitFailure);
    }
  }
  const std::size_t count = observations.size();
  HistoryRun run{NewHistoryRunId(), std::move(observations)};
  run.snapshots = TagSnapshots(repositories, references, results, now);
  if (Status recorded = (*db)->Record(run); !recorded.ok()) {
    PrintError("nothing recorded: " + recorded.message());
    return kExitFailure;
  }
  std::cerr << "recorded " << count << " observation" << (count == 1 ? "" : "s");
  if (failed > 0) std::cerr << " (" << failed << " failed)";
  std::cerr << " in " << (*db)->DisplayName() << "\n";
  return exit_status;
}

}  // namespace

void AddRecordCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<RecordOptions>();
  CLI::App* command = app.add_subcommand(
      "record",
      "Resolve references (one HEAD each) and store one observation per reference in the "
      "history database: reference, digest, media type, time and the registry's answer. "
      "Failed resolutions are stored too, with their status. Safe to run from several "
      "processes at once.");
  command->add_option("REF", options->inputs, "Image references, e.g. nginx:1.25");
  AddReferenceFileOptions(*command, options->file, options->concurrency);
  command->get_option("--file")->description(
      "A regdigest lock file (its entries are recorded) or a list of references, one a line "
      "('#' comments and blank lines skipped; '-' for stdin)");
  AddFilesOption(*command, "--from", options->from,
                 "Record the image references written in this Dockerfile, compose file or "
                 "Kubernetes manifest");
  command->add_flag("--all-tags", options->all_tags,
                    "REF... are repositories: record every tag of each (tags/list; "
                    "digest-named tags such as sha256-<hex>.sig skipped)");
  AddHistoryDbOption(*command, options->db);
  AddKeyOptions(*command, options->keys,
                "With --key, each digest resolved is verified and the observation stores "
                "whether one of the keys signed it (without --key: not checked).");
  command->footer(
      std::string("Prints \"REFERENCE DIGEST\" for each reference resolved (with --key, followed "
                  "by \"signed\" or \"unsigned\").\n") +
      kHistoryDbFooter +
      "\nExit status: 0 every reference resolved and recorded; 1 with --key, a digest no key "
      "verifies (still recorded, as unsigned); 2 usage error, an invalid reference (the others "
      "are still recorded) or an unreadable key file; 3 a reference could not be resolved or "
      "verified (its failure is still recorded), a --file lock file or a --from file does not "
      "parse, or the "
      "database could not be used.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunRecord(globals, *options); };
  });
}

}  // namespace regdigest
