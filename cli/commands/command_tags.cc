// `regdigest tags REPO [--all] [--digests | --digest D]`: a repository's
// tags (tags/list, every page), with their digests (one HEAD per tag, in
// bulk), or the tags that point at a digest or hold an image ID
// (cli/tags/tag_lookup.h).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/app/registry_session.h"
#include "cli/commands/commands.h"
#include "cli/output/count_text.h"
#include "cli/output/exit_status.h"
#include "cli/output/json_output.h"
#include "cli/output/progress_line.h"
#include "cli/tags/tag_lookup.h"
#include "common/base/display_text.h"
#include "common/image/reference.h"

namespace regdigest {
namespace {

struct TagsOptions {
  std::string repository;
  bool all = false;
  bool digests = false;
  std::string digest;
  int concurrency = 0;
  bool quiet = false;
  OutputFormat format = OutputFormat::kText;
};

// {"repository": …, "<key>": [ … ]} with one element a line, written as it
// goes, so 10,000 tags are never held as JSON.
class JsonListWriter {
 public:
  JsonListWriter(std::ostream& out, nlohmann::ordered_json head, const std::string& key)
      : out_(out) {
    std::string text = Dump(head);
    text.pop_back();  // the closing '}'
    out_ << text << (head.empty() ? "" : ", ") << nlohmann::json(key).dump() << ": [";
  }
  void Add(const nlohmann::ordered_json& element) {
    out_ << (count_++ == 0 ? "\n  " : ",\n  ") << Dump(element);
  }
  void Finish() { out_ << (count_ == 0 ? "]}\n" : "\n]}\n"); }

 private:
  static std::string Dump(const nlohmann::ordered_json& json) {
    return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }
  std::ostream& out_;
  std::size_t count_ = 0;
};

Result<Reference> ParseRepository(const std::string& input) {
  Result<Reference> repository = Reference::Parse(input);
  if (!repository.ok()) return repository.status().WithContext("\"" + input + "\"");
  if (repository->tag() || repository->digest()) {
    return Status(StatusCode::kUsage,
                  "tags takes a repository without a tag or digest: " + DisplayText(input));
  }
  return repository;
}

int PrintDigests(RegistrySession& session, const Reference& repository,
                 const std::vector<std::string>& tags, const TagsOptions& options) {
  ProgressLine progress(!options.quiet && ::isatty(STDERR_FILENO) == 1);
  std::optional<JsonListWriter> json;
  if (options.format == OutputFormat::kJson) {
    json.emplace(std::cout, nlohmann::ordered_json{{"repository", repository.Name()}}, "tags");
  }
  int exit_status = kExitOk;
  ResolveTags(
      session, repository, tags,
      [&](std::size_t i, const Result<ManifestDescriptor>& result) {
        progress.Clear();
        exit_status = WorseExitStatus(exit_status, ExitStatusFor(result.status().code()));
        if (json) {
          if (result.ok()) {
            json->Add({{"tag", tags[i]},
                       {"digest", result->digest.String()},
                       {"mediaType", result->media_type}});
          } else {
            json->Add({{"tag", tags[i]}, {"error", result.status().message()}});
          }
        } else if (result.ok()) {
          std::cout << tags[i] << " " << result->digest.String() << "\n";
        } else {
          PrintError(tags[i] + ": " + DisplayText(result.status().message()));
        }
      },
      [&](std::size_t done, std::size_t total, std::size_t failed) {
        progress.Update(done, total, failed);
      });
  progress.Clear();
  if (json) json->Finish();
  return exit_status;
}

nlohmann::ordered_json MatchJson(const TagMatch& m) {
  nlohmann::ordered_json json = {{"tag", m.tag},
                                 {"match", MatchKindName(m.kind)},
                                 {"digest", m.digest.String()},
                                 {"mediaType", m.media_type}};
  json["platform"] = m.platform ? nlohmann::ordered_json(m.platform->String()) : nullptr;
  json["platformDigest"] =
      m.platform_digest ? nlohmann::ordered_json(m.platform_digest->String()) : nullptr;
  json["configDigest"] =
      m.config_digest ? nlohmann::ordered_json(m.config_digest->String()) : nullptr;
  return json;
}

int PrintLookup(RegistrySession& session, const Reference& repository,
                const std::vector<std::string>& tags, const TagsOptions& options) {
  Result<DigestQuery> query = DigestQuery::Parse(options.digest);
  if (!query.ok()) {
    PrintError(query.status().message());
    return kExitUsage;
  }
  ProgressLine progress(!options.quiet && ::isatty(STDERR_FILENO) == 1);
  TagLookup lookup = FindTags(session, repository, tags, *query,
                              [&](std::size_t done, std::size_t total, std::size_t failed) {
                                progress.Update(done, total, failed);
                              });
  progress.Clear();
  spdlog::info("{}: {} tags, {} HEAD requests, {} manifest GETs", repository.Name(), tags.size(),
               lookup.heads, lookup.manifest_gets);
  if (options.format == OutputFormat::kJson) {
    JsonListWriter json(std::cout, {{"repository", repository.Name()}, {"digest", options.digest}},
                        "matches");
    for (const TagMatch& m : lookup.matches) json.Add(MatchJson(m));
    json.Finish();
  } else {
    for (const TagMatch& m : lookup.matches) {
      std::cout << m.tag << " " << DisplayText(DescribeMatch(m)) << "\n";  // platform: untrusted
    }
  }
  for (const std::string& failure : lookup.failures) PrintError(DisplayText(failure));
  int exit_status = lookup.matches.empty() ? kExitDrift : kExitOk;
  if (lookup.ambiguous()) {
    std::string candidates;
    for (const Digest& d : lookup.matched) candidates += " " + d.String();
    PrintError("--digest " + DisplayText(options.digest) + " is ambiguous: it is the start of " +
               std::to_string(lookup.matched.size()) + " digests:" + candidates +
               "; give more digits");
    exit_status = kExitUsage;
  } else if (lookup.matches.empty() && options.format != OutputFormat::kJson) {
    PrintError("no tag of " + repository.Name() + " points at " + DisplayText(options.digest) +
               " (" + CountText(tags.size(), "tag") + ")");
  }
  if (!lookup.failures.empty()) exit_status = kExitFailure;
  return exit_status;
}

int RunTags(const GlobalOptions& globals, const TagsOptions& options) {
  Result<Reference> repository = ParseRepository(options.repository);
  if (!repository.ok()) {
    PrintError(repository.status().message());
    return kExitUsage;
  }
  if (options.digests && !options.digest.empty()) {
    PrintError("--digests and --digest cannot be used together");
    return kExitUsage;
  }
  if (!options.digest.empty()) {
    if (Result<DigestQuery> query = DigestQuery::Parse(options.digest); !query.ok()) {
      PrintError(query.status().message());
      return kExitUsage;
    }
  }
  Result<std::unique_ptr<RegistrySession>> session =
      RegistrySession::Open(globals, options.concurrency);
  if (!session.ok()) {
    PrintError(session.status().ToString());
    return ExitStatusFor(session.status().code());
  }
  Result<std::vector<std::string>> tags = ListTags(**session, *repository, options.all);
  if (!tags.ok()) {
    PrintError(DisplayText(tags.status().ToString()));
    return ExitStatusFor(tags.status().code());
  }
  if (!options.digest.empty()) return PrintLookup(**session, *repository, *tags, options);
  if (options.digests) return PrintDigests(**session, *repository, *tags, options);
  if (options.format == OutputFormat::kJson) {
    JsonListWriter json(std::cout, {{"repository", repository->Name()}}, "tags");
    for (const std::string& tag : *tags) json.Add({{"tag", tag}});
    json.Finish();
  } else {
    for (const std::string& tag : *tags) std::cout << tag << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddTagsCommand(CLI::App& app, const GlobalOptions& globals, CommandRunner& run) {
  auto options = std::make_shared<TagsOptions>();
  CLI::App* command = app.add_subcommand(
      "tags",
      "List a repository's tags in lexical order (GET tags/list, every page). With --digests, "
      "each tag's digest (one HEAD per tag); with --digest D, the tags that point at D or hold "
      "image ID D.");
  command->add_option("REPO", options->repository, "Repository, e.g. localhost:5000/team/app")
      ->required();
  command->add_flag("--all", options->all,
                    "Also list digest-named tags (sha256-<hex>, .sig, .att, .sbom)");
  command->add_flag("--digests", options->digests, "Print TAG DIGEST, one HEAD per tag");
  command
      ->add_option("--digest", options->digest,
                   "Find the tags that point at D: an index or manifest digest, a platform "
                   "manifest digest, a config digest or an image ID (12+ hex digits)")
      ->type_name("DIGEST");
  AddConcurrencyOption(*command, options->concurrency);
  command->add_flag("-q,--quiet", options->quiet, "No progress line on stderr");
  AddOutputOption(*command, options->format);
  command->footer(
      "Exit status: 0 listed (--digest: a tag points at D); 1 --digest: no tag points at D; "
      "2 usage error or an ambiguous short --digest; 3 the registry could not be read (wins "
      "over the others).");
  command->callback([options, &globals, &run] {
    run = [options, &globals] { return RunTags(globals, *options); };
  });
}

}  // namespace regdigest
