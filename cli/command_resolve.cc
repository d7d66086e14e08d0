// `regdigest resolve REF... [--file F] [--platform P]`: tag -> manifest digest
// with one HEAD request each, many references at once (client/bulk_resolver.h);
// with --platform, also the manifest digest of that platform.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "client/auth_transport.h"
#include "client/bulk_resolver.h"
#include "client/docker_engine_client.h"
#include "client/image_describer.h"
#include "client/parallel_for.h"
#include "client/reference_inputs.h"
#include "client/registry_client.h"
#include "common/reference.h"

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
  return json;
}

// "resolved 120/500 (35.2/s), 2 failed" on one stderr line, rewritten in place
// at most every 100 ms and cleared by Finish(). Silent when disabled.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void Update(std::size_t done, std::size_t total, std::size_t failed) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    std::fprintf(stderr, "\rresolved %zu/%zu (%.1f/s), %zu failed\033[K", done, total, rate,
                 failed);
    std::fflush(stderr);
    shown_ = true;
  }
  void Finish() {
    if (!shown_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_{};
};

// --platform: the GET of what each HEAD answered, by digest (the index or
// manifest cannot change between the two requests), `workers` at a time.
void SelectPlatforms(std::vector<Resolution>& resolutions, RegistryClient& client,
                     const Platform& platform, int workers) {
  ImageDescriber describer(client);
  ParallelFor(0, resolutions.size(), static_cast<std::size_t>(std::max(workers, 1)),
              [&](std::size_t i) {
                Resolution& r = resolutions[i];
                if (!r.reference || !r.result.ok()) return;
                Result<PlatformManifest> selected =
                    describer.SelectPlatformManifest(*r.reference, r.result->digest, platform);
                if (selected.ok()) {
                  r.selected = std::move(selected).value();
                } else {
                  r.result = selected.status();
                }
              });
}

void ResolveReferences(std::vector<Resolution>& resolutions, const RegistryContext& context,
                       const ResolveOptions& options, const std::optional<Platform>& platform) {
  RegistryClient client(context.transport, context.config);
  std::vector<Reference> references;
  std::vector<std::size_t> positions;  // index in `resolutions` of each reference
  for (std::size_t i = 0; i < resolutions.size(); ++i) {
    if (!resolutions[i].reference) continue;
    references.push_back(*resolutions[i].reference);
    positions.push_back(i);
  }
  ProgressLine progress(!options.quiet && ::isatty(STDERR_FILENO) == 1);
  BulkResolverOptions bulk_options;
  bulk_options.concurrency = options.concurrency;
  bulk_options.progress = [&progress](std::size_t done, std::size_t total, std::size_t failed) {
    progress.Update(done, total, failed);
  };
  BulkResolver resolver(client, context.config, context.auth, std::move(bulk_options));
  std::vector<Result<ManifestDescriptor>> results = resolver.ResolveAll(references);
  progress.Finish();
  for (std::size_t k = 0; k < results.size(); ++k) {
    resolutions[positions[k]].result = std::move(results[k]);
  }
  if (platform) {
    SelectPlatforms(resolutions, client, *platform,
                    options.concurrency > 0 ? options.concurrency : context.config.concurrency);
  }
}

int RunResolve(const GlobalOptions& globals, const ResolveOptions& options) {
  if (options.inputs.empty() && options.file.empty()) {
    PrintError("resolve needs references (REF... or --file F)");
    return kExitUsage;
  }
  std::optional<Platform> platform;
  if (!options.platform.empty()) {
    Result<Platform> parsed = PlatformFromOption(options.platform, globals);
    if (!parsed.ok()) {
      PrintError(parsed.status().ToString());
      return ExitStatusFor(parsed.status().code());
    }
    platform = std::move(parsed).value();
  }
  Result<std::vector<ReferenceInput>> inputs =
      GatherReferenceInputs(options.inputs, options.file, std::cin);
  if (!inputs.ok()) {
    PrintError(inputs.status().ToString());
    return ExitStatusFor(inputs.status().code());
  }
  std::vector<Resolution> resolutions;
  resolutions.reserve(inputs->size());
  bool any_valid = false;
  for (ReferenceInput& input : *inputs) {
    Resolution r;
    Result<Reference> parsed = input.Parse();
    if (parsed.ok()) {
      r.reference = parsed->WithDefaultTag();
      any_valid = true;
    } else {
      r.result = parsed.status();
    }
    r.input = std::move(input);
    resolutions.push_back(std::move(r));
  }
  inputs->clear();

  if (any_valid) {
    Result<RegistryContext> context = MakeRegistryContext(globals);
    if (!context.ok()) {
      PrintError(context.status().ToString());
      return ExitStatusFor(context.status().code());
    }
    ResolveReferences(resolutions, *context, options, platform);
  }

  // The digest alone for one REF argument, so d=$(regdigest resolve x) works;
  // "REFERENCE DIGEST" lines as soon as there are several or a --file.
  const bool digest_alone = resolutions.size() == 1 && options.file.empty();
  int exit_status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Resolution& r : resolutions) {
    exit_status = WorseExitStatus(exit_status, ExitStatusFor(r.result.status().code()));
    if (options.format == OutputFormat::kJson) {
      results.push_back(ResolutionJson(r));
    } else if (!r.result.ok()) {
      PrintError(r.input.ErrorText(r.result.status()));
    } else if (digest_alone) {
      // With --platform, the platform's manifest digest (what to pin for one architecture).
      std::cout << (r.selected ? r.selected->digest : r.result->digest).String() << "\n";
    } else if (r.selected) {
      std::cout << r.reference->String() << " " << r.selected->platform.String() << " "
                << r.selected->digest.String() << "\n";
    } else {
      std::cout << r.reference->String() << " " << r.result->digest.String() << "\n";
    }
  }
  if (options.format == OutputFormat::kJson) std::cout << results.dump(2) << "\n";
  return exit_status;
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
  command->add_option("--platform", options->platform, kPlatformOptionHelp);
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 all resolved; 2 an argument or --file line is not a valid reference "
      "(the others are still resolved); 3 a reference could not be resolved (wins over 2).");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunResolve(globals, *options); };
  });
}

void AddReferenceFileOptions(CLI::App& command, std::string& file, int& concurrency) {
  command.add_option("--file", file,
                     "Read references from F, one a line ('#' comments and blank lines "
                     "skipped; '-' for stdin), after the REF arguments");
  command
      .add_option("--concurrency", concurrency,
                  "Requests in flight at once per registry (1-64; default: the config "
                  "file's \"concurrency\", else 8)")
      ->check(CLI::Range(1, kMaxConcurrency));
}

}  // namespace regdigest
