// `regdigest resolve REF...`: tag -> manifest digest with one HEAD request.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_status.h"
#include "client/registry_client.h"
#include "common/reference.h"

namespace regdigest {
namespace {

struct Resolution {
  std::string input;
  std::optional<Reference> reference;  // with the default tag applied
  Result<ManifestDescriptor> result = Status(StatusCode::kUsage, "not resolved");
};

nlohmann::ordered_json ResolutionJson(const Resolution& r) {
  if (!r.result.ok()) return {{"input", r.input}, {"error", r.result.status().ToString()}};
  return {{"input", r.input},
          {"reference", r.reference->String()},
          {"digest", r.result->digest.String()},
          {"mediaType", r.result->media_type}};
}

int RunResolve(const GlobalOptions& globals, const std::vector<std::string>& inputs,
               OutputFormat format) {
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
    for (Resolution& r : resolutions) {
      if (r.reference) r.result = client.Resolve(*r.reference);
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
      std::cout << r.result->digest.String() << "\n";  // so d=$(regdigest resolve x) works
    } else {
      std::cout << r.reference->String() << " " << r.result->digest.String() << "\n";
    }
  }
  if (format == OutputFormat::kJson) std::cout << results.dump(2) << "\n";
  return exit_status;
}

}  // namespace

void AddResolveCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  struct Options {
    std::vector<std::string> inputs;
    OutputFormat format = OutputFormat::kText;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "resolve",
      "Resolve tags to manifest digests with one HEAD request each (the tag defaults to "
      "latest). The digest is the registry's manifest or index digest, not the local image ID.");
  command->add_option("REF", options->inputs, "Image references, e.g. jenkins/jenkins:centos7")
      ->required();
  AddOutputOption(*command, options->format);
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunResolve(globals, options->inputs, options->format); };
  });
}

}  // namespace regdigest
