// Tests for cli/output/compare_output.h: what `compare` prints for a job, as
// text and JSON, and the exit status each outcome maps to.
#include <doctest/doctest.h>

#include <string>

#include "cli/output/compare_output.h"
#include "cli/output/exit_status.h"

namespace regdigest {
namespace {

Digest D(char c) { return Digest::Parse("sha256:" + std::string(64, c)).value(); }
const std::string kIndex = "application/vnd.oci.image.index.v1+json";

CompareJob Decided(CompareStatus status, MatchRule rule, bool with_local) {
  CompareJob job;
  job.input = "app:1";
  job.reference = Reference::Parse("reg.example/app:1").value();
  job.registry = RegistryFacts{*job.reference, D('a'), kIndex, D('b'), D('c')};
  if (with_local) {
    job.local.emplace();
    job.local->id = "sha256:" + std::string(64, 'c');
    job.local->repo_digests = {"reg.example/app@" + D('9').String()};
    job.local->store = ImageStore::kClassic;
  }
  job.comparison.status = status;
  job.comparison.rule = rule;
  job.comparison.explanation = "Because.";
  return job;
}

CompareJob Failed(StatusCode code, const std::string& file) {
  CompareJob job;
  job.input = "app:1";
  job.source = ReferenceInput{"app:1", file, file.empty() ? 0u : 7u};
  job.error = Status(code, "it failed");
  return job;
}

TEST_CASE("CompareJobExitStatus: match 0, drift 1, invalid 2, error 3") {
  struct Case {
    const char* name;
    CompareJob job;
    int want;
  };
  const Case cases[] = {
      {"match", Decided(CompareStatus::kMatch, MatchRule::kRepoDigest, true), kExitOk},
      {"stale", Decided(CompareStatus::kStale, MatchRule::kNone, true), kExitDrift},
      {"absent", Decided(CompareStatus::kAbsent, MatchRule::kNone, false), kExitDrift},
      {"unknown", Decided(CompareStatus::kUnknown, MatchRule::kNone, true), kExitDrift},
      {"invalid reference", Failed(StatusCode::kInvalidReference, ""), kExitUsage},
      {"usage", Failed(StatusCode::kUsage, ""), kExitUsage},
      {"not found", Failed(StatusCode::kNotFound, ""), kExitFailure},
      {"engine down", Failed(StatusCode::kEngineUnavailable, ""), kExitFailure},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) { CHECK(CompareJobExitStatus(c.job) == c.want); }
  }
}

TEST_CASE("CompareJobText: status, rule, registry and local facts") {
  CHECK(CompareJobText(Decided(CompareStatus::kMatch, MatchRule::kConfigDigest, true)) ==
        "match   reg.example/app:1  (rule: configDigest)\n"
        "        registry: " +
            D('a').String() + " (oci-index), platform manifest " + D('b').String() + ", config " +
            D('c').String() +
            "\n"
            "        local:    image ID sha256:" +
            std::string(64, 'c') +
            " (classic store)\n"
            "                  pulled as reg.example/app@" +
            D('9').String() +
            "\n"
            "        Because.\n");
  CompareJob absent = Decided(CompareStatus::kAbsent, MatchRule::kNone, false);
  absent.registry->platform_digest.reset();
  absent.registry->config_digest.reset();
  CHECK(CompareJobText(absent) == "absent  reg.example/app:1\n        registry: " +
                                      D('a').String() + " (oci-index)\n        Because.\n");
  CHECK(CompareJobText(Failed(StatusCode::kNotFound, "")).empty());
  CHECK(CompareJobError(Failed(StatusCode::kNotFound, "refs.txt")) ==
        "refs.txt:7: not found: it failed");
}

TEST_CASE("CompareJobJson: a decided job and a failed one") {
  const nlohmann::ordered_json decided =
      CompareJobJson(Decided(CompareStatus::kStale, MatchRule::kNone, false));
  CHECK(decided.dump() == nlohmann::ordered_json({{"input", "app:1"},
                                                  {"reference", "reg.example/app:1"},
                                                  {"status", "stale"},
                                                  {"rule", "none"},
                                                  {"registry",
                                                   {{"digest", D('a').String()},
                                                    {"mediaType", kIndex},
                                                    {"platformDigest", D('b').String()},
                                                    {"configDigest", D('c').String()}}},
                                                  {"local", nullptr},
                                                  {"explanation", "Because."}})
                              .dump());
  const nlohmann::ordered_json failed = CompareJobJson(Failed(StatusCode::kTransport, ""));
  CHECK(
      failed.dump() ==
      nlohmann::ordered_json({{"input", "app:1"}, {"error", "transport error: it failed"}}).dump());
}

}  // namespace
}  // namespace regdigest
