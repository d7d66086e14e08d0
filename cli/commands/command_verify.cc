// `regdigest verify REF... --key FILE [--key FILE...] [--annotation k=v]
// [--match-reference] [--rekor-key FILE] [-o json]`: resolves each reference
// (REF@DIGEST costs no request), finds its signatures (cosign's .sig tag, then
// sigstore bundle referrers) and verifies them with the given keys.
// Exit status: 0 all verified; 1 any unverified; 2 usage, invalid reference or
// key file; 3 an error prevented a decision.
#include <iostream>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/inputs/reference_inputs.h"
#include "cli/lock/signing_keys.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "cli/output/verify_output.h"
#include "client/trust/image_verifier.h"

namespace regdigest {
namespace {

struct VerifyOptions {
  std::vector<std::string> inputs;
  KeyOptions keys;
  OutputFormat format = OutputFormat::kText;
};

struct Target {
  ReferenceInput input;
  std::optional<Reference> reference;  // with the default tag, when valid
  Result<ImageVerification> result = Status(StatusCode::kUsage, "not verified");
};

int ExitFor(const Target& target) {
  if (!target.result.ok()) return ExitStatusFor(target.result.status().code());
  return target.result->verified ? kExitOk : kExitDrift;
}

// Digests: from REF@DIGEST as given, else one HEAD each (bulk).
void ResolveDigests(std::vector<Target>& targets, RegistrySession& session,
                    std::vector<std::optional<Digest>>& digests) {
  std::vector<Reference> to_resolve;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!targets[i].reference) continue;
    if (targets[i].reference->digest()) {
      digests[i] = targets[i].reference->digest();
    } else {
      to_resolve.push_back(*targets[i].reference);
      positions.push_back(i);
    }
  }
  if (to_resolve.empty()) return;
  std::vector<Result<ManifestDescriptor>> resolved = session.ResolveAll(to_resolve);
  for (std::size_t k = 0; k < resolved.size(); ++k) {
    if (resolved[k].ok()) {
      digests[positions[k]] = resolved[k]->digest;
    } else {
      targets[positions[k]].result = resolved[k].status();
    }
  }
}

int RunVerify(const GlobalOptions& globals, const VerifyOptions& options) {
  Result<std::optional<VerifyPolicy>> policy = PolicyFromKeyOptions(options.keys);
  if (!policy.ok()) return PrintFailure("--key", policy.status(), OutputFormat::kText);
  if (!policy->has_value()) {
    PrintError("verify needs at least one --key FILE");
    return kExitUsage;
  }
  std::vector<Target> targets;
  for (const std::string& text : options.inputs) {
    Target target{ReferenceInput{text, "", 0}, std::nullopt,
                  Status(StatusCode::kUsage, "not verified")};
    Result<Reference> parsed = target.input.Parse();
    if (parsed.ok()) {
      target.reference = parsed->WithDefaultTag();
    } else {
      target.result = parsed.status();
    }
    targets.push_back(std::move(target));
  }
  std::unique_ptr<RegistrySession> session;
  bool any_valid = false;
  for (const Target& t : targets) any_valid = any_valid || t.reference.has_value();
  if (any_valid) {
    Result<std::unique_ptr<RegistrySession>> opened = RegistrySession::Open(globals);
    if (!opened.ok()) return PrintFailure("", opened.status(), OutputFormat::kText);
    session = std::move(opened).value();
    std::vector<std::optional<Digest>> digests(targets.size());
    ResolveDigests(targets, *session, digests);
    std::vector<const Reference*> work;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      work.push_back(digests[i] ? &*targets[i].reference : nullptr);
    }
    session->ForEachByRegistry(work, [&](std::size_t i) {
      VerifyPolicy for_this = **policy;
      if (options.keys.match_reference) for_this.required_repository = targets[i].reference->Name();
      targets[i].result =
          VerifyImage(session->client(), *targets[i].reference, *digests[i], for_this);
    });
  }
  int exit_status = kExitOk;
  std::optional<JsonArrayWriter> json;
  if (options.format == OutputFormat::kJson) json.emplace(std::cout);
  for (const Target& t : targets) {
    exit_status = WorseExitStatus(exit_status, ExitFor(t));
    if (json) {
      if (t.result.ok()) {
        json->Add(VerificationJson(t.input.text, *t.reference, *t.result));
      } else {
        json->Add({{"input", t.input.text}, {"error", t.input.ErrorText(t.result.status())}});
      }
    } else if (t.result.ok()) {
      std::cout << VerificationText(*t.reference, *t.result) << "\n";
    } else {
      PrintError(t.input.ErrorText(t.result.status()));
    }
  }
  if (json) json->Finish();
  return exit_status;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand(
      "verify",
      "Verify the signatures of images with public keys: cosign's sha256-<hex>.sig tag and "
      "sigstore bundles attached as OCI referrers. REF@DIGEST is verified without a resolve.");
  command->add_option("REF", options->inputs, "Image references")->required();
  AddKeyOptions(*command, options->keys, "A reference is verified when any key verifies it.");
  command->add_option("--annotation", options->keys.annotations,
                      "Require this k=v claim in the signed payload's \"optional\"; repeatable");
  command->add_flag("--match-reference", options->keys.match_reference,
                    "Also require the payload's docker-reference to name the reference's "
                    "repository (off by default, like cosign)");
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 all verified; 1 a reference has no valid signature by the given keys; "
      "2 usage error, invalid reference or unreadable/unsupported key file; 3 an error "
      "prevented a decision.");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunVerify(globals, *options); };
  });
}

}  // namespace regdigest
