// `regdigest resolve REF... [--file F] [--platform P]`: tag -> manifest digest
// with one HEAD request each, many references at once (client/bulk_resolver.h);
// with --platform, also the manifest digest of that platform.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/inputs/reference_inputs.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "cli/output/progress_line.h"
#include "client/engine/docker_engine_client.h"
#include "client/registry/image_describer.h"
#include "common/base/display_text.h"
#include "common/image/reference.h"
#include "common/registry/rate_limit.h"

namespace regdigest {
namespace {

struct ResolveOptions {
  std::vector<std::string> inputs;
  std::string file;
  std::string platform;
  int concurrency = 0;  // 0: the config's
  bool quiet = false;
  OutputFormat format = OutputFormat::kText;
};

struct Resolution {
  ReferenceInput input;
  std::optional<Reference> reference;  // with the default tag applied
  Result<ManifestDescriptor> result = Status(StatusCode::kUsage, "not resolved");
  std::optional<PlatformManifest> selected;  // with --platform, once result is ok
};

nlohmann::ordered_json ResolutionJson(const Resolution& r) {
  if (!r.result.ok()) {
    return {{"input", r.input.text}, {"error", r.input.ErrorText(r.result.status())}};
  }
  nlohmann::ordered_json json = {{"input", r.input.text},
                                 {"reference", r.reference->String()},
                                 {"digest", r.result->digest.String()},
                                 {"mediaType", r.result->media_type}};
  if (r.selected) {
    json["platform"] = r.selected->platform.String();
    json["platformDigest"] = r.selected->digest.String();
  }
  if (r.result->rate_limit) json["rateLimit"] = RateLimitJson(*r.result->rate_limit);
  return json;
}

// --platform: the GET of what each HEAD answered, by digest (the index or
// manifest cannot change between the two requests), at most the registry's
// concurrency at a time per registry.
void SelectPlatforms(std::vector<Resolution>& resolutions, RegistrySession& session,
                     const Platform& platform) {
  ImageDescriber describer(session.client());
  std::vector<const Reference*> references;
  for (const Resolution& r : resolutions) {
    references.push_back(r.reference && r.result.ok() ? &*r.reference : nullptr);
  }
  session.ForEachByRegistry(references, [&](std::size_t i) {
    Resolution& r = resolutions[i];
    Result<PlatformManifest> selected =
        describer.SelectPlatformManifest(*r.reference, r.result->digest, platform);
    if (selected.ok()) {
      r.selected = std::move(selected).value();
    } else {
      r.result = selected.status();
    }
  });
}

// References are resolved and printed this many at a time, so memory stays
// flat however long the input is; tokens and connections carry over between
// batches (the transport is shared), so batching costs no extra request.
constexpr std::size_t kBatchSize = 1000;

// One run over all the batches: the registry context (made when the first
// valid reference needs it), progress over the whole input, and the output.
struct ResolveRun {
  ResolveRun(const GlobalOptions& g, const ResolveOptions& o, const std::optional<Platform>& p)
      : globals(g), options(o), platform(p), progress(!o.quiet && ::isatty(STDERR_FILENO) == 1) {}
  const GlobalOptions& globals;
  const ResolveOptions& options;
  const std::optional<Platform>& platform;
  std::unique_ptr<RegistrySession> session;
  ProgressLine progress;
  std::size_t total = 0, done = 0, failed = 0;
  bool digest_alone = false;
  std::optional<JsonArrayWriter> json;
  int exit_status = kExitOk;
};

// Resolves the valid references of one batch (HEAD, bulk; then --platform).
Status ResolveBatch(ResolveRun& run, std::vector<Resolution>& batch) {
  std::vector<Reference> references;
  std::vector<std::size_t> positions;  // index in `batch` of each reference
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].reference) continue;
    references.push_back(*batch[i].reference);
    positions.push_back(i);
  }
  if (references.empty()) return Status::Ok();
  if (!run.session) {
    Result<std::unique_ptr<RegistrySession>> session =
        RegistrySession::Open(run.globals, run.options.concurrency);
    if (!session.ok()) return session.status();
    run.session = std::move(session).value();
  }
  std::vector<Result<ManifestDescriptor>> results = run.session->ResolveAll(
      references, [&run](std::size_t done, std::size_t, std::size_t failed) {
        run.progress.Update(run.done + done, run.total, run.failed + failed);
      });
  for (std::size_t k = 0; k < results.size(); ++k) {
    if (results[k].ok() && results[k]->rate_limit) {
      spdlog::debug("{}: rate limit: {}", references[k].String(),
                    DescribeRateLimit(*results[k]->rate_limit));
    }
    run.failed += results[k].ok() ? 0 : 1;
    batch[positions[k]].result = std::move(results[k]);
  }
  run.done += results.size();
  if (run.platform) SelectPlatforms(batch, *run.session, *run.platform);
  return Status::Ok();
}

void PrintResolution(ResolveRun& run, const Resolution& r) {
  run.exit_status = WorseExitStatus(run.exit_status, ExitStatusFor(r.result.status().code()));
  if (run.json) {
    run.json->Add(ResolutionJson(r));
  } else if (!r.result.ok()) {
    PrintError(r.input.ErrorText(r.result.status()));
  } else if (run.options.format == OutputFormat::kPinned) {
    // name:tag@digest, which `check --file` reads back. With --platform, the
    // platform's digest without the tag (the tag points to the index): check
    // then verifies that this digest still exists.
    if (r.selected) {
      std::cout << r.reference->Name() << "@" << r.selected->digest.String() << "\n";
    } else {
      const std::optional<std::string>& tag = r.reference->tag();
      std::cout << r.reference->Name() << (tag ? ":" + *tag : "") << "@"
                << r.result->digest.String() << "\n";
    }
  } else if (run.digest_alone) {
    // With --platform, the platform's manifest digest (what to pin for one architecture).
    std::cout << (r.selected ? r.selected->digest : r.result->digest).String() << "\n";
  } else if (r.selected) {
    std::cout << r.reference->String() << " " << DisplayText(r.selected->platform.String()) << " "
              << r.selected->digest.String() << "\n";
  } else {
    std::cout << r.reference->String() << " " << r.result->digest.String() << "\n";
  }
}

int RunResolve(const GlobalOptions& globals, const ResolveOptions& options) {
  if (options.inputs.empty() && options.file.empty()) {
    PrintError("resolve needs references (REF... or --file F)");
    return kExitUsage;
  }
  Result<std::optional<Platform>> platform_option =
      OptionalPlatformFromOption(options.platform, globals);
  if (!platform_option.ok()) {
    PrintError(platform_option.status().ToString());
    return ExitStatusFor(platform_option.status().code());
  }
  const std::optional<Platform>& platform = *platform_option;
  Result<std::vector<ReferenceInput>> inputs =
      GatherReferenceInputs(options.inputs, options.file, std::cin);
  if (!inputs.ok()) {
    PrintError(inputs.status().ToString());
    return ExitStatusFor(inputs.status().code());
  }
  if (inputs->empty()) {
    PrintError(
        "no references to resolve: " + std::string(options.file == "-" ? "stdin" : options.file) +
        " is empty (or has only comments and blank lines)");
    return kExitUsage;
  }
  ResolveRun run(globals, options, platform);
  run.total = inputs->size();
  // The digest alone for one REF argument, so d=$(regdigest resolve x) works;
  // "REFERENCE DIGEST" lines as soon as there are several or a --file.
  run.digest_alone = inputs->size() == 1 && options.file.empty();
  if (options.format == OutputFormat::kJson) run.json.emplace(std::cout);
  for (std::size_t start = 0; start < inputs->size(); start += kBatchSize) {
    const std::size_t end = std::min(start + kBatchSize, inputs->size());
    std::vector<Resolution> batch(end - start);
    for (std::size_t i = start; i < end; ++i) {
      Resolution& r = batch[i - start];
      Result<Reference> parsed = (*inputs)[i].Parse();
      if (parsed.ok()) {
        r.reference = parsed->WithDefaultTag();
      } else {
        r.result = parsed.status();
        ++run.done;
        ++run.failed;
      }
      r.input = std::move((*inputs)[i]);
    }
    if (Status status = ResolveBatch(run, batch); !status.ok()) {
      run.progress.Clear();
      PrintError(status.ToString());
      return ExitStatusFor(status.code());
    }
    run.progress.Clear();
    for (const Resolution& r : batch) PrintResolution(run, r);
    std::cout.flush();
  }
  if (run.json) run.json->Finish();
  return run.exit_status;
}

}  // namespace

Result<Platform> PlatformFromOption(const std::string& value, const GlobalOptions& globals) {
  if (value == "local") {
    Result<DockerHost> host = DockerEngineClient::HostFromEnvironment(globals.engine_host);
    if (!host.ok()) return Status(StatusCode::kUsage, host.status().message());
    Result<EngineInfo> info = DockerEngineClient::Connect(*host)->Info();
    if (!info.ok()) return info.status().WithContext("--platform local");
    return info->platform;
  }
  Result<Platform> platform = Platform::Parse(value);
  if (!platform.ok())
    return Status(StatusCode::kUsage, "--platform: " + platform.status().message());
  return platform;
}

Result<std::optional<Platform>> OptionalPlatformFromOption(const std::string& value,
                                                           const GlobalOptions& globals) {
  if (value.empty()) return std::optional<Platform>();
  Result<Platform> platform = PlatformFromOption(value, globals);
  if (!platform.ok()) return platform.status();
  return std::optional<Platform>(std::move(platform).value());
}

void AddResolveCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<ResolveOptions>();
  CLI::App* command = app.add_subcommand(
      "resolve",
      "Resolve tags to manifest digests with one HEAD request each (the tag defaults to "
      "latest), many at once. The digest is the registry's manifest or index digest, not the "
      "local image ID. With --platform, also GETs the index and prints that platform's "
      "manifest digest.");
  command->add_option("REF", options->inputs, "Image references, e.g. jenkins/jenkins:centos7");
  AddReferenceFileOptions(*command, options->file, options->concurrency);
  command->add_flag("-q,--quiet", options->quiet, "No progress line on stderr");
  AddPlatformOption(*command, options->platform, kPlatformOptionHelp);
  AddOutputOption(*command, options->format, /*pinned=*/true);
  command->footer(
      "Output: one REF argument prints its digest alone (with --platform, that platform's); "
      "several, or --file, print \"REFERENCE DIGEST\" lines (with --platform, \"REFERENCE "
      "PLATFORM DIGEST\"); -o pinned prints REF@DIGEST lines (with --platform, "
      "NAME@PLATFORM-DIGEST), which `regdigest check --file` reads back.\n"
      "Exit status: 0 all resolved; 2 an argument or --file line is not a valid reference "
      "(the others are still resolved); 3 a reference could not be resolved (wins over 2).");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunResolve(globals, *options); };
  });
}

void AddReferenceFileOptions(CLI::App& command, std::string& file, int& concurrency) {
  command
      .add_option("--file", file,
                  "Read references from FILE, one a line ('#' comments and blank lines "
                  "skipped; '-' for stdin), after the REF arguments")
      ->type_name("FILE");
  AddConcurrencyOption(command, concurrency);
}

}  // namespace regdigest
