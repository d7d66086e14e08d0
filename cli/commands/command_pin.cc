// `regdigest pin FILE...`: rewrites the image references written in
// Dockerfiles, compose files and Kubernetes manifests to name:tag@digest,
// replacing only those bytes (formatting and comments are kept). All files
// are resolved in one bulk run, and no file is written unless every
// reference resolved. `--check` verifies the pins instead (cli/pin_check.cc).
#include <iostream>
#include <map>
#include <memory>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/lock/signing_keys.h"
#include "cli/output/exit_status.h"
#include "cli/pin/pin_check.h"
#include "cli/pin/pin_files.h"
#include "client/sys/file_io.h"
#include "client/trust/image_verifier.h"
#include "common/base/display_text.h"
#include "common/pin/pinned_reference.h"
#include "common/pin/text_edits.h"
#include "common/pin/unified_diff.h"
#include "common/registry/tool_config.h"

namespace regdigest {
namespace {

// A reference to pin: where it is written and the tag to resolve.
struct PinTarget {
  std::size_t file = 0;
  const ImageOccurrence* occurrence = nullptr;
  Reference tag;  // canonical, default tag applied, no digest
};

struct FileCounts {
  std::size_t pinned = 0, updated = 0, unchanged = 0, skipped = 0;
};

// "Dockerfile: 2 pinned, 1 already pinned, 1 skipped".
std::string Summary(const PinFile& file, const FileCounts& counts) {
  std::string parts;
  auto add = [&parts](std::size_t n, const char* what) {
    if (n == 0) return;
    parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  add(counts.pinned, "pinned");
  add(counts.updated, "updated");
  add(counts.unchanged, "already pinned");
  add(counts.skipped, "skipped");
  return file.path + ": " + (parts.empty() ? "no image references" : parts);
}

// pin --key: every digest about to be pinned must be verified by one of the
// keys; an error line for each one that is not (or that could not be
// checked). Returns the worst exit status (0 when all verified).
int VerifyPins(const GlobalOptions& globals, const std::vector<PinFile>& files,
               const std::vector<PinTarget>& targets, const std::vector<Result<Digest>>& digests,
               const VerifyPolicy& policy, int concurrency) {
  Result<std::unique_ptr<RegistrySession>> session = RegistrySession::Open(globals, concurrency);
  if (!session.ok()) {
    PrintError(session.status().ToString());
    return ExitStatusFor(session.status().code());
  }
  std::vector<const Reference*> work;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    work.push_back(digests[i].ok() ? &targets[i].tag : nullptr);
  }
  std::vector<Result<ImageVerification>> results(
      targets.size(), Result<ImageVerification>(Status(StatusCode::kUsage, "not verified")));
  (*session)->ForEachByRegistry(work, [&](std::size_t i) {
    results[i] = VerifyImage((*session)->client(), targets[i].tag, *digests[i], policy);
  });
  int exit_status = kExitOk;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (work[i] == nullptr) continue;
    const std::string place = PlaceOf(files[targets[i].file], *targets[i].occurrence) + ": " +
                              DisplayText(targets[i].occurrence->text) + ": ";
    if (!results[i].ok()) {
      PrintError(place + results[i].status().ToString());
      exit_status = WorseExitStatus(exit_status, kExitFailure);
    } else if (!results[i]->verified) {
      PrintError(place + "refusing to pin unverified " + digests[i]->String() + ": " +
                 DisplayText(results[i]->reason));
      exit_status = WorseExitStatus(exit_status, kExitDrift);
    }
  }
  return exit_status;
}

int RunPin(const GlobalOptions& globals, const PinOptions& options, const KeyOptions& keys) {
  Result<std::optional<VerifyPolicy>> policy = PolicyFromKeyOptions(keys);
  if (!policy.ok()) {
    PrintError(policy.status().message());
    return kExitUsage;
  }
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
    return ExitStatusFor(files.status().code());
  }
  WarnSkipped(*files);

  int exit_status = kExitOk;
  std::vector<FileCounts> counts(files->size());
  std::vector<PinTarget> targets;
  for (std::size_t f = 0; f < files->size(); ++f) {
    for (const ImageOccurrence& occurrence : (*files)[f].occurrences) {
      if (!occurrence.skipped.empty()) {
        ++counts[f].skipped;
        continue;
      }
      Result<Reference> written = ParseWrittenReference((*files)[f], occurrence);
      if (!written.ok()) {
        PrintError(written.status().message());
        exit_status = WorseExitStatus(exit_status, ExitStatusFor(written.status().code()));
        continue;
      }
      // Already pinned: left alone unless --update; pinned by digest alone, there is
      // no tag to follow even then.
      if (written->digest() && (!options.update || !written->tag())) {
        ++counts[f].unchanged;
        continue;
      }
      Result<Reference> tag = Reference::Parse(TagPartOf(occurrence.text));
      if (!tag.ok()) return kExitFailure;  // cannot happen: the whole text parsed
      targets.push_back({f, &occurrence, tag->WithDefaultTag()});
    }
  }
  if (exit_status != kExitOk) {
    PrintError("no file changed");
    return exit_status;
  }

  std::vector<Reference> references;
  for (const PinTarget& target : targets) references.push_back(target.tag);
  Result<std::vector<Result<Digest>>> digests =
      ResolveCurrentDigests(globals, references, platform, options.concurrency);
  if (!digests.ok()) {
    PrintError(digests.status().ToString());
    return ExitStatusFor(digests.status().code());
  }
  if (policy->has_value()) {
    exit_status = VerifyPins(globals, *files, targets, *digests, **policy, options.concurrency);
    if (exit_status != kExitOk) {
      PrintError("no file changed: with --key, every digest must be signed by one of the keys");
      return exit_status;
    }
  }
  std::vector<std::vector<TextEdit>> edits(files->size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const PinTarget& target = targets[i];
    const Result<Digest>& digest = (*digests)[i];
    if (!digest.ok()) {
      PrintError(PlaceOf((*files)[target.file], *target.occurrence) + ": " +
                 target.occurrence->text + ": " + digest.status().ToString());
      exit_status = WorseExitStatus(exit_status, kExitFailure);
      continue;
    }
    const std::string pinned = PinnedReferenceText(target.occurrence->text, *digest);
    FileCounts& file_counts = counts[target.file];
    if (pinned == target.occurrence->text) {
      ++file_counts.unchanged;
      continue;
    }
    ++(target.occurrence->text.find('@') == std::string::npos ? file_counts.pinned
                                                              : file_counts.updated);
    edits[target.file].push_back(
        {target.occurrence->offset, target.occurrence->text.size(), pinned});
  }
  if (exit_status != kExitOk) {
    PrintError("no file changed: every reference must resolve before any file is written");
    return exit_status;
  }

  for (std::size_t f = 0; f < files->size(); ++f) {
    const PinFile& file = (*files)[f];
    Result<std::string> pinned = ApplyTextEdits(file.content, std::move(edits[f]));
    if (!pinned.ok()) {
      PrintError(file.path + ": " + pinned.status().message());
      return kExitFailure;
    }
    if (options.dry_run) {
      std::cout << UnifiedDiff(file.path, file.content, *pinned);
      continue;
    }
    if (*pinned != file.content) {
      if (Status written = WriteFileAtomic(file.real_path, *pinned, file.mode); !written.ok()) {
        PrintError(written.message());
        return kExitFailure;
      }
    }
    std::cout << Summary(file, counts[f]) << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddPinCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<PinOptions>();
  auto keys = std::make_shared<KeyOptions>();
  CLI::App* command = app.add_subcommand(
      "pin",
      "Pin the image references written in Dockerfiles (FROM, COPY --from), compose files "
      "(image: of each service) and Kubernetes manifests (image: of containers, "
      "initContainers, ephemeralContainers) to name:tag@sha256:..., changing only the "
      "reference text. With --check, verify the pins instead.");
  command
      ->add_option("FILE", options->files, "Files to pin (the kind is told by name, else content)")
      ->required();
  CLI::Option* check = command->add_flag(
      "--check", options->check,
      "Change nothing: report each reference as ok, drifted (the tag moved: pinned -> "
      "current), missing (the tag is gone), unpinned or error");
  command
      ->add_flag("-n,--dry-run", options->dry_run,
                 "Print the changes as a unified diff; write nothing")
      ->excludes(check);
  command
      ->add_flag("-u,--update", options->update,
                 "Re-resolve references already pinned and replace their digests")
      ->excludes(check);
  AddPlatformOption(*command, options->platform,
                    std::string(kPlatformOptionHelp) +
                        "; pins (or checks) that platform's manifest digest instead of the "
                        "index digest");
  AddConcurrencyOption(*command, options->concurrency);
  AddKeyOptions(*command, *keys,
                "With --key, a digest is pinned only if one of the keys verifies its signature; "
                "otherwise no file is written.");
  AddReportOutputOption(*command, options->format);
  command->footer(
      "Skipped, with a warning on stderr: scratch, earlier build stages, ${ARG} images and "
      "other values that are not plain references. The name stays as written (nginx:1.25 -> "
      "nginx:1.25@sha256:...); a reference without a tag is pinned as name:latest@sha256:...\n"
      "Exit status: 0 done (--check: every reference ok); 1 (--check) a reference drifted, is "
      "missing or unpinned, or (pin --key) a digest no key verifies; 2 usage error, or (pin) an "
      "invalid reference in a file; 3 a file "
      "could not be read or written, a reference could not be resolved, or (--check) an "
      "error prevented a decision. pin writes no file unless every reference resolved.\n"
      "Examples:\n"
      "  regdigest pin --dry-run Dockerfile compose.yaml k8s/*.yaml   # show the diff\n"
      "  regdigest pin Dockerfile compose.yaml k8s/*.yaml             # rewrite the files\n"
      "  regdigest pin --update k8s/*.yaml                            # follow moved tags\n"
      "  regdigest pin --check --output github Dockerfile             # in CI");
  command->callback([command, options, keys, &globals, &run] {
    options->format_given = command->get_option("--output")->count() > 0;
    run = [options, keys, &globals] {
      if (options->format_given && !options->check) {
        PrintError("pin: --output needs --check");
        return kExitUsage;
      }
      if (options->check && keys->enabled()) {
        PrintError("pin: --key is for pinning; `regdigest check --key` re-verifies a lock file");
        return kExitUsage;
      }
      return options->check ? RunPinCheck(globals, *options) : RunPin(globals, *options, *keys);
    };
  });
}

}  // namespace regdigest
