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

// "Docker 20.10.24, classic store", "Podman 4.3.1".
std::string LocalEngineText(const LocalFacts& local) {
  if (local.engine == EngineKind::kPodman) {
    return local.engine_label.empty() ? "Podman" : EscapeForTerminal(local.engine_label);
  }
  std::string text = local.engine_label.empty() ? "" : EscapeForTerminal(local.engine_label) + ", ";
  return text + std::string(ImageStoreName(local.store)) + " store";
}

}  // namespace

nlohmann::ordered_json CompareJobJson(const CompareJob& job) {
  if (!job.error.ok()) return {{"input", job.input}, {"error", job.source.ErrorText(job.error)}};
  nlohmann::ordered_json local = nullptr;
  if (job.local) {
    local = {{"id", job.local->id},
             {"repoDigests", job.local->repo_digests},
             {"store", ImageStoreName(job.local->store)},
             {"engine", EngineKindName(job.local->engine)}};
    if (job.local->engine_digest) local["digest"] = job.local->engine_digest->String();
  }
  nlohmann::ordered_json registry = nullptr;
  if (job.registry) {
    registry = {{"digest", job.registry->digest.String()},
                {"mediaType", job.registry->media_type},
                {"platformDigest", OptionalDigest(job.registry->platform_digest)},
                {"configDigest", OptionalDigest(job.registry->config_digest)}};
  }
  return {{"input", job.input},
          {"reference", job.reference->String()},
          {"status", CompareStatusName(job.comparison.status)},
          {"rule", MatchRuleName(job.comparison.rule)},
          {"registry", registry},
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
  if (job.registry) {
    out << "\n        registry: " << job.registry->digest.String() << " ("
        << DisplayText(MediaTypeShortName(job.registry->media_type)) << ")";
    if (job.registry->platform_digest) {
      out << ", platform manifest " << job.registry->platform_digest->String();
    }
    if (job.registry->config_digest) {
      out << ", config " << job.registry->config_digest->String();
    }
  } else {
    out << "\n        registry: (not asked)";
  }
  if (job.local) {
    out << "\n        local:    image ID " << DisplayText(job.local->id) << " ("
        << LocalEngineText(*job.local) << ")";
    // Podman lists every name with every digest: say which one it stored.
    const bool podman = job.local->engine == EngineKind::kPodman;
    for (const std::string& entry : job.local->repo_digests) {
      out << "\n                  " << (podman ? "listed as " : "pulled as ") << DisplayText(entry);
    }
    if (podman && job.local->engine_digest) {
      out << "\n                  Podman's digest " << job.local->engine_digest->String();
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
