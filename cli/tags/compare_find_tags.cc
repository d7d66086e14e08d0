#include "cli/tags/compare_find_tags.h"

#include <map>
#include <string>

#include "cli/app/context.h"
#include "cli/output/exit_status.h"
#include "cli/tags/tag_lookup.h"
#include "common/base/display_text.h"

namespace regdigest {
namespace {

Reference RepositoryOf(const Reference& reference) {
  return Reference::Parse(reference.Name()).value();
}

}  // namespace

int ReportFoundTags(const std::vector<CompareJob>& jobs, RegistrySession& session,
                    nlohmann::ordered_json* json_results, std::ostream& out) {
  int exit_status = kExitOk;
  std::map<std::string, Result<std::vector<std::string>>> listed;  // by repository name
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const CompareJob& job = jobs[i];
    if (!job.error.ok() || !job.reference || !job.local ||
        job.comparison.status != CompareStatus::kUnknown) {
      continue;
    }
    const Reference repository = RepositoryOf(*job.reference);
    auto it = listed.find(repository.Name());
    if (it == listed.end()) {
      it = listed.emplace(repository.Name(), ListTags(session, repository, false)).first;
    }
    Result<DigestQuery> query = DigestQuery::Parse(job.local->id);
    Status failure = !it->second.ok() ? it->second.status() : query.status();
    TagLookup lookup;
    if (failure.ok()) lookup = FindTags(session, repository, *it->second, *query);
    if (failure.ok() && !lookup.failures.empty()) {
      failure = Status(StatusCode::kProtocol, lookup.failures.front());
    }
    if (!failure.ok()) {
      exit_status = kExitFailure;
      PrintError("--find-tags " + DisplayText(job.reference->String()) + ": " +
                 DisplayText(failure.message()));
      if (json_results) (*json_results)[i]["foundTags"] = nullptr;
      continue;
    }
    const std::string short_id = query->hex.substr(0, 12);
    if (json_results) {
      nlohmann::ordered_json found = nlohmann::ordered_json::array();
      for (const TagMatch& m : lookup.matches) {
        found.push_back({{"tag", m.tag},
                         {"match", MatchKindName(m.kind)},
                         {"platform", m.platform ? nlohmann::ordered_json(m.platform->String())
                                                 : nlohmann::ordered_json(nullptr)}});
      }
      (*json_results)[i]["foundTags"] = std::move(found);
      continue;
    }
    if (lookup.matches.empty()) {
      out << "find-tags " << DisplayText(job.reference->String()) << ": no tag of "
          << repository.Name() << " holds image ID " << short_id << "\n";
      continue;
    }
    out << "find-tags " << DisplayText(job.reference->String()) << ": image ID " << short_id
        << " is";
    for (std::size_t k = 0; k < lookup.matches.size(); ++k) {
      out << (k ? ", " : " ") << repository.Name() << ":" << lookup.matches[k].tag << " ("
          << DisplayText(DescribeMatch(lookup.matches[k])) << ")";
    }
    out << "\n";
  }
  return exit_status;
}

}  // namespace regdigest
