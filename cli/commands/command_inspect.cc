// `regdigest inspect REF [--platform P]`: what a tag points to in the
// registry, as a tree (index -> platform manifests -> configs) that says which
// digest is which and which one `docker images` shows as the image ID.
#include <iostream>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/output/exit_status.h"
#include "cli/output/inspect_output.h"
#include "cli/output/json_output.h"
#include "client/registry/image_describer.h"
#include "client/trust/attachments.h"
#include "common/base/display_text.h"
#include "common/image/reference.h"

namespace regdigest {
namespace {

int RunInspect(const GlobalOptions& globals, const std::string& input,
               const std::string& platform_option, OutputFormat format) {
  Result<Reference> reference = Reference::Parse(input);
  if (!reference.ok()) {
    return PrintFailure(input, reference.status().WithContext(Quoted(input)), format);
  }
  std::optional<Platform> platform;
  if (!platform_option.empty()) {
    Result<Platform> parsed = PlatformFromOption(platform_option, globals);
    if (!parsed.ok()) return PrintFailure(input, parsed.status(), format);
    platform = std::move(parsed).value();
  }
  Result<std::unique_ptr<RegistrySession>> session = RegistrySession::Open(globals);
  if (!session.ok()) return PrintFailure(input, session.status(), format);
  RegistryClient& client = (*session)->client();
  ImageDescriber describer(client);
  Result<ImageDescription> description = describer.Describe(*reference, platform);
  if (!description.ok()) return PrintFailure(input, description.status(), format);

  // What is attached (signatures, attestations), counted; no key needed. A
  // failed lookup does not fail inspect: the line says why.
  Result<Attachments> attached =
      ListAttachments(client, description->reference, description->digest);
  if (format == OutputFormat::kJson) {
    nlohmann::ordered_json json = DescriptionJson(*description);
    json["attached"] = attached.ok() ? nlohmann::ordered_json(AttachmentsSummary(*attached))
                                     : nlohmann::ordered_json(nullptr);
    if (!attached.ok()) json["attachedError"] = attached.status().ToString();
    std::cout << JsonText(json) << "\n";
    return kExitOk;
  }
  std::cout << DescriptionText(*description);
  std::cout << "attached: "
            << (attached.ok() ? AttachmentsSummary(*attached)
                              : "unknown (" + DisplayText(attached.status().ToString()) + ")")
            << "  (signatures and attestations; `regdigest referrers` lists them)\n";
  return kExitOk;
}

}  // namespace

void AddInspectCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  struct Options {
    std::string input;
    std::string platform;
    OutputFormat format = OutputFormat::kText;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "inspect",
      "Show what a tag points to: the index (manifest list), each platform's manifest, and "
      "its config digest, which is the image ID a classic Docker engine shows. Every "
      "document is fetched with GET and verified against its digest.");
  command->add_option("REF", options->input, "Image reference, e.g. jenkins/jenkins:centos7")
      ->required();
  AddPlatformOption(*command, options->platform,
                    std::string(kPlatformOptionHelp) + "; only that platform is described");
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 described; 2 usage error, invalid reference or --platform; 3 not found "
      "(the tag, repository or platform), or any other failure (network, auth, a document "
      "that does not match its digest, the engine unreachable for --platform local).");
  command->callback([options, &globals, &run] {
    run = [options, &globals] {
      return RunInspect(globals, options->input, options->platform, options->format);
    };
  });
}

}  // namespace regdigest
