// `regdigest referrers REF [--artifact-type T] [-o json]`: what is attached to
// the digest a reference points to, as a tree like `oras discover`: cosign's
// sha256-<hex>.sig/.att/.sbom tags and the OCI referrers (referrers API, or
// the sha256-<hex> fallback tag), grouped by artifact type.
#include <iostream>
#include <map>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/output/count_text.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "client/trust/attachments.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

struct ReferrersOptions {
  std::string input;
  std::string artifact_type;
  OutputFormat format = OutputFormat::kText;
};

std::string SourceText(const Attachments& a, const Digest& subject) {
  std::string text = a.referrers.source == ReferrersSource::kApi
                         ? "referrers API (" + std::to_string(a.referrers.pages) + " page" +
                               (a.referrers.pages == 1 ? "" : "s") + ")"
                         : "fallback tag " + DigestTag(subject) + " (no referrers API)";
  if (a.referrers.truncated) text += ", truncated at the cap";
  return text;
}

void PrintTree(const Reference& reference, const Digest& digest, const Attachments& a) {
  std::cout << DisplayText(reference.Name()) << "@" << digest.String() << "\n";
  // Children: cosign tags, then one node per artifact type.
  std::map<std::string, std::vector<const Referrer*>> by_type;
  for (const Referrer& r : a.referrers.referrers) {
    by_type[r.artifact_type.empty() ? r.descriptor.media_type : r.artifact_type].push_back(&r);
  }
  const std::size_t total = a.cosign_tags.size() + by_type.size();
  std::size_t n = 0;
  for (const CosignTagManifest& tag : a.cosign_tags) {
    const bool last = ++n == total;
    std::cout << (last ? "└── " : "├── ") << "cosign ." << CosignTagKind(tag) << "  " << tag.tag
              << "\n";
    std::cout << (last ? "    " : "│   ") << "└── " << tag.digest.String() << "  ("
              << (tag.is_index ? CountText(tag.index_entries, "index entry", "index entries")
                               : CountText(tag.layers.size(), "layer"))
              << ")\n";
  }
  for (const auto& [type, referrers] : by_type) {
    const bool last = ++n == total;
    std::cout << (last ? "└── " : "├── ") << DisplayText(type) << "\n";
    for (std::size_t i = 0; i < referrers.size(); ++i) {
      std::cout << (last ? "    " : "│   ") << (i + 1 == referrers.size() ? "└── " : "├── ")
                << referrers[i]->descriptor.digest.String() << "\n";
    }
  }
  if (total == 0) std::cout << "(nothing attached)\n";
  std::cout << "referrers from: " << SourceText(a, digest) << "\n";
}

nlohmann::ordered_json TreeJson(const std::string& input, const Reference& reference,
                                const Digest& digest, const Attachments& a) {
  nlohmann::ordered_json tags = nlohmann::ordered_json::array();
  for (const CosignTagManifest& tag : a.cosign_tags) {
    tags.push_back({{"kind", CosignTagKind(tag)},
                    {"tag", tag.tag},
                    {"digest", tag.digest.String()},
                    {"mediaType", tag.media_type},
                    {"layers", tag.layers.size()}});
  }
  nlohmann::ordered_json referrers = nlohmann::ordered_json::array();
  for (const Referrer& r : a.referrers.referrers) {
    nlohmann::ordered_json entry = {{"digest", r.descriptor.digest.String()},
                                    {"mediaType", r.descriptor.media_type},
                                    {"artifactType", r.artifact_type},
                                    {"size", r.descriptor.size}};
    if (!r.descriptor.annotations.empty()) entry["annotations"] = r.descriptor.annotations;
    referrers.push_back(std::move(entry));
  }
  return {{"input", input},
          {"reference", reference.String()},
          {"digest", digest.String()},
          {"cosignTags", std::move(tags)},
          {"referrers", std::move(referrers)},
          {"referrersSource", a.referrers.source == ReferrersSource::kApi ? "api" : "fallback-tag"},
          {"truncated", a.referrers.truncated}};
}

int RunReferrers(const GlobalOptions& globals, const ReferrersOptions& options) {
  Result<Reference> parsed = Reference::Parse(options.input);
  if (!parsed.ok()) {
    return PrintFailure(options.input, parsed.status().WithContext("\"" + options.input + "\""),
                        options.format);
  }
  const Reference reference = parsed->WithDefaultTag();
  Result<std::unique_ptr<RegistrySession>> session = RegistrySession::Open(globals);
  if (!session.ok()) return PrintFailure(options.input, session.status(), options.format);
  RegistryClient& client = (*session)->client();
  std::optional<Digest> digest = reference.digest();
  if (!digest) {
    Result<ManifestDescriptor> resolved = client.Resolve(reference);
    if (!resolved.ok()) return PrintFailure(options.input, resolved.status(), options.format);
    digest = resolved->digest;
  }
  Result<Attachments> attachments =
      ListAttachments(client, reference, *digest, options.artifact_type);
  if (!attachments.ok()) return PrintFailure(options.input, attachments.status(), options.format);
  if (options.format == OutputFormat::kJson) {
    std::cout << JsonText(TreeJson(options.input, reference, *digest, *attachments)) << "\n";
  } else {
    PrintTree(reference, *digest, *attachments);
  }
  return kExitOk;
}

}  // namespace

void AddReferrersCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<ReferrersOptions>();
  CLI::App* command = app.add_subcommand(
      "referrers",
      "Show what is attached to an image (signatures, attestations, SBOMs): cosign's "
      "sha256-<hex>.sig/.att/.sbom tags and OCI referrers (the referrers API, or the "
      "sha256-<hex> fallback tag), as a tree like `oras discover`.");
  command->add_option("REF", options->input, "Image reference (tag or @digest)")->required();
  command->add_option("--artifact-type", options->artifact_type,
                      "Only referrers of this artifact type (cosign tags are then not shown)");
  AddOutputOption(*command, options->format);
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunReferrers(globals, *options); };
  });
}

}  // namespace regdigest
