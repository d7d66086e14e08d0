#include "cli/output/compare_output.h"

#include <sstream>

#include "cli/output/exit_status.h"
#include "common/base/display_text.h"
#include "common/image/media_types.h"

namespace regdigest {
namespace {

nlohmann::ordered_json OptionalDigest(const std::optional<Digest>& digest) {
  return digest ? nlohmann::ordered_json(digest->String()) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json CompareJobJson(const CompareJob& job) {
  if (!job.error.ok()) return {{"input", job.input}, {"error", job.source.ErrorText(job.error)}};
  nlohmann::ordered_json local = nullptr;
  if (job.local) {
    local = {{"id", job.local->id},
             {"repoDigests", job.local->repo_digests},
             {"store", ImageStoreName(job.local->store)}};
  }
  return {{"input", job.input},
          {"reference", job.reference->String()},
          {"status", CompareStatusName(job.comparison.status)},
          {"rule", MatchRuleName(job.comparison.rule)},
          {"registry",
           {{"digest", job.registry->digest.String()},
            {"mediaType", job.registry->media_type},
            {"platformDigest", OptionalDigest(job.registry->platform_digest)},
            {"configDigest", OptionalDigest(job.registry->config_digest)}}},
          {"local", local},
          {"explanation", job.comparison.explanation}};
}

std::string CompareJobError(const CompareJob& job) { return job.source.ErrorText(job.error); }

std::string CompareJobText(const CompareJob& job) {
  if (!job.error.ok()) return "";
  std::ostringstream out;
  std::string status(CompareStatusName(job.comparison.status));
  status.resize(8, ' ');
  out << status << job.reference->String();
  if (job.comparison.rule != MatchRule::kNone) {
    out << "  (rule: " << MatchRuleName(job.comparison.rule) << ")";
  }
  out << "\n        registry: " << job.registry->digest.String() << " ("
      << DisplayText(MediaTypeShortName(job.registry->media_type)) << ")";
  if (job.registry->platform_digest) {
    out << ", platform manifest " << job.registry->platform_digest->String();
  }
  if (job.registry->config_digest) {
    out << ", config " << job.registry->config_digest->String();
  }
  if (job.local) {
    out << "\n        local:    image ID " << DisplayText(job.local->id) << " ("
        << ImageStoreName(job.local->store) << " store)";
    for (const std::string& pulled : job.local->repo_digests) {
      out << "\n                  pulled as " << DisplayText(pulled);
    }
  }
  out << "\n        " << DisplayText(job.comparison.explanation, kMaxMessage) << "\n";
  return out.str();
}

int CompareJobExitStatus(const CompareJob& job) {
  if (!job.error.ok()) return ExitStatusFor(job.error.code());
  return job.comparison.status == CompareStatus::kMatch ? kExitOk : kExitDrift;
}

}  // namespace regdigest
