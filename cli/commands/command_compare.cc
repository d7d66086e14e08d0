// `regdigest compare REF... | --all`: is the local image the content the tag
// points to now? Registry digest (HEAD) vs the engine's RepoDigests and ID.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/inputs/reference_inputs.h"
#include "cli/output/compare_output.h"
#include "cli/output/count_text.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "cli/tags/compare_find_tags.h"
#include "client/engine/docker_engine_client.h"
#include "client/registry/image_describer.h"
#include "client/sys/parallel_for.h"
#include "common/engine/compare.h"
#include "common/registry/concurrency.h"

namespace regdigest {
namespace {

struct CompareOptions {
  std::vector<std::string> inputs;
  std::string file;
  int concurrency = 0;  // 0: the config's
  bool all = false;
  bool find_tags = false;  // --find-tags (cli/tags/compare_find_tags.h)
  OutputFormat format = OutputFormat::kText;
};

LocalFacts ToLocalFacts(const LocalImage& image, const EngineInfo& info) {
  LocalFacts facts;
  facts.id = image.id;
  facts.repo_digests = image.repo_digests;
  facts.store = info.store;
  facts.engine = info.kind;
  facts.engine_label = info.Label();
  if (Result<Digest> digest = Digest::Parse(image.digest); digest.ok()) {
    facts.engine_digest = *digest;
  }
  return facts;
}

// Podman names what it builds or tags without a registry "localhost/NAME":
// no registry holds it, so it is decided without a request.
bool IsPodmanLocalName(const Reference& reference, const EngineInfo& info) {
  return info.kind == EngineKind::kPodman && reference.domain() == "localhost";
}

void DecidePodmanLocalNames(std::vector<CompareJob>& jobs, const EngineInfo& info) {
  for (CompareJob& job : jobs) {
    if (!job.reference || !job.error.ok() || !IsPodmanLocalName(*job.reference, info)) continue;
    job.local_only = true;
    job.comparison.status = job.local ? CompareStatus::kUnknown : CompareStatus::kAbsent;
    job.comparison.explanation =
        job.local ? "localhost/ is how Podman names images built or tagged locally: no registry "
                    "holds " +
                        job.reference->FamiliarString() +
                        ", so there is nothing to compare with (no request was made)."
                  : "There is no local image " + job.reference->FamiliarString() +
                        ", and localhost/ names are Podman's local names: no registry holds it.";
  }
}

Reference PinnedTo(const Reference& reference, const Digest& digest) {
  return Reference::Parse(reference.Name() + "@" + digest.String()).value();
}

// The engine's facts about each reference the user named (--all jobs have them).
void InspectLocalImages(std::vector<CompareJob>& jobs, EngineClient& engine, const EngineInfo& info,
                        std::size_t workers) {
  ParallelFor(0, jobs.size(), workers, [&](std::size_t i) {
    CompareJob& job = jobs[i];
    if (!job.reference || job.local_known) return;
    Result<std::optional<LocalImage>> image = engine.InspectImage(job.reference->String());
    if (!image.ok()) {
      job.error = image.status();
    } else if (image->has_value()) {
      job.local = ToLocalFacts(**image, info);
    }
  });
}

// The registry side, HEAD only: one bulk run so tokens are fetched once per
// repository scope (client/registry/bulk_resolver.h).
void ResolveRegistryDigests(std::vector<CompareJob>& jobs, RegistrySession& session) {
  std::vector<Reference> references;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!jobs[i].reference || !jobs[i].error.ok() || jobs[i].local_only) continue;
    references.push_back(*jobs[i].reference);
    positions.push_back(i);
  }
  std::vector<Result<ManifestDescriptor>> heads = session.ResolveAll(references);
  for (std::size_t k = 0; k < heads.size(); ++k) {
    CompareJob& job = jobs[positions[k]];
    if (!heads[k].ok()) {
      job.error = heads[k].status();
      continue;
    }
    job.registry = RegistryFacts{*job.reference, heads[k]->digest, heads[k]->media_type};
  }
}

// Decides each comparison; fetches the manifest for the engine's platform and
// its config digest only when RepoDigests cannot decide (a GET phase: at most
// the registry's concurrency at a time per registry).
void DecideComparisons(std::vector<CompareJob>& jobs, RegistrySession& session,
                       const EngineInfo& info) {
  std::vector<const Reference*> references;
  for (const CompareJob& job : jobs) {
    references.push_back(job.registry && job.error.ok() && !job.local_only ? &*job.reference
                                                                           : nullptr);
  }
  session.ForEachByRegistry(references, [&](std::size_t i) {
    CompareJob& job = jobs[i];
    RegistryFacts& facts = *job.registry;
    if (NeedsConfigDigest(facts, job.local)) {
      ImageDescriber describer(session.client());
      Result<ImageDescription> described =
          describer.Describe(PinnedTo(*job.reference, facts.digest), info.platform);
      if (!described.ok()) {
        job.error = described.status();
        return;
      }
      if (!described->platforms.empty()) {
        const PlatformImage& image = described->platforms.front();
        if (described->is_index) facts.platform_digest = image.manifest_digest;
        facts.config_digest = image.config_digest;
      }
    }
    if (std::optional<Digest> listed = PodmanDigestToConfirm(facts, job.local)) {
      // One HEAD: does the repository have the manifest Podman lists?
      Result<ManifestDescriptor> head = session.client().Resolve(PinnedTo(*job.reference, *listed));
      if (head.ok()) {
        facts.pulled_digest_in_repository = true;
      } else if (head.status().code() == StatusCode::kNotFound) {
        facts.pulled_digest_in_repository = false;
      } else {
        job.error = head.status();
        return;
      }
    }
    job.comparison = Compare(facts, job.local);
  });
}

// --all: every tagged local image, with what the engine listed as local facts.
std::vector<CompareJob> JobsForAllImages(const std::vector<LocalImage>& images,
                                         const EngineInfo& info) {
  std::vector<CompareJob> jobs;
  for (const LocalImage& image : images) {
    for (const std::string& tag : image.repo_tags) {
      Result<Reference> parsed = Reference::Parse(tag);
      if (!parsed.ok()) continue;  // "<none>:<none>" and the like
      CompareJob job;
      job.input = tag;
      job.reference = parsed->WithDefaultTag();
      job.local = ToLocalFacts(image, info);
      job.local_known = true;
      jobs.push_back(std::move(job));
    }
  }
  std::sort(jobs.begin(), jobs.end(), [](const CompareJob& a, const CompareJob& b) {
    return a.reference->String() < b.reference->String();
  });
  return jobs;
}

int RunCompare(const GlobalOptions& globals, const CompareOptions& options) {
  const bool all = options.all;
  const OutputFormat format = options.format;
  if (all && (!options.inputs.empty() || !options.file.empty())) {
    PrintError("compare takes either references (REF... or --file FILE) or --all, not both");
    return kExitUsage;
  }
  if (!all && options.inputs.empty() && options.file.empty()) {
    PrintError("compare needs either references (REF... or --file FILE) or --all");
    return kExitUsage;
  }
  Result<std::vector<ReferenceInput>> inputs =
      GatherReferenceInputs(options.inputs, options.file, std::cin);
  if (!inputs.ok()) {
    PrintError(inputs.status().ToString());
    return ExitStatusFor(inputs.status().code());
  }
  if (!all && inputs->empty()) {
    PrintError(
        "no references to compare: " + std::string(options.file == "-" ? "stdin" : options.file) +
        " is empty (or has only comments and blank lines)");
    return kExitUsage;
  }
  Result<DockerHost> host = DockerEngineClient::HostFromEnvironment(globals.engine_host);
  if (!host.ok()) {
    PrintError(host.status().ToString());
    return kExitUsage;
  }
  std::unique_ptr<DockerEngineClient> engine = DockerEngineClient::Connect(*host);
  Result<EngineInfo> info = engine->Info();
  if (!info.ok()) {
    PrintError(info.status().ToString());
    return kExitFailure;
  }
  std::vector<CompareJob> jobs;
  if (all) {
    Result<std::vector<LocalImage>> images = engine->ListImages();
    if (!images.ok()) {
      PrintError(images.status().ToString());
      return kExitFailure;
    }
    jobs = JobsForAllImages(*images, *info);
  }
  for (ReferenceInput& input : *inputs) {
    CompareJob job;
    job.input = input.text;
    Result<Reference> parsed = input.Parse();
    if (parsed.ok()) {
      job.reference = parsed->WithDefaultTag();
    } else {
      job.error = parsed.status();
    }
    job.source = std::move(input);
    jobs.push_back(std::move(job));
  }
  Result<std::unique_ptr<RegistrySession>> session =
      RegistrySession::Open(globals, options.concurrency);
  if (!session.ok()) {
    PrintError(session.status().ToString());
    return ExitStatusFor(session.status().code());
  }
  // The engine is one server, not a registry: --concurrency, else the top level.
  const int engine_workers = RegistryConcurrency(options.concurrency, (*session)->config(), "");
  InspectLocalImages(jobs, *engine, *info, static_cast<std::size_t>(engine_workers));
  DecidePodmanLocalNames(jobs, *info);
  ResolveRegistryDigests(jobs, **session);
  DecideComparisons(jobs, **session, *info);

  int exit_status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const CompareJob& job : jobs) {
    exit_status = WorseExitStatus(exit_status, CompareJobExitStatus(job));
    if (format == OutputFormat::kJson) {
      results.push_back(CompareJobJson(job));
    } else if (!job.error.ok()) {
      PrintError(CompareJobError(job));
    } else {
      std::cout << CompareJobText(job);
    }
  }
  if (options.find_tags) {
    exit_status = WorseExitStatus(
        exit_status,
        ReportFoundTags(jobs, **session, format == OutputFormat::kJson ? &results : nullptr,
                        std::cout));
  }
  if (format == OutputFormat::kJson) std::cout << JsonText(results) << "\n";
  if (format == OutputFormat::kText && all) {
    const auto stale = std::count_if(jobs.begin(), jobs.end(), [](const CompareJob& j) {
      return j.error.ok() && j.comparison.status == CompareStatus::kStale;
    });
    std::cout << CountText(jobs.size(), "tagged image") << " checked, " << stale << " stale\n";
  }
  return exit_status;
}

}  // namespace

void AddCompareCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare what a tag points to in the registry with the local image in the Docker Engine: "
      "match, stale (the tag moved since you pulled), absent or unknown");
  command->add_option("REF", options->inputs, "Image references, e.g. jenkins/jenkins:centos7");
  AddReferenceFileOptions(*command, options->file, options->concurrency);
  command->add_flag("--all", options->all, "Check every tagged local image (concurrently)");
  command->add_flag("--find-tags", options->find_tags,
                    "For an unknown local image, list the tags of its repository that hold "
                    "its image ID");
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 all match; 1 any stale, absent or unknown; 3 an error prevented "
      "a decision.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunCompare(globals, *options); };
  });
}

}  // namespace regdigest
