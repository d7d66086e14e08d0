// `regdigest compare REF... | --all`: is the local image the content the tag
// points to now? Registry digest (HEAD) vs the engine's RepoDigests and ID.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/inputs/reference_inputs.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "client/engine/docker_engine_client.h"
#include "client/registry/bulk_resolver.h"
#include "client/registry/image_describer.h"
#include "client/registry/registry_client.h"
#include "client/sys/parallel_for.h"
#include "common/engine/compare.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

struct CompareOptions {
  std::vector<std::string> inputs;
  std::string file;
  int concurrency = 0;  // 0: the config's
  bool all = false;
  OutputFormat format = OutputFormat::kText;
};

struct CompareJob {
  std::string input;
  ReferenceInput source;  // where `input` came from (for error messages)
  std::optional<Reference> reference;
  std::optional<LocalFacts> local;  // filled up front for --all
  bool local_known = false;
  // Results:
  Status error;
  std::optional<RegistryFacts> registry;
  Comparison comparison;
};

LocalFacts ToLocalFacts(const LocalImage& image, ImageStore store) {
  return LocalFacts{image.id, image.repo_digests, store};
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
      job.local = ToLocalFacts(**image, info.store);
    }
  });
}

// The registry side, HEAD only: one bulk run so tokens are fetched once per
// repository scope (client/bulk_resolver.h).
void ResolveRegistryDigests(std::vector<CompareJob>& jobs, const RegistryContext& context,
                            RegistryClient& client, int concurrency) {
  std::vector<Reference> references;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!jobs[i].reference || !jobs[i].error.ok()) continue;
    references.push_back(*jobs[i].reference);
    positions.push_back(i);
  }
  BulkResolverOptions bulk_options;
  bulk_options.concurrency = concurrency;
  BulkResolver resolver(client, context.config, context.auth, std::move(bulk_options));
  std::vector<Result<ManifestDescriptor>> heads = resolver.ResolveAll(references);
  for (std::size_t k = 0; k < heads.size(); ++k) {
    CompareJob& job = jobs[positions[k]];
    if (!heads[k].ok()) {
      job.error = heads[k].status();
      continue;
    }
    job.registry = RegistryFacts{*job.reference, heads[k]->digest, heads[k]->media_type,
                                 std::nullopt, std::nullopt};
  }
}

// Decides each comparison; fetches the manifest for the engine's platform and
// its config digest only when RepoDigests cannot decide.
void DecideComparisons(std::vector<CompareJob>& jobs, RegistryClient& client,
                       const EngineInfo& info, std::size_t workers) {
  ParallelFor(0, jobs.size(), workers, [&](std::size_t i) {
    CompareJob& job = jobs[i];
    if (!job.registry || !job.error.ok()) return;
    RegistryFacts& facts = *job.registry;
    if (NeedsConfigDigest(facts, job.local)) {
      ImageDescriber describer(client);
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
    job.comparison = Compare(facts, job.local);
  });
}

nlohmann::ordered_json OptionalDigest(const std::optional<Digest>& digest) {
  return digest ? nlohmann::ordered_json(digest->String()) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json JobJson(const CompareJob& job) {
  if (!job.error.ok()) return {{"input", job.input}, {"error", job.source.ErrorText(job.error)}};
  nlohmann::ordered_json local = nullptr;
  if (job.local) {
    local = {{"id", job.local->id},
             {"repoDigests", job.local->repo_digests},
             {"store", ImageStoreName(job.local->store)}};
  }
  return {{"input", job.input},
          {"reference", job.reference->String()},
          {"status", CompareStatusName(job.comparison.status)},
          {"rule", MatchRuleName(job.comparison.rule)},
          {"registry",
           {{"digest", job.registry->digest.String()},
            {"mediaType", job.registry->media_type},
            {"platformDigest", OptionalDigest(job.registry->platform_digest)},
            {"configDigest", OptionalDigest(job.registry->config_digest)}}},
          {"local", local},
          {"explanation", job.comparison.explanation}};
}

void PrintJobText(const CompareJob& job) {
  if (!job.error.ok()) {
    PrintError(job.source.ErrorText(job.error));
    return;
  }
  std::string status(CompareStatusName(job.comparison.status));
  status.resize(8, ' ');
  std::cout << status << job.reference->String();
  if (job.comparison.rule != MatchRule::kNone) {
    std::cout << "  (rule: " << MatchRuleName(job.comparison.rule) << ")";
  }
  std::cout << "\n        registry: " << job.registry->digest.String() << " ("
            << MediaTypeShortName(job.registry->media_type) << ")";
  if (job.registry->platform_digest) {
    std::cout << ", platform manifest " << job.registry->platform_digest->String();
  }
  if (job.registry->config_digest) {
    std::cout << ", config " << job.registry->config_digest->String();
  }
  if (job.local) {
    std::cout << "\n        local:    image ID " << job.local->id << " ("
              << ImageStoreName(job.local->store) << " store)";
    for (const std::string& pulled : job.local->repo_digests) {
      std::cout << "\n                  pulled as " << pulled;
    }
  }
  std::cout << "\n        " << job.comparison.explanation << "\n";
}

int JobExitStatus(const CompareJob& job) {
  if (!job.error.ok()) return ExitStatusFor(job.error.code());
  return job.comparison.status == CompareStatus::kMatch ? kExitOk : kExitDrift;
}

// --all: every tagged local image, with what the engine listed as local facts.
std::vector<CompareJob> JobsForAllImages(const std::vector<LocalImage>& images, ImageStore store) {
  std::vector<CompareJob> jobs;
  for (const LocalImage& image : images) {
    for (const std::string& tag : image.repo_tags) {
      Result<Reference> parsed = Reference::Parse(tag);
      if (!parsed.ok()) continue;  // "<none>:<none>" and the like
      CompareJob job;
      job.input = tag;
      job.reference = parsed->WithDefaultTag();
      job.local = ToLocalFacts(image, store);
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
  if (all == (!options.inputs.empty() || !options.file.empty())) {
    PrintError("compare needs either references (REF... or --file F) or --all");
    return kExitUsage;
  }
  Result<std::vector<ReferenceInput>> inputs =
      GatherReferenceInputs(options.inputs, options.file, std::cin);
  if (!inputs.ok()) {
    PrintError(inputs.status().ToString());
    return ExitStatusFor(inputs.status().code());
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
    jobs = JobsForAllImages(*images, info->store);
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
  Result<RegistryContext> context = MakeRegistryContext(globals);
  if (!context.ok()) {
    PrintError(context.status().ToString());
    return ExitStatusFor(context.status().code());
  }
  RegistryClient client(context->transport, context->config);
  const int concurrency =
      options.concurrency > 0 ? options.concurrency : context->config.concurrency;
  const auto workers = static_cast<std::size_t>(std::max(concurrency, 1));
  InspectLocalImages(jobs, *engine, *info, workers);
  ResolveRegistryDigests(jobs, *context, client, options.concurrency);
  DecideComparisons(jobs, client, *info, workers);

  int exit_status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const CompareJob& job : jobs) {
    exit_status = WorseExitStatus(exit_status, JobExitStatus(job));
    if (format == OutputFormat::kJson) {
      results.push_back(JobJson(job));
    } else {
      PrintJobText(job);
    }
  }
  if (format == OutputFormat::kJson) std::cout << JsonText(results) << "\n";
  if (format == OutputFormat::kText && all) {
    const auto stale = std::count_if(jobs.begin(), jobs.end(), [](const CompareJob& j) {
      return j.error.ok() && j.comparison.status == CompareStatus::kStale;
    });
    std::cout << jobs.size() << " tagged image(s) checked, " << stale << " stale\n";
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
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 all match; 1 any stale, absent or unknown; 3 an error prevented "
      "a decision.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunCompare(globals, *options); };
  });
}

}  // namespace regdigest
