// `regdigest resolve REF... [--platform P]`: tag -> manifest digest with one
// HEAD request; with --platform, also the manifest digest of that platform.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "client/docker_engine_client.h"
#include "client/image_describer.h"
#include "client/registry_client.h"
#include "common/reference.h"

namespace regdigest {
namespace {

struct Resolution {
  std::string input;
  std::optional<Reference> reference;  // with the default tag applied
  Result<ManifestDescriptor> result = Status(StatusCode::kUsage, "not resolved");
  std::optional<PlatformManifest> selected;  // with --platform, once result is ok
};

nlohmann::ordered_json ResolutionJson(const Resolution& r) {
  if (!r.result.ok()) return {{"input", r.input}, {"error", r.result.status().ToString()}};
  nlohmann::ordered_json json = {{"input", r.input},
                                 {"reference", r.reference->String()},
                                 {"digest", r.result->digest.String()},
                                 {"mediaType", r.result->media_type}};
  if (r.selected) {
    json["platform"] = r.selected->platform.String();
    json["platformDigest"] = r.selected->digest.String();
  }
  return json;
}

int RunResolve(const GlobalOptions& globals, const std::vector<std::string>& inputs,
               const std::string& platform_option, OutputFormat format) {
  std::optional<Platform> platform;
  if (!platform_option.empty()) {
    Result<Platform> parsed = PlatformFromOption(platform_option, globals);
    if (!parsed.ok()) {
      PrintError(parsed.status().ToString());
      return ExitStatusFor(parsed.status().code());
    }
    platform = std::move(parsed).value();
  }
  std::vector<Resolution> resolutions;
  bool any_valid = false;
  for (const std::string& input : inputs) {
    Resolution r;
    r.input = input;
    Result<Reference> parsed = Reference::Parse(input);
    if (parsed.ok()) {
      r.reference = parsed->WithDefaultTag();
      any_valid = true;
    } else {
      r.result = Status(parsed.status().code(), "\"" + input + "\": " + parsed.status().message());
    }
    resolutions.push_back(std::move(r));
  }

  if (any_valid) {
    Result<RegistryContext> context = MakeRegistryContext(globals);
    if (!context.ok()) {
      PrintError(context.status().ToString());
      return ExitStatusFor(context.status().code());
    }
    RegistryClient client(context->transport, context->config);
    ImageDescriber describer(client);
    for (Resolution& r : resolutions) {
      if (!r.reference) continue;
      r.result = client.Resolve(*r.reference);
      if (!r.result.ok() || !platform) continue;
      // The GET of what the HEAD answered, by digest: the index (or manifest) cannot
      // change between the two requests.
      Result<PlatformManifest> selected =
          describer.SelectPlatformManifest(*r.reference, r.result->digest, *platform);
      if (selected.ok()) {
        r.selected = std::move(selected).value();
      } else {
        r.result = selected.status();
      }
    }
  }

  int exit_status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const Resolution& r : resolutions) {
    exit_status = WorseExitStatus(exit_status, ExitStatusFor(r.result.status().code()));
    if (format == OutputFormat::kJson) {
      results.push_back(ResolutionJson(r));
    } else if (!r.result.ok()) {
      PrintError(r.result.status().ToString());
    } else if (resolutions.size() == 1) {
      // The digest alone, so d=$(regdigest resolve x) works; with --platform, the
      // platform's manifest digest (what to pin for one architecture).
      std::cout << (r.selected ? r.selected->digest : r.result->digest).String() << "\n";
    } else if (r.selected) {
      std::cout << r.reference->String() << " " << r.selected->platform.String() << " "
                << r.selected->digest.String() << "\n";
    } else {
      std::cout << r.reference->String() << " " << r.result->digest.String() << "\n";
    }
  }
  if (format == OutputFormat::kJson) std::cout << results.dump(2) << "\n";
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
  struct Options {
    std::vector<std::string> inputs;
    std::string platform;
    OutputFormat format = OutputFormat::kText;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "resolve",
      "Resolve tags to manifest digests with one HEAD request each (the tag defaults to "
      "latest). The digest is the registry's manifest or index digest, not the local image ID. "
      "With --platform, also GETs the index and prints that platform's manifest digest.");
  command->add_option("REF", options->inputs, "Image references, e.g. jenkins/jenkins:centos7")
      ->required();
  command->add_option("--platform", options->platform, kPlatformOptionHelp);
  AddOutputOption(*command, options->format);
  command->callback([options, &globals, &run] {
    run = [options, &globals] {
      return RunResolve(globals, options->inputs, options->platform, options->format);
    };
  });
}

}  // namespace regdigest
