// `regdigest ref REF...`: parse and normalise references, no network.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "common/base/display_text.h"
#include "common/image/reference.h"

namespace regdigest {
namespace {

nlohmann::ordered_json RefJson(const std::string& input, const Result<Reference>& parsed) {
  if (!parsed.ok()) return {{"input", input}, {"error", parsed.status().ToString()}};
  const Reference& ref = *parsed;
  nlohmann::ordered_json out = {
      {"input", input}, {"name", ref.Name()}, {"domain", ref.domain()},        {"path", ref.path()},
      {"tag", nullptr}, {"digest", nullptr},  {"familiar", ref.FamiliarName()}};
  if (ref.tag()) out["tag"] = *ref.tag();
  if (ref.digest()) out["digest"] = ref.digest()->String();
  return out;
}

void PrintRefText(const std::string& input, const Reference& ref) {
  std::cout << DisplayText(input) << "\n"
            << "  name:      " << ref.Name() << "\n"
            << "  domain:    " << ref.domain() << "\n"
            << "  path:      " << ref.path() << "\n"
            << "  tag:       "
            << (ref.tag() ? *ref.tag()
                          : (ref.digest() ? "(none)" : "(none; \"latest\" is implied)"))
            << "\n"
            << "  digest:    " << (ref.digest() ? ref.digest()->String() : "(none)") << "\n"
            << "  familiar:  " << ref.FamiliarString() << "\n"
            << "  canonical: " << ref.WithDefaultTag().String() << "\n";
}

int RunRef(const std::vector<std::string>& inputs, OutputFormat format) {
  int exit_status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const std::string& input : inputs) {
    Result<Reference> parsed = Reference::Parse(input);
    if (!parsed.ok()) {
      exit_status = WorseExitStatus(exit_status, ExitStatusFor(parsed.status().code()));
      if (format == OutputFormat::kText) {
        PrintError(Quoted(input) + ": " + parsed.status().ToString());
      }
    } else if (format == OutputFormat::kText) {
      PrintRefText(input, *parsed);
    }
    if (format == OutputFormat::kJson) results.push_back(RefJson(input, parsed));
  }
  if (format == OutputFormat::kJson) std::cout << JsonText(results) << "\n";
  return exit_status;
}

}  // namespace

void AddOutputOption(CLI::App& command, OutputFormat& format, bool pinned) {
  command
      .add_option_function<std::string>(
          "-o,--output",
          [&format](const std::string& value) {
            format = value == "json"     ? OutputFormat::kJson
                     : value == "pinned" ? OutputFormat::kPinned
                                         : OutputFormat::kText;
          },
          pinned ? "Output format: text (for people, default), json (for scripts) or pinned "
                   "(REF@DIGEST lines, which `regdigest check --file` reads back)"
                 : "Output format: text (for people, default) or json (for scripts)")
      ->type_name(pinned ? "text|json|pinned" : "text|json")
      ->check(pinned ? CLI::IsMember({"text", "json", "pinned"}) : CLI::IsMember({"text", "json"}));
}

int PrintFailure(const std::string& input, const Status& status, OutputFormat format) {
  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json json = {{"input", input}, {"error", status.ToString()}};
    std::cout << JsonText(json) << "\n";
  } else {
    PrintError(status.ToString());
  }
  return ExitStatusFor(status.code());
}

void AddReportOutputOption(CLI::App& command, ReportFormat& format) {
  command
      .add_option_function<std::string>(
          "-o,--output",
          [&format](const std::string& value) {
            if (value == "json") {
              format = ReportFormat::kJson;
            } else if (value == "junit") {
              format = ReportFormat::kJunit;
            } else if (value == "github") {
              format = ReportFormat::kGithub;
            } else {
              format = ReportFormat::kText;
            }
          },
          "Output format: text (default), json, junit (JUnit XML for CI test reports) or "
          "github (GitHub Actions ::error annotations)")
      ->type_name("text|json|junit|github")
      ->check(CLI::IsMember({"text", "json", "junit", "github"}));
}

void AddRefCommand(CLI::App& app, CommandRunner& run) {
  struct Options {
    std::vector<std::string> inputs;
    OutputFormat format = OutputFormat::kText;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("ref",
                         "Parse and normalise image references (no network), e.g. ubuntu -> "
                         "docker.io/library/ubuntu");
  command->add_option("REF", options->inputs, "Image references")->required();
  AddOutputOption(*command, options->format);
  command->footer("Exit status: 0 every reference parsed; 2 a reference is invalid.");
  command->callback(
      [options, &run] { run = [options] { return RunRef(options->inputs, options->format); }; });
}

}  // namespace regdigest
