// What `regdigest compare` knows and prints about one image: the job (input,
// local and registry facts, the comparison or the error), its text block or
// JSON object, and its exit status. Pure formatting; no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/inputs/reference_inputs.h"
#include "common/base/status.h"
#include "common/engine/compare.h"
#include "common/image/reference.h"

namespace regdigest {

struct CompareJob {
  std::string input;
  ReferenceInput source;  // where `input` came from (for error messages)
  std::optional<Reference> reference;
  std::optional<LocalFacts> local;  // filled up front for --all
  bool local_known = false;
  // Decided without the registry (Podman's localhost/ names): `registry` stays unset.
  bool local_only = false;
  // Results:
  Status error;
  std::optional<RegistryFacts> registry;  // set once the HEAD succeeded
  Comparison comparison;
};

// {"input", "error"} for a failed job; else {"input", "reference", "status",
// "rule", "registry": {...} or null (local_only), "local": {...} or null,
// "explanation"}.
nlohmann::ordered_json CompareJobJson(const CompareJob& job);

// The text block for a decided job ("stale   REFERENCE  (rule: ...)" and the
// indented registry, local and explanation lines). A failed job has none:
// its error goes to stderr (CompareJobError).
std::string CompareJobText(const CompareJob& job);
std::string CompareJobError(const CompareJob& job);

// 0 match; 1 stale, absent or unknown; 2 an invalid reference; 3 any other error.
int CompareJobExitStatus(const CompareJob& job);

}  // namespace regdigest
